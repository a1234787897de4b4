// The audit level: central differences and a ladder of coarse deviations per player
// (verification_audit.hpp).

#include "models/ma_sue/verification_audit.hpp"

#include <algorithm>
#include <cmath>

#include "models/ma_sue/collusive_leaders.hpp"
#include "models/ma_sue/verification_joint_leader.hpp"

namespace eqsweep::ma_sue::verification_detail {

Player make_player(const Instance& in, int c, PlayerKind kind) {
  Player pl;
  pl.chain = c;
  pl.kind = kind;
  for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) {
    pl.index[pl.n] = i;
    pl.is_slot[pl.n++] = false;
  }
  for (int k = 0; k < in.n_slots; ++k) {
    const Slot& sl = in.slots[k];
    if (sl.chain != c) continue;
    if (kind == PlayerKind::manufacturer && sl.retailer) continue;
    if (kind == PlayerKind::retailer && !sl.retailer) continue;
    pl.index[pl.n] = k;
    pl.is_slot[pl.n++] = true;
  }
  return pl;
}

double payoff(const Instance& in, Strategy s, const Player& pl) {
  if (pl.kind == PlayerKind::manufacturer) {
    if (in.readings.anticipation == Anticipation::retail_equilibrium) retail_equilibrium(in, s);
    else retailer_best_response(in, s, pl.chain);
  }
  Outcome o;
  evaluate(in, s, o);
  switch (pl.kind) {
    case PlayerKind::chain_owner: return o.profit_chain[pl.chain];
    case PlayerKind::manufacturer: return o.profit_m[pl.chain];
    case PlayerKind::retailer: return o.profit_n[pl.chain];
  }
  return 0;
}

double central_difference(const Instance& in, Strategy& d, const Player& pl, int v, double* fp_out, double* fm_out,
                          double* h_out) {
  const double x0 = var(d, pl, v);
  const double h = 1e-5 * std::max(std::abs(x0), 1.0);
  var(d, pl, v) = x0 + h;
  const double fp = payoff(in, d, pl);
  var(d, pl, v) = x0 - h;
  const double fm = payoff(in, d, pl);
  var(d, pl, v) = x0;
  if (fp_out) *fp_out = fp, *fm_out = fm, *h_out = h;
  return (fp - fm) / (2 * h);
}

Verification verify_audit(const Instance& in, const Strategy& s, const VerifyOptions& opt) {
  Verification out;
  Player players[2 * kMaxChains];
  int np = 0;
  for (int c = 0; c < in.n_chains; ++c) {
    if (in.readings.equilibrium == Equilibrium::centralized) {
      players[np++] = make_player(in, c, PlayerKind::chain_owner);
    } else {
      players[np++] = make_player(in, c, PlayerKind::retailer);
      if (!joint_leaders(in)) players[np++] = make_player(in, c, PlayerKind::manufacturer);
    }
  }
  for (int q = 0; q < np; ++q) {
    const Player& pl = players[q];
    double kkt = 0, gain = 0;
    audit_player(in, s, pl, kkt, gain);
    out.kkt_residual = std::max(out.kkt_residual, kkt);
    if (gain > out.deviation_gain)
      out.deviation_gain = gain, out.worst_player = pl.kind == PlayerKind::manufacturer ? pl.chain + in.n_chains : pl.chain;
  }
  if (joint_leaders(in)) {  // central differences and the ladder (or the exact Phi deviation), player 2 n_chains
    const PlayerCheck j = check_joint_leader(in, s, opt);
    out.kkt_residual = std::max(out.kkt_residual, j.kkt);
    if (j.gain > out.deviation_gain) out.deviation_gain = j.gain, out.worst_player = 2 * in.n_chains;
  }
  out.passed = std::isfinite(out.kkt_residual) && out.kkt_residual <= opt.kkt_tolerance &&
               out.deviation_gain <= opt.deviation_tolerance;
  return out;
}

void audit_player(const Instance& in, const Strategy& s, const Player& pl, double& kkt_out, double& gain_out) {
  const double base = payoff(in, s, pl);
  const double scale = std::max(std::abs(base), 1.0);
  Strategy d = s;
  for (int v = 0; v < pl.n; ++v) {
    const double x0 = var(d, pl, v);
    double fp, fm, h;
    const double g = central_difference(in, d, pl, v, &fp, &fm, &h);
    const double kkt = std::abs(g) * std::max(std::abs(x0), 1.0) / scale;
    if (kkt > kkt_out) kkt_out = kkt;
    // Newton step on the curvature along v, then a ladder of coarse deviations.
    const double curv = (fp - 2 * base + fm) / (h * h);
    double trials[8] = {0.5, 0.8, 0.95, 0.99, 1.01, 1.05, 1.25, 2.0};
    for (int k = -1; k < 8; ++k) {
      const double x = k < 0 ? (curv < 0 ? x0 - g / curv : x0) : x0 * trials[k];
      if (!(x > 0) || x == x0) continue;
      var(d, pl, v) = x;
      const double gain = (payoff(in, d, pl) - base) / scale;
      var(d, pl, v) = x0;
      gain_out = std::max(gain_out, gain);
    }
  }
  for (double f : {0.9, 0.98, 1.02, 1.1}) {  // all decisions of the player together
    for (int v = 0; v < pl.n; ++v) var(d, pl, v) *= f;
    gain_out = std::max(gain_out, (payoff(in, d, pl) - base) / scale);
    d = s;
  }
}

}  // namespace eqsweep::ma_sue::verification_detail
