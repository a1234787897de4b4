#pragma once
// Latent-class demand (demand = "latent_class", docs/model-m.md "Latent-class demand"): customers
// fall into classes by time sensitivity, the common refinement of every chain's segments. A class
// is offered one option of each chain (the one whose segment holds it) and chooses among those
// and not buying by MNL; the class's mass weights its demand:
//
//     x_i = Q sum_q mu_q P_iq,   P_iq = e^{V_i} / (1 + sum_{j offered to q} e^{V_j}).
//
// No class sees two options of one chain, so within a chain the options do not compete and each
// player's price condition is one option's own: with D_i = x_i/Q and D_i', D_i'' its derivatives
// in V_i (other options fixed),
//
//     markup (chain, or retailer over its cost)  r_i = D_i / (alpha D_i'),
//     leader's margin                            k_i = (2 - D_i D_i'' / D_i'^2) D_i / (alpha D_i'),
//
// which are the sealed-segment rules 1/(alpha (1-P)) and 1/(alpha (1-P)^2) when one class sees the
// option. Lead times keep -c'(t) = sum beta_bar_i x_i / (alpha sum x_i) (markups.cpp).

#include <memory>

#include "models/ma_sue/game.hpp"
#include "models/ma_sue/solver.hpp"

namespace eqsweep::ma_sue {

// Fills in.n_classes, class_mass and class_option from in.h and in.beta (set_boundaries calls it).
void refine_classes(Instance& in);

// Each option's own demand curve at utilities V: share D_i = x_i/Q, and D_i', D_i'' in V_i.
struct OwnDemand {
  OptionArray<double> share{}, slope{}, curvature{};
};
void latent_class_demand(const Instance& in, const OptionArray<double>& V, OwnDemand& d);

// The price rules above from one option's own demand curve.
double latent_markup(const Instance& in, const OwnDemand& d, int i);        // r_i
double latent_leader_margin(const Instance& in, const OwnDemand& d, int i);  // k_i

// The retailer's exact markup on option i when its utility at zero markup is g (V_i = g - alpha r),
// every other utility as in V: the root of alpha r D_i' = D_i (toms748).
double latent_retail_markup(const Instance& in, OptionArray<double> V, int i, double g);

// The equilibrium under latent-class demand: Powell's hybrid method (Eigen's MINPACK port) on the
// utilities V = V(strategy(V)), strategy the closed-form best response above. The fast solver
// hands latent-class instances to it.
SolveSummary solve_latent_class(const Instance& in, Strategy& s, const SolverOptions& o);

}  // namespace eqsweep::ma_sue
