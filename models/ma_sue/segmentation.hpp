#pragma once
// The segmentation stage of model M: each chain chooses how many P/T options to offer (1..K, K
// the chain's `options` in the network file) and, for a given count, where the segment
// boundaries lie, by comparing its equilibrium profits; the price/lead-time stage is the Nash
// equilibrium of the chosen menus, solved and verified as any other point.

#include <array>

#include "engine/model.hpp"
#include "models/ma_sue/game.hpp"
#include "models/ma_sue/solver.hpp"
#include "models/ma_sue/verification.hpp"

namespace eqsweep::ma_sue {

using ChainCounts = std::array<int, kMaxChains>;

// `full` with chain c offering counts[c] <= option_count[c] options: the chain's first counts[c]
// option copies are kept, shared slots serve all kept options. Boundaries are left to the caller
// (set_boundaries with counts[c] - 1 values per chain).
void restrict_options(const Instance& full, const ChainCounts& counts, Instance& out);

// quantiles: equal mass. joint_optimal: the chain's boundaries maximise its equilibrium profit
// (the price/lead-time game re-solved for every trial, a stage before it). equilibrium: the
// paper's concept, boundaries are decisions of their owner inside the game (boundary_game.hpp).
enum class BoundaryChoice { quantiles, joint_optimal, equilibrium };

struct SegmentationOptions {
  BoundaryChoice boundaries = BoundaryChoice::joint_optimal;
  int max_rounds = 8;  // best-response rounds over the chains' counts
  // Measure boundary_gain where it is not part of the verification (joint_optimal, quantiles).
  bool measure_boundary_gain = false;
};

struct Segmented {
  bool ok = false;         // every compared equilibrium converged and verified, counts settled
  ChainCounts count{};     // chosen number of options per chain
  // Boundaries of the chosen menus, per chain h_1..h_{count-1} (as mass fractions in u, values in h).
  std::array<std::array<double, kMaxOptions>, kMaxChains> h{};
  // Equilibrium profit of chain c offering k+1 options, the others at their chosen menus.
  // NaN also where the count has no interior boundary equilibrium (segment_boundaries =
  // "equilibrium": an owner gains by emptying a segment), which then is not offered.
  std::array<std::array<double, kMaxOptions>, kMaxChains> profit_by_count{};
  // Largest relative gain of an owner moving its boundaries jointly with its other decisions
  // (boundary_deviation_gain); in verification.deviation_gain only under "equilibrium".
  double boundary_gain = kNaN;
  Instance in;             // the chosen menus
  Strategy s;
  SolveSummary summary;
  Verification verification;
  int solves = 0;
};

Segmented solve_segmented(const Instance& full, EquilibriumSolver& solver, const SegmentationOptions& o = {});

}  // namespace eqsweep::ma_sue
