#pragma once
// The certificate's and the audit's check of collusive leaders (leader_objective = "joint",
// collusive_leaders.hpp): one player, the joint leader, whose decisions are every wholesale price
// and every manufacturer lead-time slot and whose payoff is the sum of the manufacturers' profits
// with every retailer re-equilibrating (retail_equilibrium()). The retailers keep their own checks.
// Internal to the verification.

#include "models/ma_sue/verification_checks.hpp"

namespace eqsweep::ma_sue::verification_detail {

// The joint leader's payoff at s after the retail stage re-equilibrates.
double joint_leader_payoff(const Instance& in, Strategy s);

// KKT residual by central differences of joint_leader_payoff in every decision of the joint
// leader (relative as elsewhere: |g| max(|v|, 1) / max(|payoff|, 1)); the gain: where every slot
// of every chain has a fixed target (fixed_target), the exact maximiser of the strictly concave
// Phi (joint_leader_optimum) played as a real deviation (its wholesale prices, the retail stage
// re-equilibrating); elsewhere the same at the candidate's lead times plus the audit's ladder of
// coarse deviations per decision and jointly.
PlayerCheck check_joint_leader(const Instance& in, const Strategy& candidate, const VerifyOptions& opt);

}  // namespace eqsweep::ma_sue::verification_detail
