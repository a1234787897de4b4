#pragma once
// Checks a candidate equilibrium by its own conditions, whichever solver produced it. Two levels
// (VerifyOptions::level):
//
//  - certificate (default): for every player, the first-order (KKT) residual of its profit in
//    its own decisions from the analytic gradient, and then either
//     * structural (where a theorem applies; docs/model-m.md, "Speed", "The structural
//       certificate"): the player's global best response is computed exactly (its profit is strictly concave in
//       its market shares once its lead times sit at their convex minimiser; the markups solve
//       one increasing scalar equation), and the gain is that best profit minus the
//       candidate's. Hypotheses, checked at the point: every lead-time slot the player's
//       problem sets (for the leader also its retailer's) serves options of one beta_bar > 0,
//       c(t) = a/t^k + b with a, k > 0; the leader needs printed MNL demand or sealed segments
//       (decentralized mass-weighted MNL leaders are probed: their profit is not concave in the
//       shares everywhere, docs/model-m.md);
//     * probes otherwise: the second-order condition (the Hessian of that profit in those
//       decisions negative definite: a strict local maximum) and global deviation probes (the
//       player's own best response searched by safeguarded Newton ascent from far starts;
//       every iterate is a real unilateral deviation, and the best relative gain found is
//       reported).
//  - audit: the first session's check, kept to audit the certificate: central-difference
//    gradients and a ladder of coarse deviations (+-1 %..x2 per decision, a Newton trial, joint
//    scalings), about 40 network evaluations per player.
//
// In the decentralized game a manufacturer's profit is judged with its own retailer
// re-optimising (the leader anticipates its follower), or with every retailer re-equilibrating
// under anticipation = "retail_equilibrium" (verification_leader_equilibrium.cpp). Structural: the retailer's exact response
// and its closed-form derivatives give the leader's gradient. Probed: the gradient follows from
// the implicit function theorem at the retailer's optimum, the Hessian from differences of it.
//
// Code: verification.cpp (verify, payoff_gradient) lists the files of each part.

#include "models/ma_sue/game.hpp"

namespace eqsweep::ma_sue {

enum class VerifyLevel { certificate, audit };

struct VerifyOptions {
  double kkt_tolerance = 1e-6;        // relative: |dpi/dv| max(|v|,1) / max(|pi|,1)
  double deviation_tolerance = 1e-9;  // relative profit gain
  VerifyLevel level = VerifyLevel::certificate;
  // Certificate probes: Newton steps from the candidate itself and from two far starts (every
  // own decision scaled by probe_low, probe_high).
  double probe_low = 0.5, probe_high = 2.0;
  int probe_steps = 4;
  // false: probes for every player even where the structural certificate applies (tests).
  bool structural = true;
};

struct Verification {
  double kkt_residual = 0;
  double deviation_gain = 0;  // best relative gain found over all players
  // certificate: every probed player's Hessian negative definite (a structural player's
  // candidate is compared with its exact global best response instead)
  bool local_maximum = true;
  int worst_player = -1;      // chain index (+ n_chains for a manufacturer in the decentralized game;
                              // 2 n_chains: the joint leader, leader_objective = "joint")
  bool passed = false;
  int structural_players = 0, probed_players = 0;  // certificate: players checked either way
};

Verification verify(const Instance& in, const Strategy& s, const VerifyOptions& o = {});

// The retailer of chain c re-optimises its retail prices and lead times with everything else
// fixed (used by the manufacturer's anticipation in the audit level and by tests).
void retailer_best_response(const Instance& in, Strategy& s, int c);

// Every retailer's best response in turn until none moves (the retail-stage Nash equilibrium
// given the wholesale prices and manufacturer lead times): what a leader with
// anticipation = "retail_equilibrium" is judged with.
void retail_equilibrium(const Instance& in, Strategy& s);

// A player of chain c and its own decisions, in this order: the prices of the chain's options
// (retail prices; wholesale prices for the manufacturer), then the lead-time slots it owns.
enum class PlayerKind { chain_owner, manufacturer, retailer };

// The gradient of the player's profit in its own decisions, analytic or by central differences
// of evaluate() (the audit's method); returns the number of decisions written to g. For the
// manufacturer the retailer re-optimises: analytically through the implicit function theorem,
// which assumes s has the retailer at its best response; numerically by retailer_best_response.
int payoff_gradient(const Instance& in, const Strategy& s, int chain, PlayerKind kind, bool analytic, double* g);

// The structural certificate's gradient of the manufacturer's (leader's) profit in its own
// decisions, with its retailer at the exact best response to s's wholesale prices and lead times
// (closed form); -1 where the structural hypotheses do not hold. For tests.
int structural_leader_gradient(const Instance& in, const Strategy& s, int chain, double* g);

}  // namespace eqsweep::ma_sue
