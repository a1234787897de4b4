#pragma once
// The interface every model-M equilibrium solver implements, with options and a summary as
// plain structs (Ceres Solver::Options / Summary style), so that a sweep picks one by name.

#include <memory>
#include <string>

#include "models/ma_sue/game.hpp"

namespace eqsweep::ma_sue {

struct SolverOptions {
  int max_iterations = 200;
  double tolerance = 1e-12;  // fast solver: max |fixed-point residual| in choice probabilities
  // Modified projection method (paper, appendix "Algorithm").
  double rho = 1e-3;      // step
  double epsilon = 1e-4;  // stop when ||X^k - X^{k-1}|| <= epsilon
  double phi = 1.0;       // augmented-Lagrangian penalty
  bool printed_signs = false;  // the multiplier row of (J1) as printed (diverges) or corrected
};

struct SolveSummary {
  bool converged = false;
  int iterations = 0;
  double final_error = 0;  // the solver's own stopping quantity
  std::string message;
  std::string brief() const;
};

class EquilibriumSolver {
 public:
  virtual ~EquilibriumSolver() = default;
  // `s` holds the start (a warm start, or a cold one from cold_start()) and receives the result.
  virtual SolveSummary solve(const Instance& in, Strategy& s) = 0;
};

// A start that every solver accepts: lead times where -c'(t) = beta_bar/alpha, unit markups.
void cold_start(const Instance& in, Strategy& s);

std::unique_ptr<EquilibriumSolver> make_fast_solver(const SolverOptions& o);
std::unique_ptr<EquilibriumSolver> make_projection_solver(const SolverOptions& o);

}  // namespace eqsweep::ma_sue
