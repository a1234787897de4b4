// UE (eq. (12)): deterministic choice, solved in closed form. The derivation is in
// docs/model-m.md, "UE (eq. 12)"; the equilibrium is checked by verify_ue (ue_verification.cpp),
// not trusted.

#include "models/ma_sue/ue_solver.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "models/ma_sue/ue_verification.hpp"

namespace eqsweep::ma_sue {

namespace {

double unit_total(const Outcome& o, int i) { return o.cost_m[i] + o.cost_n[i]; }

// Lead times that are not on a selling option's path do not matter to anyone's profit; they are
// put where the options they serve would want them (the mean of their beta_bar, as cold_start).
void neutral_lead_times(const Instance& in, Strategy& s) {
  for (int k = 0; k < in.n_slots; ++k) {
    double b = 0;
    int n = 0;
    for (int i = 0; i < in.n_options; ++i)
      if (in.slots[k].options >> i & 1u) b += in.beta_bar[i], ++n;
    s.t[k] = lead_time_for_marginal(in.slots[k].cost, std::max(b / std::max(n, 1), 1e-12) / in.alpha);
  }
}

// Chain c under sealed segments: each option is alone against no purchase, so a selling option is
// priced at utility 0 and the chain earns Q/alpha * sum over its selling set A of m_i S_i(t). For
// a given A the lead times maximise a concave separable function: -c'(t_k) = sum_A m_i beta_i /
// (alpha sum_A m_i) over the options of A that slot k serves. Every A is tried (at most 2^8).
// Writes the chain's lead times and prices into s; returns sum_A m_i S_i at the best A (0: none).
double sealed_chain_optimum(const Instance& in, int c, Strategy& s) {
  const int i0 = in.first_option[c], K = in.option_count[c];
  double best = 0;
  Strategy best_s = s;
  unsigned best_set = 0;
  Outcome o;
  for (unsigned set = 1; set < (1u << K); ++set) {
    Strategy t = s;
    for (int k = 0; k < in.n_slots; ++k) {
      const Slot& sl = in.slots[k];
      if (sl.chain != c) continue;
      double num = 0, den = 0;
      for (int q = 0; q < K; ++q)
        if ((set >> q & 1u) && (sl.options >> (i0 + q) & 1u)) {
          num += ue_weight(in, i0 + q) * in.beta_bar[i0 + q];
          den += ue_weight(in, i0 + q);
        }
      if (den > 0) t.t[k] = lead_time_for_marginal(sl.cost, num / den / in.alpha);
    }
    evaluate(in, t, o);
    double value = 0;
    for (int q = 0; q < K; ++q)
      if (set >> q & 1u) {
        const int i = i0 + q;
        value += ue_weight(in, i) * (in.w - in.beta_bar[i] * o.lead_time[i] - in.alpha * unit_total(o, i));
      }
    if (value > best) best = value, best_s = t, best_set = set;
  }
  // Non-selling copies keep the lead time they would want if they sold.
  s = best_s;
  evaluate(in, s, o);
  for (int q = 0; q < K; ++q) {
    const int i = i0 + q;
    const double S = in.w - in.beta_bar[i] * o.lead_time[i] - in.alpha * unit_total(o, i);
    const bool sells = (best_set >> q & 1u) && S >= 0;
    s.p[i] = sells ? (in.w - in.beta_bar[i] * o.lead_time[i]) / in.alpha : unit_total(o, i);
    s.wh[i] = o.cost_m[i];
  }
  return best;
}

}  // namespace

double ue_weight(const Instance& in, int i) {
  return in.readings.demand == DemandReading::mass_weighted ? in.mass[i] : 1.0;
}

void evaluate_ue(const Instance& in, const Strategy& s, Outcome& out) {
  evaluate(in, s, out);  // lead times and unit costs; its MNL demand is replaced below
  const int n = in.n_options;
  const double tol_v = kUeUtilityTie * std::max(1.0, std::abs(in.w));
  OptionArray<double> v{}, stake{};
  double vmax = -kInf, smax = 0;
  for (int i = 0; i < n; ++i) {
    v[i] = in.w - in.alpha * s.p[i] - in.beta_bar[i] * out.lead_time[i];
    stake[i] = ue_weight(in, i) * (s.p[i] - unit_total(out, i));
    vmax = std::max(vmax, v[i]);
    smax = std::max(smax, std::abs(stake[i]));
  }
  const double tol_s = kUeUtilityTie * std::max(1.0, smax);
  for (int i = 0; i < n; ++i) out.P[i] = 0;
  if (in.readings.choice == ChoiceReading::mnl) {
    const double top = std::max(vmax, 0.0);
    const bool outside_ties = top <= tol_v;  // no purchase (utility 0, earns 0) is among the best
    double best = outside_ties ? 0.0 : -kInf;
    for (int i = 0; i < n; ++i)
      if (v[i] >= top - tol_v) best = std::max(best, stake[i]);
    int winners = outside_ties && best <= tol_s ? 1 : 0;
    for (int i = 0; i < n; ++i)
      if (v[i] >= top - tol_v && stake[i] >= best - tol_s) ++winners;
    for (int i = 0; i < n; ++i)
      if (v[i] >= top - tol_v && stake[i] >= best - tol_s) out.P[i] = 1.0 / winners;
  } else {
    for (int i = 0; i < n; ++i) {
      if (v[i] > tol_v) out.P[i] = 1;
      else if (v[i] >= -tol_v) out.P[i] = stake[i] > tol_s ? 1.0 : stake[i] >= -tol_s ? 0.5 : 0.0;
    }
  }
  double bought = 0;
  for (int i = 0; i < n; ++i) {
    out.x[i] = in.Q * ue_weight(in, i) * out.P[i];
    bought += out.x[i];
  }
  out.no_purchase = 1.0 - bought / in.Q;
  for (int c = 0; c < in.n_chains; ++c) {
    double pc = 0;
    for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i)
      pc += (s.p[i] - unit_total(out, i)) * out.x[i];
    out.profit_chain[c] = pc - in.fixed_cost[c];
    out.profit_m[c] = out.profit_n[c] = 0;
    if (!in.readings.ue_decentralized) continue;
    // Stackelberg chains: the manufacturer earns the wholesale margin, the retailer the retail
    // margin and bears the fixed cost per option (as evaluate() splits them).
    double pm = 0;
    for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i)
      pm += (s.wh[i] - out.cost_m[i]) * out.x[i];
    out.profit_m[c] = pm;
    out.profit_n[c] = pc - pm - in.fixed_cost[c];
  }
}

double ue_capacity(const Instance& in, int i, Strategy* t) {
  Strategy trial;
  neutral_lead_times(in, trial);
  for (int k = 0; k < in.n_slots; ++k)
    if (in.slots[k].options >> i & 1u)
      trial.t[k] = lead_time_for_marginal(in.slots[k].cost, in.beta_bar[i] / in.alpha);
  Outcome o;
  evaluate(in, trial, o);
  if (t)
    for (int k = 0; k < in.n_slots; ++k)
      if (in.slots[k].options >> i & 1u) t->t[k] = trial.t[k];
  return in.w - in.beta_bar[i] * o.lead_time[i] - in.alpha * unit_total(o, i);
}

SolveSummary solve_ue(const Instance& in, Strategy& s) {
  SolveSummary sum;
  if (in.readings.equilibrium == Equilibrium::decentralized) {
    sum.message = "UE with Stackelberg chains is equilibrium = ue_decentralized (Readings::ue_decentralized)";
    return sum;
  }
  if (in.readings.ue_decentralized)
    for (int k = 0; k < in.n_slots; ++k)
      if (in.slots[k].retailer && std::popcount(in.slots[k].options) > 1) {
        // The retailer's capacity per option is then not separable in its lead time, and the
        // leader's extraction below is not derived (docs/model-m.md, "UE (eq. 12)").
        sum.message = "ue_decentralized: a retailer-owned link shared by several options is not supported";
        return sum;
      }
  const int n = in.n_options;
  for (int i = 0; i < n; ++i)
    if (!(in.beta_bar[i] > 0) || !std::isfinite(in.beta_bar[i])) {
      sum.message = "a segment has beta_bar <= 0: no lead time satisfies -c'(t) = beta_bar/alpha";
      return sum;
    }
  neutral_lead_times(in, s);
  Outcome o;
  if (in.readings.choice == ChoiceReading::sealed) {
    for (int c = 0; c < in.n_chains; ++c) sealed_chain_optimum(in, c, s);
  } else {
    // Each option's zero-margin utility S_i with its own lead times; a chain can offer up to
    // the best of its options' S_i without a loss.
    OptionArray<double> S{};
    std::array<Strategy, kMaxOptions> own{};
    for (int i = 0; i < n; ++i) S[i] = ue_capacity(in, i, &own[i]);
    std::array<double, kMaxChains> cap{};
    std::array<int, kMaxChains> best_option{};
    int c1 = 0;
    for (int c = 0; c < in.n_chains; ++c) {
      best_option[c] = in.first_option[c];
      for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i)
        if (S[i] > S[best_option[c]]) best_option[c] = i;
      cap[c] = S[best_option[c]];
      if (cap[c] > cap[c1]) c1 = c;
    }
    double runner_up = -kInf;
    for (int c = 0; c < in.n_chains; ++c)
      if (c != c1) runner_up = std::max(runner_up, cap[c]);
    const double v_star = std::max(runner_up, 0.0);  // the utility the winner must match
    const bool winner = cap[c1] > v_star + kUeUtilityTie * std::max(1.0, std::abs(in.w));
    // The winner's selling option maximises m_i (S_i - v*); every other chain's slots sit where
    // its best option wants them, so that it does offer its capacity at zero margin.
    for (int c = 0; c < in.n_chains; ++c) {
      int key = best_option[c];
      if (winner && c == c1)
        for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i)
          if (ue_weight(in, i) * (S[i] - v_star) > ue_weight(in, key) * (S[key] - v_star)) key = i;
      for (int k = 0; k < in.n_slots; ++k) {
        const Slot& sl = in.slots[k];
        if (sl.chain != c) continue;
        const int owner = sl.copy < 0 ? key : in.first_option[c] + sl.copy;
        s.t[k] = own[owner].t[k];
      }
      best_option[c] = key;
    }
    evaluate(in, s, o);
    for (int i = 0; i < n; ++i) {
      const int c = in.chain[i];
      const double C = unit_total(o, i);
      const double zero_margin_utility = in.w - in.beta_bar[i] * o.lead_time[i] - in.alpha * C;
      if (winner && c == c1 && i == best_option[c])
        s.p[i] = (in.w - in.beta_bar[i] * o.lead_time[i] - v_star) / in.alpha;
      else if (winner && c == c1)  // offers at most v*, never more than its own margin allows
        s.p[i] = C + std::max(0.0, zero_margin_utility - v_star) / in.alpha;
      else
        s.p[i] = C;  // losers price at cost: they offer their capacity
      s.wh[i] = o.cost_m[i];
    }
  }
  if (in.readings.ue_decentralized) {
    // Stackelberg chains: the same menu; each manufacturer extracts the whole chain margin with
    // its wholesale price, so its retailer sells at zero margin (wh_i = p_i - retailer's unit
    // cost; losers: wh at the manufacturer's unit cost, retail price at cost). The derivation
    // and the tie rule (a retailer at zero margin sells) are in docs/model-m.md.
    evaluate(in, s, o);
    for (int i = 0; i < n; ++i) s.wh[i] = s.p[i] - o.cost_n[i];
  }
  sum.converged = true;
  sum.iterations = 0;
  sum.final_error = 0;
  return sum;
}

UePoint solve_ue_point(const Instance& in) {
  UePoint p;
  p.summary = solve_ue(in, p.s);
  if (p.summary.converged) p.verification = verify_ue(in, p.s);
  p.ok = p.summary.converged && p.verification.passed;
  evaluate_ue(in, p.s, p.o);
  return p;
}

// Declared in ue_verification.hpp: the sealed optimum is shared with the verifier's best response.
double ue_sealed_chain_optimum(const Instance& in, int c, Strategy& s) { return sealed_chain_optimum(in, c, s); }

}  // namespace eqsweep::ma_sue
