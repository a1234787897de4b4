#include "support/toy_models.hpp"

#include <cmath>
#include <numbers>
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

namespace ishigami {

Indices analytic_indices(double a, double b) {
  const double pi = std::numbers::pi, pi4 = pi * pi * pi * pi, pi8 = pi4 * pi4;
  const double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5);
  const double v2 = a * a / 8;
  const double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

namespace {

class IshigamiSolver final : public PointSolver {
 public:
  void solve_batch(const BatchView& b) override {
    for (std::size_t i = 0; i < b.size; ++i) {
      const double* p = b.params + i;
      const double x1 = p[kX1 * b.stride], x2 = p[kX2 * b.stride], x3 = p[kX3 * b.stride];
      const double a = p[kA * b.stride], bb = p[kB * b.stride];
      if (x1 > p[kWall * b.stride]) {
        b.outputs[kY * b.stride + i] = kNaN;
        b.results[i] = {PointStatus::infeasible, 0, kNaN};
        continue;
      }
      b.outputs[kY * b.stride + i] = std::sin(x1) + a * std::sin(x2) * std::sin(x2) + bb * x3 * x3 * x3 * x3 * std::sin(x1);
      b.results[i] = {PointStatus::solved, 0, 0.0};
    }
  }
  PointResult solve_point(const double*, std::size_t, double*, std::size_t, std::span<const double>,
                          std::span<double>) override {
    return {PointStatus::failed, 0, kNaN};  // never called: the model has no warm start
  }
};

}  // namespace

IshigamiModel::IshigamiModel()
    : Model({.name = "ishigami",
             .description = "Ishigami's function",
             .source = "tests/support/toy_models.cpp",
             .parameters = {{"x1", "x_1", "first input", "1", Domain::real()},
                            {"x2", "x_2", "second input", "1", Domain::real()},
                            {"x3", "x_3", "third input", "1", Domain::real()},
                            {"a", "a", "weight of sin^2 x2", "1", Domain::real(), 7.0},
                            {"b", "b", "weight of x3^4 sin x1", "1", Domain::real(), 0.1},
                            {"wall", "w", "x1 beyond which a point is infeasible", "1", Domain::real(), 1e300}},
             .outputs = {{"y", "sin x1 + a sin^2 x2 + b x3^4 sin x1", "1"}},
             .variants = {{"exact", "closed form"}},
             .warm_start_size = 0}) {}

std::unique_ptr<PointSolver> IshigamiModel::make_solver(const SolverSetup&) const {
  return std::make_unique<IshigamiSolver>();
}

}  // namespace ishigami

namespace linear {

namespace {

class LinearSolver final : public PointSolver {
 public:
  void solve_batch(const BatchView& b) override {
    for (std::size_t i = 0; i < b.size; ++i) {
      double y = 0;
      for (int j = 0; j < 3; ++j) y += b.params[(kC1 + j) * b.stride + i] * b.params[(kX1 + j) * b.stride + i];
      b.outputs[kY * b.stride + i] = y;
      b.results[i] = {PointStatus::solved, 0, 0.0};
    }
  }
  PointResult solve_point(const double*, std::size_t, double*, std::size_t, std::span<const double>,
                          std::span<double>) override {
    return {PointStatus::failed, 0, kNaN};
  }
};

}  // namespace

LinearModel::LinearModel()
    : Model({.name = "linear",
             .description = "c1 x1 + c2 x2 + c3 x3",
             .source = "tests/support/toy_models.cpp",
             .parameters = {{"x1", "x_1", "first input", "1", Domain::real()},
                            {"x2", "x_2", "second input", "1", Domain::real()},
                            {"x3", "x_3", "third input", "1", Domain::real()},
                            {"c1", "c_1", "coefficient of x1", "1", Domain::real(), 1.0},
                            {"c2", "c_2", "coefficient of x2", "1", Domain::real(), 2.0},
                            {"c3", "c_3", "coefficient of x3", "1", Domain::real(), 3.0}},
             .outputs = {{"y", "c1 x1 + c2 x2 + c3 x3", "1"}},
             .variants = {{"exact", "closed form"}},
             .warm_start_size = 0}) {}

std::unique_ptr<PointSolver> LinearModel::make_solver(const SolverSetup&) const {
  return std::make_unique<LinearSolver>();
}

}  // namespace linear

}  // namespace eqsweep::testing
