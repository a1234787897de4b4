// The joint leader's check (verification_joint_leader.hpp).

#include "models/ma_sue/verification_joint_leader.hpp"

#include <algorithm>
#include <cmath>

#include "models/ma_sue/collusive_leaders.hpp"
#include "models/ma_sue/verification_structural.hpp"

namespace eqsweep::ma_sue::verification_detail {

namespace {

// The joint leader's decisions: every option's wholesale price, then every manufacturer slot.
struct JointDecisions {
  int n = 0;
  std::array<double*, kMaxOptions + kMaxSlots> v{};
};

JointDecisions decisions_of(const Instance& in, Strategy& s) {
  JointDecisions d;
  for (int i = 0; i < in.n_options; ++i) d.v[d.n++] = &s.wh[i];
  for (int k = 0; k < in.n_slots; ++k)
    if (!in.slots[k].retailer) d.v[d.n++] = &s.t[k];
  return d;
}

// The deviation that plays shares P at lead times t: retail prices from V_j = ln P_j - ln P_0,
// wholesale prices below them by each retailer's markup 1/(alpha (1 - S_u)) (its response at any
// retail equilibrium), then the retail stage re-equilibrates in joint_leader_payoff.
Strategy playing(const Instance& in, const Strategy& s, const OptionArray<double>& P,
                 const std::array<double, kMaxSlots>& t) {
  Strategy d = s;
  d.t = t;
  Outcome o;
  evaluate(in, d, o);
  std::array<double, kMaxChains> S{};
  double P0 = 1;
  for (int i = 0; i < in.n_options; ++i) S[in.chain[i]] += P[i], P0 -= P[i];
  for (int i = 0; i < in.n_options; ++i) {
    const double V = std::log(P[i]) - std::log(P0);
    d.p[i] = (in.w - in.beta_bar[i] * o.lead_time[i] - V) / in.alpha;
    d.wh[i] = d.p[i] - o.cost_n[i] - 1.0 / (in.alpha * (1.0 - S[in.chain[i]]));
  }
  return d;
}

// The best real payoff among the maximiser of Phi at lead times t (from the candidate's shares).
double phi_deviation(const Instance& in, const Strategy& s, const std::array<double, kMaxSlots>& t) {
  Strategy at = s;
  at.t = t;
  Outcome o;
  evaluate(in, at, o);
  OptionArray<double> G{}, P = o.P;
  for (int i = 0; i < in.n_options; ++i)
    G[i] = in.w - in.beta_bar[i] * o.lead_time[i] - in.alpha * (o.cost_m[i] + o.cost_n[i]);
  joint_leader_optimum(in, G, P);
  return joint_leader_payoff(in, playing(in, s, P, t));
}

}  // namespace

double joint_leader_payoff(const Instance& in, Strategy s) {
  retail_equilibrium(in, s);
  Outcome o;
  evaluate(in, s, o);
  double sum = 0;
  for (int c = 0; c < in.n_chains; ++c) sum += o.profit_m[c];
  return sum;
}

PlayerCheck check_joint_leader(const Instance& in, const Strategy& candidate, const VerifyOptions&) {
  PlayerCheck out;
  // Judged at its own decisions with the retail stage's response to them (as every leader is).
  Strategy s = candidate;
  retail_equilibrium(in, s);
  const double base = joint_leader_payoff(in, s);
  const double scale = std::max(std::abs(base), 1.0);
  Strategy d = s;
  const JointDecisions dec = decisions_of(in, d);
  for (int a = 0; a < dec.n; ++a) {
    const double x0 = *dec.v[a], h = 1e-5 * std::max(std::abs(x0), 1.0);
    *dec.v[a] = x0 + h;
    const double fp = joint_leader_payoff(in, d);
    *dec.v[a] = x0 - h;
    const double fm = joint_leader_payoff(in, d);
    *dec.v[a] = x0;
    out.kkt = std::max(out.kkt, std::abs(fp - fm) / (2 * h) * std::max(std::abs(x0), 1.0) / scale);
  }
  std::array<double, kMaxSlots> t = s.t;
  bool fixed = true;
  for (int k = 0; k < in.n_slots && fixed; ++k) fixed = fixed_target(in, k, t[k]);
  double best = base;
  if (fixed) {
    best = std::max(best, phi_deviation(in, s, t));
  } else {
    best = std::max(best, phi_deviation(in, s, s.t));
    for (int a = 0; a < dec.n; ++a) {
      const double x0 = *dec.v[a];
      for (double f : {0.5, 0.8, 0.95, 0.99, 0.999, 1.001, 1.01, 1.05, 1.25, 2.0}) {
        *dec.v[a] = x0 * f;
        best = std::max(best, joint_leader_payoff(in, d));
      }
      *dec.v[a] = x0;
    }
    for (double f : {0.9, 0.98, 0.999, 1.001, 1.02, 1.1}) {
      for (int a = 0; a < dec.n; ++a) *dec.v[a] *= f;
      best = std::max(best, joint_leader_payoff(in, d));
      d = s;
    }
  }
  out.gain = (best - base) / scale;
  return out;
}

}  // namespace eqsweep::ma_sue::verification_detail
