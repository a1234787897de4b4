#pragma once
// The readings of the paper a sweep chooses between ([options]); docs/model-m.md explains each.

namespace eqsweep::ma_sue {

enum class BetaReading { partial, conditional };      // eq. (5) as printed / E[beta | segment]
// x_i = Q P_i (eq. 8) / Q * mass_i * P_i / latent classes: each class of customers (the chains'
// segments refined) chooses by MNL among the options offered to it (latent_class.hpp).
enum class DemandReading { printed, mass_weighted, latent_class };
enum class ChoiceReading { mnl, sealed };             // eq. (4) over all options / footnote 2
// ue: centralized chains, customers choosing deterministically (Wardrop's UE, eq. (12));
// solved by ue_solver.cpp, not by the SUE solvers.
enum class Equilibrium { centralized, decentralized, ue };
// What a decentralized leader anticipates after its wholesale/lead-time move: its own retailer's
// best response with the other chains fixed, or all retailers re-equilibrating (Nash among them).
enum class Anticipation { own_retailer, retail_equilibrium };
// Whose profit a decentralized leader maximises: its own chain's manufacturer profit, or
// (collusive leaders, issue 13) the sum of all manufacturers' profits, one joint leader moving
// every wholesale price and manufacturer lead time with every retailer re-equilibrating
// (collusive_leaders.hpp).
enum class LeaderObjective { own_chain, joint };

struct Readings {
  BetaReading beta = BetaReading::conditional;
  DemandReading demand = DemandReading::printed;
  ChoiceReading choice = ChoiceReading::mnl;
  Equilibrium equilibrium = Equilibrium::centralized;
  // equilibrium = "ue_decentralized": Equilibrium::ue with Stackelberg chains (manufacturer leader sets
  // wholesale prices, retailer follower retail prices; ue_solver.cpp, docs/model-m.md "UE (eq. 12)").
  bool ue_decentralized = false;
  Anticipation anticipation = Anticipation::own_retailer;
  LeaderObjective leader_objective = LeaderObjective::own_chain;
};

}  // namespace eqsweep::ma_sue
