#pragma once
// Collusive leaders (leader_objective = "joint", issue 13 item 3): in the decentralized game one
// joint leader sets every manufacturer's wholesale prices and lead times to maximise the sum of
// the manufacturers' profits, and every retailer best-responds (the retail stage re-equilibrates:
// the joint leader moves all wholesale prices at once).
//
// Printed MNL demand (docs/model-m.md, "Collusive leaders"): retailer u's markup is
// 1/(alpha (1 - S_u)) at any retail equilibrium, so the wholesale prices map one to one onto the
// retail prices, p_j = wh_j + cn_j + 1/(alpha (1 - S_u)), and the joint leader's profit in the
// shares at fixed lead times is
//   Phi(P) = (Q/alpha) [ sum_j P_j (G_j - ln P_j + ln P_0) - sum_u S_u / (1 - S_u) ],
// G_j = w - beta_bar_j T_j - alpha C_j (C = cm + cn), P_0 = 1 - sum_j P_j: strictly concave. Its
// stationary point gives chain u's leader margin
//   alpha k_u = 1/P_0 + 1/(1 - S_u)^2 - 1/(1 - S_u),
// which is the own-chain margin 1/(1 - S_u)^2 when there is one chain (P_0 = 1 - S_u). Lead times
// keep -c'(t) = sum beta_bar_i P_i / (alpha sum P_i) (the t-part of Phi at fixed P).
// Sealed segments: every option is its own market, so the joint objective separates and its
// equilibrium is the own-chain one (joint_leaders() is false there).

#include <array>

#include "models/ma_sue/markups.hpp"

namespace eqsweep::ma_sue {

// Whether the joint leader's conditions apply to this instance: decentralized, leader_objective
// joint, printed MNL demand (the options refuse other MNL demand readings with it).
bool joint_leaders(const Instance& in);

// The joint leader's margin k_u of every chain at shares P, and dk[u][j] = dk_u/dP_j when dk is given.
void joint_leader_margins(const Instance& in, const OptionArray<double>& P, std::array<double, kMaxChains>& k,
                          std::array<OptionArray<double>, kMaxChains>* dk);

// Phi(P) above, G per option; with grad and hess, its derivatives in P (n_options x n_options).
double joint_leader_value(const Instance& in, const OptionArray<double>& G, const OptionArray<double>& P,
                          OptionArray<double>* grad = nullptr, OptionMatrix* hess = nullptr);

// The maximiser of Phi from the start P (changed in place) by damped Newton steps kept inside
// {P > 0, sum P < 1}; returns Phi there. Phi is strictly concave, so this is its global maximum.
double joint_leader_optimum(const Instance& in, const OptionArray<double>& G, OptionArray<double>& P);

}  // namespace eqsweep::ma_sue
