#pragma once
// Model M under Wardrop's user equilibrium (UE, eq. (12)): customers choose deterministically the
// option with the highest utility V_i = w - alpha p_i - beta_bar_i T_i, or nothing (utility 0).
// docs/model-m.md ("UE (eq. 12)") derives the equilibrium solved here in closed form: lead times
// from -c'(t) = beta_bar/alpha, each option's zero-margin utility S_i, and Bertrand competition in
// utility (the chain with the highest S wins at the runner-up's S, or at utility 0 when no rival
// can offer a non-negative utility). Centralized chains (equilibrium = "ue"), or Stackelberg chains
// (equilibrium = "ue_decentralized", Readings::ue_decentralized): the same menu, each manufacturer
// extracting the whole chain margin with its wholesale price, so that its retailer sells at zero
// margin (no double marginalisation under Bertrand competition).

#include <cstddef>
#include <span>

#include "engine/model.hpp"
#include "models/ma_sue/game.hpp"
#include "models/ma_sue/solver.hpp"
#include "models/ma_sue/ue_verification.hpp"

namespace eqsweep::ma_sue {

// Utilities within this distance (times max(1, |w|)) are equal: the closed-form prices make the
// winner's and the runner-up's utilities equal up to rounding, and a tie must read as a tie.
inline constexpr double kUeUtilityTie = 1e-12;

// Demand weight of option i: 1 (demand = printed, x_i = Q P_i) or the segment mass (mass_weighted).
double ue_weight(const Instance& in, int i);

// Outcome under deterministic choice. Lead times, unit costs (and the MNL fields, which are then
// overwritten) come from evaluate() in game.cpp; P, x, no_purchase and profits are UE's:
//  - choice = mnl (eq. (12) as printed, all options compared): the options whose utility is the
//    highest (and the no-purchase option, utility 0, when that maximum is 0) tie; the tie goes to
//    the option(s) earning the most from it, m_i (p_i - unit cost_i) with m_i the demand weight
//    (no purchase earns 0); options still equal split the market equally;
//  - choice = sealed (footnote 2): each option against no purchase only, same tie rule.
// x_i = Q m_i P_i. Profits are chain profits; profit_m, profit_n are 0 for centralized chains and
// the wholesale and retail margins (the retailer bearing the fixed cost, as evaluate()) for
// Stackelberg chains. The tie rule ranks options by their chain's margin, manufacturer's plus
// retailer's, in both games.
void evaluate_ue(const Instance& in, const Strategy& s, Outcome& out);

// Zero-margin utility of option i with every lead time on its path at -c'(t) = beta_bar_i/alpha:
// the highest utility the chain can offer on option i without losing money. Writes those lead
// times into `t` (slots on option i's path only) when t is not null.
double ue_capacity(const Instance& in, int i, Strategy* t = nullptr);

// The equilibrium in closed form (no iteration). `s` receives prices, wholesale prices (the
// manufacturer's unit cost for centralized chains) and lead times. Fails (not converged, with a
// message) for Equilibrium::decentralized (the SUE game), for a segment with beta_bar <= 0, and
// with Stackelberg chains where a retailer-owned link is shared by several options.
SolveSummary solve_ue(const Instance& in, Strategy& s);

// The point solver's UE path (point_solver.cpp dispatches here and writes the outputs): solves,
// verifies with verify_ue (ue_verification.hpp) where the solve converged, and evaluates the
// outcome.
struct UePoint {
  Strategy s;
  Outcome o;
  SolveSummary summary;
  UeVerification verification;
  bool ok = false;  // converged and verified
};
UePoint solve_ue_point(const Instance& in);

}  // namespace eqsweep::ma_sue
