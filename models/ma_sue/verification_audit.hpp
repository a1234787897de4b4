#pragma once
// The audit level (verification.hpp): a player's profit evaluated through evaluate(), the
// manufacturer's with its retailer (or every retailer) re-optimising, its gradient by central
// differences, and the ladder of coarse deviations. The player and its numeric profit are also
// what the retail-equilibrium leader's check and payoff_gradient's numeric path use. Internal to
// the verification.

#include <array>

#include "models/ma_sue/game.hpp"
#include "models/ma_sue/verification.hpp"

namespace eqsweep::ma_sue::verification_detail {

// A player's decision variables as pointers into a strategy, in payoff_gradient's order.
struct Player {
  int chain = 0;
  PlayerKind kind = PlayerKind::chain_owner;
  int n = 0;
  std::array<int, kMaxOptions + kMaxSlots> index{};  // the option (a price) or, where is_slot, the slot
  std::array<bool, kMaxOptions + kMaxSlots> is_slot{};
};

inline double& var(Strategy& s, const Player& pl, int v) {
  const int idx = pl.index[v];
  if (pl.is_slot[v]) return s.t[idx];
  return pl.kind == PlayerKind::manufacturer ? s.wh[idx] : s.p[idx];
}

Player make_player(const Instance& in, int c, PlayerKind kind);

// The player's profit at s, by evaluate(); a manufacturer's after its anticipated retail response
// (readings.hpp: its own retailer, or every retailer re-equilibrating).
double payoff(const Instance& in, Strategy s, const Player& pl);

// dpi/dv by central differences with step 1e-5 max(|v|, 1); fp, fm, h for the audit's curvature.
// d is restored.
double central_difference(const Instance& in, Strategy& d, const Player& pl, int v, double* fp_out = nullptr,
                          double* fm_out = nullptr, double* h_out = nullptr);

// The audit level: the first session's check (verification.hpp).
Verification verify_audit(const Instance& in, const Strategy& s, const VerifyOptions& opt);

// One player's part of it: raises kkt and gain (relative) to what its central differences and
// deviation ladder find.
void audit_player(const Instance& in, const Strategy& s, const Player& pl, double& kkt, double& gain);

}  // namespace eqsweep::ma_sue::verification_detail
