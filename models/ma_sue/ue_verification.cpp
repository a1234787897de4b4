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

// Lead-time first-order condition on the paths of selling options (flow-weighted beta_bar): the
// same for chains and for Stackelberg chains (docs/model-m.md, "UE (eq. 12)").
double lead_time_foc_residual(const Instance& in, const Strategy& s, const Outcome& base_o) {
  double worst = 0;
  for (int k = 0; k < in.n_slots; ++k) {
    double num = 0, den = 0;
    for (int i = 0; i < in.n_options; ++i)
      if ((in.slots[k].options >> i & 1u) && base_o.x[i] > 0) num += in.beta_bar[i] * base_o.x[i], den += base_o.x[i];
    if (den <= 0) continue;
    const double target = num / (in.alpha * den);
    const double res = std::abs(marginal_saving(in.slots[k].cost, s.t[k]) / target - 1.0);
    if (!(res <= worst)) worst = res;
  }
  return worst;
}

// Whose lead times a deviation ladder moves: every slot of the chain (a centralized chain), or
// those of its retailer or of its manufacturer (Stackelberg chains).
enum class SlotOwner { chain, retailer, manufacturer };

bool moves_slot(const Slot& sl, int c, SlotOwner owner) {
  if (sl.chain != c) return false;
  return owner == SlotOwner::chain || sl.retailer == (owner == SlotOwner::retailer);
}

// The explicit deviations of one player of chain c, who sets the prices `price` (retail or
// wholesale) of the chain's options and the lead times of its slots: each price moved in utility
// by steps from 1e-9 to 1 either way and scaled by +-1 % and +-10 %; each lead time scaled, with
// the price held, with the utility held (the price absorbs the lead time) and with a hair's
// undercut on top; and all the chain's prices scaled together. try_deviation(t) evaluates one.
template <class Try>
void deviation_ladder(const Instance& in, const Strategy& s, int c, OptionArray<double> Strategy::*price,
                      SlotOwner owner, Try&& try_deviation) {
  const double du = std::max(1.0, std::abs(in.w));
  const int i0 = in.first_option[c], K = in.option_count[c];
  for (int i = i0; i < i0 + K; ++i) {
    for (double e : {1e-9, 1e-6, 1e-3, 1e-1, 1.0})
      for (double sign : {-1.0, 1.0}) {  // undercut (utility + e) / raise the price (utility - e)
        Strategy t = s;
        (t.*price)[i] += sign * e * du / in.alpha;
        try_deviation(t);
      }
    for (double f : {0.9, 0.99, 1.01, 1.1}) {
      Strategy t = s;
      (t.*price)[i] *= f;
      try_deviation(t);
    }
  }
  for (int k = 0; k < in.n_slots; ++k) {
    if (!moves_slot(in.slots[k], c, owner)) continue;
    for (double f : {0.5, 0.9, 0.99, 0.999, 1.001, 1.01, 1.1, 2.0}) {
      Strategy t = s;
      t.t[k] *= f;
      try_deviation(t);  // price held: the utility moves
      for (int i = 0; i < in.n_options; ++i)
        if (in.slots[k].options >> i & 1u) (t.*price)[i] -= in.beta_bar[i] * (t.t[k] - s.t[k]) / in.alpha;
      try_deviation(t);  // utility (or the retailer's capacity) held
      for (int i = 0; i < in.n_options; ++i)
        if (in.slots[k].options >> i & 1u) (t.*price)[i] -= 1e-9 * du / in.alpha;
      try_deviation(t);  // and undercutting by a hair on top
    }
  }
  for (double f : {0.98, 0.999, 1.001, 1.02}) {
    Strategy t = s;
    for (int i = i0; i < i0 + K; ++i) (t.*price)[i] *= f;
    try_deviation(t);
  }
}

// Collects the gains of a verification: the largest per kind and overall, with its chain.
struct GainRecord {
  UeVerification& r;
  void operator()(double gain, double& slot, int c) const {
    if (!(gain <= slot)) slot = gain;  // NaN propagates
    if (!(gain <= r.deviation_gain)) r.deviation_gain = gain, r.worst_chain = c;
  }
};

UeVerification& finish(UeVerification& r, const Instance& in, const Strategy& s, const Outcome& base_o,
                       const UeVerifyOptions& opt) {
  r.kkt_residual = lead_time_foc_residual(in, s, base_o);
  r.passed = std::isfinite(r.kkt_residual) && std::isfinite(r.deviation_gain) && r.kkt_residual <= opt.kkt_tolerance &&
             r.deviation_gain <= opt.deviation_tolerance;
  return r;
}

// Best utility offered to chain c's customers by the other chains, or by no purchase (0).
double others_best_utility(const Instance& in, const Strategy& s, int c) {
  Outcome o;
  evaluate(in, s, o);
  double v_o = 0;
  for (int j = 0; j < in.n_options; ++j)
    if (!in_chain(in, j, c)) v_o = std::max(v_o, in.w - in.alpha * s.p[j] - in.beta_bar[j] * o.lead_time[j]);
  return v_o;
}

// Retailer of chain c, option i: the highest utility it can offer without a loss at the wholesale
// price and the manufacturer's lead times in s, its own slots on option i's path at
// -c'(t) = beta_bar_i/alpha. Writes those slots into t.
double retailer_capacity(const Instance& in, const Strategy& s, int c, int i, Strategy& t) {
  t = s;
  for (int k = 0; k < in.n_slots; ++k) {
    const Slot& sl = in.slots[k];
    if (sl.chain == c && sl.retailer && (sl.options >> i & 1u))
      t.t[k] = lead_time_for_marginal(sl.cost, in.beta_bar[i] / in.alpha);
  }
  Outcome o;
  evaluate(in, t, o);
  return in.w - in.beta_bar[i] * o.lead_time[i] - in.alpha * (t.wh[i] + o.cost_n[i]);
}

}  // namespace

double ue_retailer_best_response_value(const Instance& in, const Strategy& s, int c) {
  const double v_o = in.readings.choice == ChoiceReading::sealed ? 0.0 : others_best_utility(in, s, c);
  double value = 0;
  Strategy t;
  for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) {
    const double g = ue_weight(in, i) * (retailer_capacity(in, s, c, i, t) - v_o);
    if (in.readings.choice == ChoiceReading::sealed)
      value += std::max(0.0, g);  // each option against no purchase alone
    else
      value = std::max(value, g);
  }
  return in.Q * value / in.alpha - in.fixed_cost[c];
}

Strategy ue_retailer_response(const Instance& in, const Strategy& s, int c) {
  const bool sealed = in.readings.choice == ChoiceReading::sealed;
  const double v_o = sealed ? 0.0 : others_best_utility(in, s, c);
  const double du = std::max(1.0, std::abs(in.w));
  const double tol = kUeUtilityTie * du;
  const int i0 = in.first_option[c], K = in.option_count[c];
  OptionArray<double> R{};
  std::array<Strategy, kMaxOptions> own{};
  for (int q = 0; q < K; ++q) R[i0 + q] = retailer_capacity(in, s, c, i0 + q, own[i0 + q]);
  // Under MNL the retailer sells one option: the one with the largest m_i (R_i - v_o); among
  // options within the tie tolerance, the one its manufacturer earns most from (the follower's
  // indifference resolved for the leader). A gain of zero still sells: the second tie rule.
  int key = -1;
  if (!sealed) {
    double best = -kInf, lead_margin = -kInf;
    Outcome o;
    for (int q = 0; q < K; ++q) {
      const int i = i0 + q;
      const double g = ue_weight(in, i) * (R[i] - v_o);
      evaluate(in, own[i], o);
      const double mm = ue_weight(in, i) * (s.wh[i] - o.cost_m[i]);
      if (g > best + tol || (g >= best - tol && mm > lead_margin)) best = std::max(best, g), key = i, lead_margin = mm;
    }
    if (best < -tol) key = -1;
  }
  Strategy r = s;
  for (int k = 0; k < in.n_slots; ++k) {  // the retailer's slots: each where its option wants it
    const Slot& sl = in.slots[k];
    if (sl.chain != c || !sl.retailer) continue;
    const int owner = sl.copy >= 0 ? i0 + sl.copy : key >= 0 ? key : i0;
    r.t[k] = own[owner].t[k];
  }
  Outcome o;
  evaluate(in, r, o);
  for (int q = 0; q < K; ++q) {
    const int i = i0 + q;
    const double cost = r.wh[i] + o.cost_n[i];  // the retailer's unit cost
    const double top = (in.w - in.beta_bar[i] * o.lead_time[i] - v_o) / in.alpha;  // price at utility v_o
    if (sealed)
      r.p[i] = top >= cost - tol / in.alpha ? top : cost;  // sells at utility 0, or stays at cost
    else if (i == key)
      r.p[i] = top;
    else
      r.p[i] = std::max(cost, top + du / in.alpha);  // withdrawn below v_o
  }
  // At utility v_o the customers' tie rule may give the market to a rival; the retailer then
  // undercuts by a hair if that pays. It keeps whichever earns it more (ties: its leader's choice).
  Strategy u = r;
  for (int i = i0; i < i0 + K; ++i)
    if (sealed || i == key) u.p[i] -= 1e-9 * du / in.alpha;
  Outcome a, b;
  evaluate_ue(in, r, a);
  evaluate_ue(in, u, b);
  const double eps = kUeUtilityTie * std::max(1.0, std::abs(a.profit_n[c]));
  if (b.profit_n[c] > a.profit_n[c] + eps || (b.profit_n[c] >= a.profit_n[c] - eps && b.profit_m[c] > a.profit_m[c]))
    return u;
  return r;
}

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

namespace {

// Stackelberg chains (equilibrium = ue_decentralized): each chain's retailer and manufacturer
// against their exact best responses, and the ladders. A manufacturer's deviation is evaluated
// with its retailer re-optimising (ue_retailer_response), the other chains fixed.
UeVerification verify_ue_stackelberg(const Instance& in, const Strategy& s, const UeVerifyOptions& opt) {
  UeVerification r;
  Outcome base_o;
  evaluate_ue(in, s, base_o);
  const GainRecord note{r};
  const double du = std::max(1.0, std::abs(in.w));
  for (int c = 0; c < in.n_chains; ++c) {
    const int i0 = in.first_option[c], K = in.option_count[c];
    // ---- Retailer: retail prices and its lead times, the wholesale prices given.
    {
      const double base = base_o.profit_n[c];
      const double scale = std::max(std::abs(base), 1.0);
      auto gain_of = [&](const Strategy& d) {
        Outcome o;
        evaluate_ue(in, d, o);
        return (o.profit_n[c] - base) / scale;
      };
      note((ue_retailer_best_response_value(in, s, c) - base) / scale, r.best_response_gain, c);
      note(gain_of(ue_retailer_response(in, s, c)), r.ladder_gain, c);
      deviation_ladder(in, s, c, &Strategy::p, SlotOwner::retailer,
                       [&](const Strategy& t) { note(gain_of(t), r.ladder_gain, c); });
    }
    // ---- Manufacturer: wholesale prices and its lead times, its retailer responding.
    {
      const double base = base_o.profit_m[c];
      const double scale = std::max(std::abs(base), 1.0);
      auto gain_of = [&](const Strategy& d) {
        Outcome o;
        evaluate_ue(in, ue_retailer_response(in, d, c), o);
        return (o.profit_m[c] - base) / scale;
      };
      // Exact: the manufacturer earns the chain's margin less its retailer's, which is >= 0 in
      // any response, so the chain's best-response value bounds it; it is attained by a
      // wholesale price that leaves the retailer zero margin (fixed cost: the retailer's).
      Strategy d;
      const double sup = ue_best_response_value(in, s, c, &d) + in.fixed_cost[c];
      note((sup - base) / scale, r.best_response_gain, c);
      Outcome od;
      evaluate(in, d, od);
      for (int i = i0; i < i0 + K; ++i) d.wh[i] = d.p[i] - od.cost_n[i];
      note(gain_of(d), r.ladder_gain, c);
      for (int i = i0; i < i0 + K; ++i) d.wh[i] -= 1e-9 * du / in.alpha;  // a hair for the retailer
      note(gain_of(d), r.ladder_gain, c);
      deviation_ladder(in, s, c, &Strategy::wh, SlotOwner::manufacturer,
                       [&](const Strategy& t) { note(gain_of(t), r.ladder_gain, c); });
    }
  }
  return finish(r, in, s, base_o, opt);
}

}  // namespace

UeVerification verify_ue(const Instance& in, const Strategy& s, const UeVerifyOptions& opt) {
  if (in.readings.ue_decentralized) return verify_ue_stackelberg(in, s, opt);
  UeVerification r;
  Outcome base_o;
  evaluate_ue(in, s, base_o);
  const GainRecord note{r};
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
    deviation_ladder(in, s, c, &Strategy::p, SlotOwner::chain,
                     [&](const Strategy& t) { note(gain_of(t), r.ladder_gain, c); });
  }
  return finish(r, in, s, base_o, opt);
}

}  // namespace eqsweep::ma_sue
