#pragma once
// Checks a candidate equilibrium by its own conditions, whichever solver produced it: the
// first-order (KKT) residual of every player's profit in its own decisions, and a search for a
// profitable unilateral deviation of every player. In the decentralized game a manufacturer's
// deviation is judged with its own retailer re-optimising (the leader anticipates its follower).

#include "models/ma_sue/game.hpp"

namespace eqsweep::ma_sue {

struct VerifyOptions {
  double kkt_tolerance = 1e-6;        // relative: |dpi/dv| max(|v|,1) / max(|pi|,1)
  double deviation_tolerance = 1e-9;  // relative profit gain
};

struct Verification {
  double kkt_residual = 0;
  double deviation_gain = 0;  // best relative gain found over all players
  int worst_player = -1;      // chain index (+ n_chains for a manufacturer in the decentralized game)
  bool passed = false;
};

Verification verify(const Instance& in, const Strategy& s, const VerifyOptions& o = {});

// The retailer of chain c re-optimises its retail prices and lead times with everything else
// fixed (used by the manufacturer's anticipation and by tests).
void retailer_best_response(const Instance& in, Strategy& s, int c);

}  // namespace eqsweep::ma_sue
