#pragma once
// The readings of the paper a sweep chooses between ([options]); docs/model-m.md explains each.

namespace eqsweep::ma_sue {

enum class BetaReading { partial, conditional };      // eq. (5) as printed / E[beta | segment]
enum class DemandReading { printed, mass_weighted };  // x_i = Q P_i (eq. 8) / Q * mass_i * P_i
enum class ChoiceReading { mnl, sealed };             // eq. (4) over all options / footnote 2
// ue: centralized chains, customers choosing deterministically (Wardrop's UE, eq. (12));
// solved by ue_solver.cpp, not by the SUE solvers.
enum class Equilibrium { centralized, decentralized, ue };

struct Readings {
  BetaReading beta = BetaReading::conditional;
  DemandReading demand = DemandReading::printed;
  ChoiceReading choice = ChoiceReading::mnl;
  Equilibrium equilibrium = Equilibrium::centralized;
};

}  // namespace eqsweep::ma_sue
