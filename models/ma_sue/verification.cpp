#include "models/ma_sue/verification.hpp"

#include <algorithm>
#include <cmath>

#include "models/ma_sue/markups.hpp"

namespace eqsweep::ma_sue {

namespace {

// A player's decision variables as pointers into a strategy.
struct Player {
  int chain = 0;
  enum Kind { chain_owner, manufacturer, retailer } kind = chain_owner;
  int n = 0;
  std::array<int, kMaxOptions + kMaxSlots> index{};  // < kMaxOptions: price of option; else slot
  std::array<bool, kMaxOptions + kMaxSlots> is_slot{};
};

double& var(Strategy& s, const Player& pl, int v) {
  const int idx = pl.index[v];
  if (pl.is_slot[v]) return s.t[idx];
  return pl.kind == Player::manufacturer ? s.wh[idx] : s.p[idx];
}

Player make_player(const Instance& in, int c, Player::Kind kind) {
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
    if (kind == Player::manufacturer && sl.retailer) continue;
    if (kind == Player::retailer && !sl.retailer) continue;
    pl.index[pl.n] = k;
    pl.is_slot[pl.n++] = true;
  }
  return pl;
}

double payoff(const Instance& in, Strategy s, const Player& pl) {
  if (pl.kind == Player::manufacturer) retailer_best_response(in, s, pl.chain);
  Outcome o;
  evaluate(in, s, o);
  switch (pl.kind) {
    case Player::chain_owner: return o.profit_chain[pl.chain];
    case Player::manufacturer: return o.profit_m[pl.chain];
    case Player::retailer: return o.profit_n[pl.chain];
  }
  return 0;
}

}  // namespace

void retailer_best_response(const Instance& in, Strategy& s, int c) {
  // The retailer's conditions are the markup and lead-time formulas of markups.hpp with the
  // wholesale prices held: iterate them on the chain's shares to a fixed point.
  const int i0 = in.first_option[c], i1 = i0 + in.option_count[c];
  Outcome o;
  for (int pass = 0; pass < 200; ++pass) {
    evaluate(in, s, o);
    Strategy t = s;
    best_response_strategy(in, o.P, t, 1u << c);
    double change = 0;
    for (int k = 0; k < in.n_slots; ++k)
      if (in.slots[k].chain == c && in.slots[k].retailer) {
        change = std::max(change, std::abs(s.t[k] - t.t[k]));
        s.t[k] = t.t[k];
      }
    evaluate(in, s, o);
    // Newton on the retailer markup r: a r (1 - S(r)) = 1, S the chain total (sealed: the option's P).
    const bool sealed = in.readings.choice == ChoiceReading::sealed;
    double S = 0;
    for (int i = i0; i < i1; ++i) S += o.P[i];
    for (int i = i0; i < i1; ++i) {
      const double share = sealed ? o.P[i] : S;
      const double r_cur = s.p[i] - s.wh[i] - o.cost_n[i];
      // g(r) = a r (1 - share(r)) - 1, d share/dr = -a share (1 - share) (within-chain total).
      const double g = in.alpha * r_cur * (1 - share) - 1;
      const double dg = in.alpha * (1 - share) + in.alpha * r_cur * in.alpha * share * (1 - share);
      const double r = r_cur - g / dg;
      change = std::max(change, std::abs(r - r_cur));
      s.p[i] = s.wh[i] + o.cost_n[i] + r;
    }
    if (change < 1e-14) break;
  }
}

Verification verify(const Instance& in, const Strategy& s, const VerifyOptions& opt) {
  Verification out;
  Player players[2 * kMaxChains];
  int np = 0;
  for (int c = 0; c < in.n_chains; ++c) {
    if (in.readings.equilibrium == Equilibrium::centralized) {
      players[np++] = make_player(in, c, Player::chain_owner);
    } else {
      players[np++] = make_player(in, c, Player::retailer);
      players[np++] = make_player(in, c, Player::manufacturer);
    }
  }
  for (int q = 0; q < np; ++q) {
    const Player& pl = players[q];
    const double base = payoff(in, s, pl);
    const double scale = std::max(std::abs(base), 1.0);
    const int who = pl.kind == Player::manufacturer ? pl.chain + in.n_chains : pl.chain;
    Strategy d = s;
    for (int v = 0; v < pl.n; ++v) {
      const double x0 = var(d, pl, v);
      const double h = 1e-5 * std::max(std::abs(x0), 1.0);
      var(d, pl, v) = x0 + h;
      const double fp = payoff(in, d, pl);
      var(d, pl, v) = x0 - h;
      const double fm = payoff(in, d, pl);
      var(d, pl, v) = x0;
      const double g = (fp - fm) / (2 * h);
      const double kkt = std::abs(g) * std::max(std::abs(x0), 1.0) / scale;
      if (kkt > out.kkt_residual) out.kkt_residual = kkt;
      // Newton step on the curvature along v, then a ladder of coarse deviations.
      const double curv = (fp - 2 * base + fm) / (h * h);
      double trials[8] = {0.5, 0.8, 0.95, 0.99, 1.01, 1.05, 1.25, 2.0};
      for (int k = -1; k < 8; ++k) {
        const double x = k < 0 ? (curv < 0 ? x0 - g / curv : x0) : x0 * trials[k];
        if (!(x > 0) || x == x0) continue;
        var(d, pl, v) = x;
        const double gain = (payoff(in, d, pl) - base) / scale;
        var(d, pl, v) = x0;
        if (gain > out.deviation_gain) out.deviation_gain = gain, out.worst_player = who;
      }
    }
    for (double f : {0.9, 0.98, 1.02, 1.1}) {  // all decisions of the player together
      for (int v = 0; v < pl.n; ++v) var(d, pl, v) *= f;
      const double gain = (payoff(in, d, pl) - base) / scale;
      if (gain > out.deviation_gain) out.deviation_gain = gain, out.worst_player = who;
      d = s;
    }
  }
  out.passed = std::isfinite(out.kkt_residual) && out.kkt_residual <= opt.kkt_tolerance &&
               out.deviation_gain <= opt.deviation_tolerance;
  return out;
}

}  // namespace eqsweep::ma_sue
