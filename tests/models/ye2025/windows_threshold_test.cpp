// The contract windows of model Y located by the engine's threshold detection (docs/model-y-windows.md):
// the shipped specs sweeps/ye2025/windows_t.toml and windows_m.toml run in-process, and every crossing
// they store is checked by its own condition, a new solve on either side of it: the profit
// difference has opposite signs there. No located value is compared with a number printed earlier.

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

// The threshold's indicator (indicator - minus) at one full parameter vector, by a new solve;
// NaN where the point is not solved, as the engine's own probe does.
double indicator_at(const SweepSpec& spec, const ThresholdSpec& th, const std::vector<double>& params) {
  const Model& model = *spec.model;
  std::vector<double> out(model.outputs().size());
  PointResult result;
  model.make_solver(spec.solver_setup())->solve_batch({1, 1, params.data(), out.data(), &result});
  if (result.status != PointStatus::solved) return std::nan("");
  const double minus = th.minus.empty() ? 0.0 : out[static_cast<std::size_t>(model.output_index(th.minus))];
  return out[static_cast<std::size_t>(model.output_index(th.indicator))] - minus;
}

// Runs the spec and checks every stored crossing of every real threshold; returns how many.
int check_real_crossings(const std::string& spec_name) {
  ScratchDir dir("ye2025-windows-" + spec_name);
  const SweepSpec spec = load_spec(testing::source_dir() + "/sweeps/ye2025/" + spec_name + ".toml", builtin_models());
  const auto summary = testing::run_quietly(spec, dir.file("w.h5"));
  EXPECT_TRUE(summary.ok()) << summary.summary();
  CubeReader cube(dir.file("w.h5"));
  const auto shape = spec.shape();
  int checked = 0;
  for (const ThresholdSpec& th : spec.thresholds) {
    if (th.kind != ThresholdSpec::Kind::real) continue;
    const std::string name = th.name(spec);
    const auto crossings = cube.read_f64("threshold." + name);
    const auto counts = cube.read_f64("threshold_count." + name);
    const auto& xs = spec.axes[th.axis].values;
    // The engine stops when the bracket is narrower than tolerance x span and reports its
    // midpoint, so the root lies within half that of the crossing: one full width either side
    // is past it.
    const double h = th.tolerance * std::abs(xs.back() - xs.front());
    const std::size_t K = th.max_crossings;
    for (std::size_t line = 0; line < counts.size(); ++line) {
      // The line's coordinates: split `line` over the axes other than the threshold's.
      std::vector<double> params = spec.fixed;
      std::size_t rest = line;
      for (std::size_t d = shape.size(); d-- > 0;) {
        if (d == th.axis) continue;
        params[static_cast<std::size_t>(spec.axes[d].parameter)] = spec.axes[d].values[rest % shape[d]];
        rest /= shape[d];
      }
      const auto stored = std::min<std::size_t>(static_cast<std::size_t>(counts[line]), K);
      for (std::size_t k = 0; k < stored; ++k) {
        const double x = crossings[line * K + k];
        // A cell whose indicator is undefined somewhere inside (the scenario leaves its equilibrium
        // region) is counted but not refined: the engine stores NaN and reports it as such.
        if (std::isnan(x)) continue;
        auto at = [&](double v) {
          params[static_cast<std::size_t>(spec.axes[th.axis].parameter)] = v;
          return indicator_at(spec, th, params);
        };
        const double below = at(x - h), above = at(x + h);
        EXPECT_TRUE(std::isfinite(below) && std::isfinite(above)) << name << " line " << line << " at " << x;
        EXPECT_NE(below >= 0, above >= 0) << name << " line " << line << ": no sign change around " << x << " ("
                                          << below << ", " << above << ")";
        ++checked;
      }
    }
  }
  return checked;
}

TEST(Ye2025Windows, EveryCrossingOfTheProp10TBoundSweepIsASignChangeOfTheManufacturersGain) {
  // Both printed and derived gains, quadratic in t through the investment t^2 and the accuracy.
  EXPECT_GE(check_real_crossings("windows_t"), 10) << "too few crossings for the check to mean anything";
}

TEST(Ye2025Windows, EveryCrossingOfTheCostShareSweepIsASignChangeOfItsProfitComparison) {
  EXPECT_GE(check_real_crossings("windows_m"), 40) << "too few crossings for the check to mean anything";
}

}  // namespace
}  // namespace eqsweep
