#include "models/ma_sue/game.hpp"

#include <cmath>

#include "models/ma_sue/latent_class.hpp"

namespace eqsweep::ma_sue {

double unit_cost(const TimeCost& c, double t) { return cost_at(c, t).cost; }
double marginal_saving(const TimeCost& c, double t) { return cost_at(c, t).saving; }

namespace {
// The segments' beta_bar and mass of the last set_boundaries() call on this thread, with
// everything they are computed from. A sweep along any axis but beta_mean, sigma and the
// boundaries asks for the same values point after point, and Boost's normal cdf (computed in
// long double) would otherwise cost about as much as the verified solve itself.
struct BoundaryCache {
  bool valid = false;
  int n_chains = 0;
  std::array<int, kMaxChains> count{}, first{};
  double mean = 0, sigma = 0, lower = 0;
  BetaReading reading = BetaReading::conditional;
  std::array<double, kMaxOptions> h{};
  OptionArray<double> beta_bar{}, mass{};
};
thread_local BoundaryCache t_boundaries;
}  // namespace

void Instance::set_boundaries(const double* h) {
  BoundaryCache& k = t_boundaries;
  int n_h = 0;
  for (int s = 0; s < n_chains; ++s) n_h += option_count[s] - 1;
  for (int j = 0; j < kMaxOptions; ++j) this->h[j] = j < n_h ? h[j] : 0.0;
  bool same = k.valid && k.n_chains == n_chains && k.mean == beta.mean && k.sigma == beta.sigma &&
              k.lower == beta.lower && k.reading == readings.beta;
  for (int s = 0; s < n_chains && same; ++s) same = k.count[s] == option_count[s] && k.first[s] == first_option[s];
  for (int j = 0; j < n_h && same; ++j) same = k.h[j] == h[j];
  if (same) {
    beta_bar = k.beta_bar, mass = k.mass;
    if (readings.demand == DemandReading::latent_class) refine_classes(*this);
    return;
  }
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
  k.valid = true, k.n_chains = n_chains, k.mean = beta.mean, k.sigma = beta.sigma, k.lower = beta.lower;
  k.reading = readings.beta;
  for (int s = 0; s < n_chains; ++s) k.count[s] = option_count[s], k.first[s] = first_option[s];
  for (int j = 0; j < n_h; ++j) k.h[j] = h[j];
  k.beta_bar = beta_bar, k.mass = mass;
  if (readings.demand == DemandReading::latent_class) refine_classes(*this);
}

void choice_probabilities(const Instance& in, const OptionArray<double>& V, OptionArray<double>& P) {
  const int n = in.n_options;
  if (in.readings.demand == DemandReading::latent_class) {
    // Each option's share of the whole market, x_i / Q, summed over the classes it is offered to.
    OwnDemand d;
    latent_class_demand(in, V, d);
    for (int i = 0; i < n; ++i) P[i] = d.share[i];
    return;
  }
  if (in.readings.choice == ChoiceReading::sealed) {
    for (int i = 0; i < n; ++i) P[i] = 1.0 / (1.0 + std::exp(-V[i]));
    return;
  }
  // Utilities relative to the largest (not buying: 0) keep exp() finite for any prices.
  double vmax = 0.0;
  for (int i = 0; i < n; ++i) vmax = std::max(vmax, V[i]);
  double denom = vmax == 0.0 ? 1.0 : std::exp(-vmax);
  OptionArray<double> e{};
  for (int i = 0; i < n; ++i) denom += (e[i] = std::exp(V[i] - vmax));
  for (int i = 0; i < n; ++i) P[i] = e[i] / denom;
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
  OptionArray<double> v{};
  for (int i = 0; i < n; ++i) v[i] = in.w - in.alpha * s.p[i] - in.beta_bar[i] * out.lead_time[i];
  choice_probabilities(in, v, out.P);
  double bought = 0.0;
  for (int i = 0; i < n; ++i) {
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
