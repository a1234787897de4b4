#include "models/ma_sue/game.hpp"

#include <cmath>

namespace eqsweep::ma_sue {

double unit_cost(const TimeCost& c, double t) { return c.a * std::pow(t, -c.k) + c.b; }
double marginal_saving(const TimeCost& c, double t) { return c.k * c.a * std::pow(t, -c.k - 1.0); }

void Instance::set_boundaries(const double* h) {
  int pos = 0;
  for (int s = 0; s < n_chains; ++s) {
    const int K = option_count[s];
    for (int k = 0; k < K; ++k) {
      const double lo = k == 0 ? beta.lower : h[pos + k - 1];
      const double hi = k == K - 1 ? INFINITY : h[pos + k];
      const int i = first_option[s] + k;
      if (K == 1) {
        mass[i] = 1.0;
        beta_bar[i] = segment_beta(beta, beta.lower, INFINITY, readings.beta);
      } else {
        mass[i] = beta.mass(lo, hi);
        beta_bar[i] = segment_beta(beta, lo, hi, readings.beta);
      }
    }
    pos += K - 1;
  }
}

void evaluate(const Instance& in, const Strategy& s, Outcome& out) {
  const int n = in.n_options;
  for (int i = 0; i < n; ++i) {
    out.lead_time[i] = in.fixed_time[i];
    out.cost_m[i] = in.iface_cost_m[i];
    out.cost_n[i] = in.iface_cost_n[i];
  }
  for (int k = 0; k < in.n_slots; ++k) {
    const Slot& sl = in.slots[k];
    const double c = unit_cost(sl.cost, s.t[k]);
    for (int i = 0; i < n; ++i) {
      if (!(sl.options >> i & 1u)) continue;
      out.lead_time[i] += s.t[k];
      (sl.retailer ? out.cost_n[i] : out.cost_m[i]) += c;
    }
  }
  // Utilities relative to the largest keep exp() finite for any prices.
  OptionArray<double> v{};
  double vmax = 0.0;
  for (int i = 0; i < n; ++i) {
    v[i] = in.w - in.alpha * s.p[i] - in.beta_bar[i] * out.lead_time[i];
    vmax = std::max(vmax, v[i]);
  }
  double denom = std::exp(-vmax);
  OptionArray<double> e{};
  for (int i = 0; i < n; ++i) denom += (e[i] = std::exp(v[i] - vmax));
  double bought = 0.0;
  for (int i = 0; i < n; ++i) {
    out.P[i] = in.readings.choice == ChoiceReading::mnl ? e[i] / denom : 1.0 / (1.0 + std::exp(-v[i]));
    const double m = in.readings.demand == DemandReading::mass_weighted ? in.mass[i] : 1.0;
    out.x[i] = in.Q * m * out.P[i];
    bought += out.x[i];
  }
  out.no_purchase = 1.0 - bought / in.Q;
  const bool central = in.readings.equilibrium == Equilibrium::centralized;
  for (int c = 0; c < in.n_chains; ++c) {
    double pc = 0, pm = 0, pn = 0;
    for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) {
      pc += (s.p[i] - out.cost_m[i] - out.cost_n[i]) * out.x[i];
      if (!central) {
        pm += (s.wh[i] - out.cost_m[i]) * out.x[i];
        pn += (s.p[i] - s.wh[i] - out.cost_n[i]) * out.x[i];
      }
    }
    out.profit_chain[c] = pc - in.fixed_cost[c];
    out.profit_m[c] = pm;
    out.profit_n[c] = pn - in.fixed_cost[c];
  }
}

}  // namespace eqsweep::ma_sue
