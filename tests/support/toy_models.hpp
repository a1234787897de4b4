#pragma once
// Test-only models whose answers are known in closed form, shared by the engine tests: each pins
// one engine feature (continuation, thresholds, region maps) against arithmetic the test can redo.

#include <atomic>
#include <cstdint>
#include <memory>

#include "engine/model.hpp"

namespace eqsweep::testing {

// Newton's method for the real root x(a, b) of x^3 + b x - a = 0 (b > 0: the root is unique and
// smooth in a), warm-started along the continuation axis; it fails at a == fail_a whatever it
// starts from. Outputs: the root, the starting guess, and 1 if warm-started.
namespace cubic {

enum Param { kA = 0, kB, kFailA };
enum Output { kX = 0, kStart, kWarm };

inline constexpr std::int32_t kFailIterations = 77;  // what the solver reports for a point it fails
inline constexpr double kFailResidual = 0.5;

struct NewtonResult {
  double x;
  std::int32_t iterations;
  double residual;
  bool converged;
};

// The solver's arithmetic, for tests that reproduce a chain of warm starts.
NewtonResult newton(double a, double b, double x0);

class CubicRootModel final : public Model {
 public:
  CubicRootModel();
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override;
};

}  // namespace cubic

// wave = sin(x) - c crosses zero at asin(c) and pi - asin(c) in [0, pi]; level = floor(2x) steps
// at every half integer. Points with x > wall are infeasible but still write their level, as a
// model writes a regime label outside its feasible region.
namespace wave {

enum Param { kX = 0, kC, kWall };
enum Output { kWave = 0, kLevel };

class WaveModel final : public Model {
 public:
  WaveModel();
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override;
};

}  // namespace wave

// The disk x^2 + y^2 < r^2 (a categorical "inside" and a real "level" = r^2 - x^2 - y^2), with
// points beyond x = wall infeasible (a status boundary).
namespace disk {

enum Param { kX = 0, kY, kR, kWall };
enum Output { kInside = 0, kLevel };

class DiskModel final : public Model {
 public:
  DiskModel();
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override;

  // Every point its solvers solved, grid or refinement, so a test can check an analysis's own
  // solve count.
  mutable std::atomic<long> points_solved{0};
};

}  // namespace disk

// Ishigami's function y = sin x1 + a sin^2 x2 + b x3^4 sin x1, the standard test of Sobol'
// estimators: with x uniform on [-pi, pi]^3 its indices are known in closed form
// (ishigami_indices). Points with x1 > wall are infeasible, for tests of the unsolved policy.
namespace ishigami {

enum Param { kX1 = 0, kX2, kX3, kA, kB, kWall };
enum Output { kY = 0 };

struct Indices {
  double first[3], total[3];
};
Indices analytic_indices(double a, double b);

class IshigamiModel final : public Model {
 public:
  IshigamiModel();
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override;
};

}  // namespace ishigami

// y = c1 x1 + c2 x2 + c3 x3 with x_i uniform on [0, 1]: S1_i = ST_i = c_i^2 / sum c_j^2, and the
// elementary effect of x_i is exactly c_i everywhere (μ = μ* = c_i, σ = 0).
namespace linear {

enum Param { kX1 = 0, kX2, kX3, kC1, kC2, kC3 };
enum Output { kY = 0 };

class LinearModel final : public Model {
 public:
  LinearModel();
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override;
};

}  // namespace linear

}  // namespace eqsweep::testing
