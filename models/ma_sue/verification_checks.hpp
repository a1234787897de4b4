#pragma once
// The certificate level's checks of one player (verification.hpp), among which
// verify_certificate (verification.cpp) chooses per player and point: the structural
// certificate where its hypotheses hold, the probes otherwise, and the leader under
// anticipation = "retail_equilibrium". Internal to the verification.

#include "models/ma_sue/verification_chain_profit.hpp"

namespace eqsweep::ma_sue::verification_detail {

// One player's result: the relative KKT residual, the best relative gain found (or the exact one)
// and whether its profit has a strict local maximum at the candidate (probed players).
struct PlayerCheck {
  double kkt = 0, gain = 0;
  bool local_max = true;
};

// ---- Probes (verification_probes.cpp) ----

// The chain owner or a retailer: analytic KKT residual, Hessian negative definite, and Newton
// ascent probes from the candidate and from far starts.
PlayerCheck check_own(const Instance& in, const Strategy& s, int c, PlayerKind kind, const VerifyOptions& opt);

// The leader (manufacturer) with its own retailer at its best response: the reduced gradient by
// the implicit function theorem, the reduced Hessian from its differences, and chord-Newton
// probes.
PlayerCheck check_leader(const Instance& in, const Strategy& candidate, int c, const VerifyOptions& opt);

// The leader's (manufacturer's) gradient in its decisions z with the retailer's decisions y at
// their optimum: G = dpi_m/dz - Hn_zy Hn_yy^-1 dpi_m/dy (implicit function theorem on
// dpi_n/dy = 0). False if Hn_yy is not negative definite (no differentiable response).
bool leader_gradient(const ChainView& v, const Strategy& s, const Decisions& y, const Decisions& z, DVec& G,
                     double& profit_m);

// ---- The structural certificate (verification_structural.cpp) ----

// Chain owner or retailer: the KKT residual from the analytic gradient, and the exact gain
// against the closed-form global best response; false where the hypotheses do not hold.
// `respond` (optional) receives the player's best response.
bool structural_own(const ChainView& v, const Strategy& s, PlayerKind kind, PlayerCheck& out,
                    Strategy* respond = nullptr);

// The leader: its profit with the retailer's exact response `response` to the candidate's
// wholesale prices and lead times (as the audit judges it), the KKT residual of that reduced
// profit, and the exact gain; false where the hypotheses do not hold.
bool structural_leader(const ChainView& v, const Strategy& candidate, const Strategy& response, PlayerCheck& out);

// ---- The leader under anticipation = "retail_equilibrium" (verification_leader_equilibrium.cpp) ----

// Printed MNL: judged with every retailer re-equilibrating; exact gain by a scalar search where
// every slot of the chain has a fixed target, the audit's ladder elsewhere.
PlayerCheck check_leader_equilibrium(const Instance& in, const Strategy& candidate, int c, const VerifyOptions& opt);

}  // namespace eqsweep::ma_sue::verification_detail
