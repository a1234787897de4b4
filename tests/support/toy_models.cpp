#include "support/toy_models.hpp"

#include <cmath>
#include <span>

namespace eqsweep::testing {

namespace cubic {

NewtonResult newton(double a, double b, double x0) {
  double x = x0;
  double f = x * x * x + b * x - a;
  std::int32_t it = 0;
  while (std::abs(f) > 1e-12 && it < 60) {
    x -= f / (3 * x * x + b);
    f = x * x * x + b * x - a;
    ++it;
  }
  return {x, it, std::abs(f), std::abs(f) <= 1e-12};
}

namespace {

class CubicSolver final : public PointSolver {
 public:
  void solve_batch(const BatchView& batch) override {
    for (std::size_t i = 0; i < batch.size; ++i)
      batch.results[i] = solve_point(batch.params + i, batch.stride, batch.outputs + i, batch.stride, {}, {});
  }

  PointResult solve_point(const double* params, std::size_t ps, double* out, std::size_t os,
                          std::span<const double> warm_in, std::span<double> warm_out) override {
    const double a = params[kA * ps], b = params[kB * ps], fail_a = params[kFailA * ps];
    const bool warm = !warm_in.empty();
    const double x0 = warm ? warm_in[0] : 0.0;
    out[kStart * os] = x0;
    out[kWarm * os] = warm ? 1.0 : 0.0;
    if (a == fail_a) {
      out[kX * os] = kNaN;
      return {PointStatus::failed, kFailIterations, kFailResidual};
    }
    const NewtonResult r = newton(a, b, x0);
    out[kX * os] = r.x;
    if (!r.converged) return {PointStatus::failed, r.iterations, r.residual};
    if (!warm_out.empty()) warm_out[0] = r.x;
    return {PointStatus::solved, r.iterations, r.residual};
  }
};

}  // namespace

CubicRootModel::CubicRootModel()
    : Model({.name = "cubic",
             .description = "real root of x^3 + b x - a",
             .source = "tests/support/toy_models.cpp",
             .parameters = {{"a", "a", "constant term", "1", Domain::real()},
                            {"b", "b", "linear coefficient", "1", Domain::above(0)},
                            {"fail_a", "a_f", "value of a at which the solver fails", "1", Domain::real()}},
             .outputs = {{"x", "root of x^3 + b x - a", "1"},
                         {"start", "starting guess of Newton's method", "1"},
                         {"warm", "1 if warm-started from the previous point, else 0", "1"}},
             .variants = {{"newton", "Newton's method from 0 or from the warm start"}},
             .warm_start_size = 1}) {}

std::unique_ptr<PointSolver> CubicRootModel::make_solver(const SolverSetup&) const {
  return std::make_unique<CubicSolver>();
}

}  // namespace cubic

namespace wave {

namespace {

class WaveSolver final : public PointSolver {
 public:
  void solve_batch(const BatchView& b) override {
    for (std::size_t i = 0; i < b.size; ++i) {
      const double x = b.params[kX * b.stride + i], c = b.params[kC * b.stride + i];
      b.outputs[kWave * b.stride + i] = std::sin(x) - c;
      b.outputs[kLevel * b.stride + i] = std::floor(2 * x);
      const bool beyond = x > b.params[kWall * b.stride + i];
      b.results[i] = {beyond ? PointStatus::infeasible : PointStatus::solved, 0, kNaN};
    }
  }
};

}  // namespace

WaveModel::WaveModel()
    : Model({.name = "wave",
             .description = "sin(x) - c and floor(2x)",
             .source = "tests/support/toy_models.cpp",
             .parameters = {{"x", "x", "position", "1", Domain::real()},
                            {"c", "c", "offset", "1", Domain::at_least(0)},
                            {"wall", "w", "points with x beyond it are infeasible", "1", Domain::real(), 1e9}},
             .outputs = {{"wave", "sin(x) - c", "1"}, {"level", "floor(2x)", "1"}},
             .variants = {{"exact", "closed form"}}}) {}

std::unique_ptr<PointSolver> WaveModel::make_solver(const SolverSetup&) const { return std::make_unique<WaveSolver>(); }

}  // namespace wave

namespace disk {

namespace {

class DiskSolver final : public PointSolver {
 public:
  explicit DiskSolver(std::atomic<long>& solved) : solved_(solved) {}

  void solve_batch(const BatchView& b) override {
    for (std::size_t i = 0; i < b.size; ++i) {
      const double x = b.params[kX * b.stride + i], y = b.params[kY * b.stride + i];
      const double r = b.params[kR * b.stride + i], wall = b.params[kWall * b.stride + i];
      const bool feasible = x <= wall;
      b.outputs[kInside * b.stride + i] = feasible ? (x * x + y * y < r * r ? 1.0 : 0.0) : kNaN;
      b.outputs[kLevel * b.stride + i] = feasible ? r * r - x * x - y * y : kNaN;
      b.results[i] = {feasible ? PointStatus::solved : PointStatus::infeasible, 0, kNaN};
    }
    solved_ += static_cast<long>(b.size);
  }

 private:
  std::atomic<long>& solved_;
};

}  // namespace

DiskModel::DiskModel()
    : Model({.name = "disk",
             .description = "the disk x^2 + y^2 < r^2, infeasible beyond x = wall",
             .source = "tests/support/toy_models.cpp",
             .parameters = {{"x", "x", "position", "1", Domain::real()},
                            {"y", "y", "position", "1", Domain::real()},
                            {"r", "r", "radius", "1", Domain::at_least(0)},
                            {"wall", "w", "feasible up to x = w", "1", Domain::real(), 10.0}},
             .outputs = {{"inside", "1 inside the disk, 0 outside", "1"}, {"level", "r^2 - x^2 - y^2", "1"}},
             .variants = {{"exact", "closed form"}}}) {}

std::unique_ptr<PointSolver> DiskModel::make_solver(const SolverSetup&) const {
  return std::make_unique<DiskSolver>(points_solved);
}

}  // namespace disk

}  // namespace eqsweep::testing
