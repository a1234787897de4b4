#include "models/ma_sue/ue_verification.hpp"

#include <algorithm>
#include <cmath>

#include "models/ma_sue/ue_solver.hpp"

namespace eqsweep::ma_sue {

namespace {

double unit_total(const Outcome& o, int i) { return o.cost_m[i] + o.cost_n[i]; }

bool in_chain(const Instance& in, int i, int c) {
  return i >= in.first_option[c] && i < in.first_option[c] + in.option_count[c];
}

}  // namespace

double ue_best_response_value(const Instance& in, const Strategy& s, int c, Strategy* deviation) {
  Strategy d = s;
  double value = 0;  // sup over the chain's strategies of (sum_i m_i x-share_i margin_i) * Q / alpha units
  if (in.readings.choice == ChoiceReading::sealed) {
    value = ue_sealed_chain_optimum(in, c, d);
  } else {
    // The others offer at best v_o (no purchase offers 0). Winning with option i at utility v_o
    // earns Q m_i (S_i - v_o) / alpha at most (S_i: the option's zero-margin utility with its
    // optimal lead times); anything else earns at most 0 from this option.
    Outcome o;
    evaluate_ue(in, s, o);
    double v_o = 0;
    for (int j = 0; j < in.n_options; ++j)
      if (!in_chain(in, j, c)) v_o = std::max(v_o, in.w - in.alpha * s.p[j] - in.beta_bar[j] * o.lead_time[j]);
    int best = -1;
    Strategy own;
    for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) {
      Strategy t;
      const double gain = ue_weight(in, i) * (ue_capacity(in, i, &t) - v_o);
      if (gain > value) value = gain, best = i, own = t;
    }
    if (best >= 0)
      for (int k = 0; k < in.n_slots; ++k)
        if (in.slots[k].options >> best & 1u) d.t[k] = own.t[k];
    evaluate(in, d, o);
    const double away = std::max(1.0, std::abs(in.w));  // the other options withdraw below v_o
    for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) {
      const double C = unit_total(o, i);
      if (i == best)
        d.p[i] = (in.w - in.beta_bar[i] * o.lead_time[i] - v_o) / in.alpha;
      else
        d.p[i] = std::max(C, (in.w - in.beta_bar[i] * o.lead_time[i] - v_o + away) / in.alpha);
      d.wh[i] = o.cost_m[i];
    }
  }
  if (deviation) *deviation = d;
  return in.Q * value / in.alpha - in.fixed_cost[c];
}

UeVerification verify_ue(const Instance& in, const Strategy& s, const UeVerifyOptions& opt) {
  UeVerification r;
  Outcome base_o;
  evaluate_ue(in, s, base_o);
  auto note = [&](double gain, double& slot, int c) {
    if (!(gain <= slot)) slot = gain;  // NaN propagates
    if (!(gain <= r.deviation_gain)) r.deviation_gain = gain, r.worst_chain = c;
  };
  const double du = std::max(1.0, std::abs(in.w));
  for (int c = 0; c < in.n_chains; ++c) {
    const double base = base_o.profit_chain[c];
    const double scale = std::max(std::abs(base), 1.0);
    auto gain_of = [&](const Strategy& d) {
      Outcome o;
      evaluate_ue(in, d, o);
      return (o.profit_chain[c] - base) / scale;
    };
    // (1) The exact best response, and the deviations that attain or approach it.
    Strategy d;
    const double sup = ue_best_response_value(in, s, c, &d);
    note((sup - base) / scale, r.best_response_gain, c);
    note(gain_of(d), r.ladder_gain, c);
    Strategy d_up = d;  // the same, undercutting by a hair (wins any tie)
    for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) d_up.p[i] -= 1e-9 * du / in.alpha;
    note(gain_of(d_up), r.ladder_gain, c);
    // (2) Explicit deviations.
    const double steps[5] = {1e-9, 1e-6, 1e-3, 1e-1, 1.0};
    for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) {
      for (double e : steps)
        for (double sign : {-1.0, 1.0}) {  // undercut (utility + e) / raise the price (utility - e)
          Strategy t = s;
          t.p[i] += sign * e * du / in.alpha;
          note(gain_of(t), r.ladder_gain, c);
        }
      for (double f : {0.9, 0.99, 1.01, 1.1}) {
        Strategy t = s;
        t.p[i] *= f;
        note(gain_of(t), r.ladder_gain, c);
      }
    }
    for (int k = 0; k < in.n_slots; ++k) {
      if (in.slots[k].chain != c) continue;
      for (double f : {0.5, 0.9, 0.99, 0.999, 1.001, 1.01, 1.1, 2.0}) {
        Strategy t = s;
        t.t[k] *= f;
        note(gain_of(t), r.ladder_gain, c);  // price held: the utility moves
        for (int i = 0; i < in.n_options; ++i)  // utility held: the price absorbs the lead time
          if (in.slots[k].options >> i & 1u) t.p[i] -= in.beta_bar[i] * (t.t[k] - s.t[k]) / in.alpha;
        note(gain_of(t), r.ladder_gain, c);
        for (int i = 0; i < in.n_options; ++i)  // and undercutting by a hair on top
          if (in.slots[k].options >> i & 1u) t.p[i] -= 1e-9 * du / in.alpha;
        note(gain_of(t), r.ladder_gain, c);
      }
    }
    for (double f : {0.98, 0.999, 1.001, 1.02}) {  // all the chain's prices together
      Strategy t = s;
      for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) t.p[i] *= f;
      note(gain_of(t), r.ladder_gain, c);
    }
  }
  // Lead-time first-order condition on the paths of selling options (flow-weighted beta_bar).
  for (int k = 0; k < in.n_slots; ++k) {
    double num = 0, den = 0;
    for (int i = 0; i < in.n_options; ++i)
      if ((in.slots[k].options >> i & 1u) && base_o.x[i] > 0) num += in.beta_bar[i] * base_o.x[i], den += base_o.x[i];
    if (den <= 0) continue;
    const double target = num / (in.alpha * den);
    const double res = std::abs(marginal_saving(in.slots[k].cost, s.t[k]) / target - 1.0);
    if (!(res <= r.kkt_residual)) r.kkt_residual = res;
  }
  r.passed = std::isfinite(r.kkt_residual) && std::isfinite(r.deviation_gain) && r.kkt_residual <= opt.kkt_tolerance &&
             r.deviation_gain <= opt.deviation_tolerance;
  return r;
}

}  // namespace eqsweep::ma_sue
