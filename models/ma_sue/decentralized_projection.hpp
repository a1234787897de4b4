#pragma once
// The decentralized rows of the paper's projection method (G1), added to the centralized field
// of projection_solver.cpp. (G1) eliminates the wholesale prices: the retailer's best-response
// markup r_j(P) (a function of the shares alone) is substituted, so the leader's reduced profit
// in the retail prices and lead times is sum_j (p_j - C_j - r_j(P)) x_j, and the augmented
// Lagrangian of (J1) gains the term -sum_j r_j(P) x_j. Its rows:
//   F_x_i += r_i(P),   F_p_i -= alpha R_i,   F_t += -sum_{i served} beta_bar_i R_i,
//   R_i = sum_j x_j sum_l dr_j/dP_l dP_l/dV_i
// (j over the chain's options; over all options for collusive leaders, whose Lagrangian is the
// sum over chains, as are Z's). With one option per chain and printed MNL this is (G1) as
// printed, except the sign of 1/(alpha (1 - P_i)) in its first row: as printed the row puts the
// retailer's markup below the leader's margin instead of on top (docs/model-m.md, "The paper's
// method for (G1)"). The wholesale prices follow as wh_i = p_i - cn_i - r_i(P).

#include "models/ma_sue/game.hpp"

namespace eqsweep::ma_sue {

// The retailers' best-response markups at shares P: 1/(alpha (1 - S_u)) (printed MNL), 1/(alpha
// (1 - P_i)) (sealed), 1/alpha + B/(alpha (1 - S_u) mu_i) (mass-weighted MNL, B = sum mu_l P_l).
// With x (the flow variables) also R above; `all_chains` for the joint Lagrangian.
struct RetailerTerms {
  OptionArray<double> r{}, R{};
};
void retailer_terms(const Instance& in, const OptionArray<double>& P, const double* x, bool all_chains,
                    RetailerTerms& out);

}  // namespace eqsweep::ma_sue
