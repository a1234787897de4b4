// Thresholds located by new solves and sensitivities by extra solves, on a test model whose
// crossings and derivatives are known in closed form: wave = sin(x) - c crosses zero at
// asin(c) and pi - asin(c) in [0, pi]; level = floor(2x) steps at every half integer.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "engine/model.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "support/test_support.hpp"
#include "support/toy_models.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

using testing::wave::WaveModel;

const WaveModel kWaveModel;

ModelCatalog catalog() {
  ModelCatalog c;
  c.add(kWaveModel);
  return c;
}

const std::string kBaseSpec = R"(
model = "wave"
[[axis]]
name = "c"
values = [0.25, 0.5, 0.75, 2.0]
[[axis]]
name = "x"
linspace = [0.0, 3.0, 31]
)";

RunSummary run(const std::string& text, const std::string& out, int threads = 2) {
  return testing::run_quietly(parse_spec(text, "wave.toml", catalog()), out, threads);
}

TEST(Thresholds, FindsBothCrossingsOfARealIndicatorInOneLineToTheRequestedTolerance) {
  ScratchDir dir("thresholds-real");
  const auto summary = run(kBaseSpec + "[[threshold]]\nindicator = \"wave\"\naxis = \"x\"\n", dir.file("c.h5"));
  ASSERT_TRUE(summary.ok()) << summary.summary();
  CubeReader cube(dir.file("c.h5"));
  const auto crossings = cube.read_f64("threshold.wave.x");  // shape (c: 4, crossing4: 4)
  const auto counts = cube.read_f64("threshold_count.wave.x");
  const auto solves = cube.read_f64("threshold_solves.wave.x");
  const double cs[] = {0.25, 0.5, 0.75};
  const double tolerance = 1e-8 * 3.0;  // relative tolerance times the axis span
  for (int line = 0; line < 3; ++line) {
    EXPECT_EQ(counts[line], 2);
    EXPECT_NEAR(crossings[line * 4 + 0], std::asin(cs[line]), tolerance);
    EXPECT_NEAR(crossings[line * 4 + 1], M_PI - std::asin(cs[line]), tolerance);
    EXPECT_TRUE(std::isnan(crossings[line * 4 + 2]));
    EXPECT_LE(solves[line], 2 * 40) << "TOMS 748 should need at most ~40 solves per crossing at 1e-8";
    EXPECT_GT(solves[line], 2 * 3) << "the crossings must come from new solves, not the grid";
  }
  // c = 2: sin(x) never reaches it, so the line has no crossing.
  EXPECT_EQ(counts[3], 0);
  EXPECT_TRUE(std::isnan(crossings[3 * 4]));
  EXPECT_EQ(solves[3], 0);
}

TEST(Thresholds, LocatesEveryStepOfAnIntegerIndicatorByBisection) {
  ScratchDir dir("thresholds-integer");
  const auto summary = run(kBaseSpec +
                               "[[threshold]]\nindicator = \"level\"\nkind = \"categorical\"\naxis = \"x\"\n"
                               "max_crossings = 8\ntolerance = 1e-9\n",
                           dir.file("c.h5"));
  ASSERT_TRUE(summary.ok()) << summary.summary();
  CubeReader cube(dir.file("c.h5"));
  const auto crossings = cube.read_f64("threshold.level.x");  // (4, 8)
  const auto counts = cube.read_f64("threshold_count.level.x");
  for (int line = 0; line < 4; ++line) {
    // floor(2x) steps at 0.5, 1.0, ..., 2.5 inside (0, 3]; the grid point x = 3 itself is a step
    // at 3.0 that lies on the last grid cell's edge and is found there too.
    ASSERT_EQ(counts[line], 6);
    for (int k = 0; k < 6; ++k) EXPECT_NEAR(crossings[line * 8 + k], 0.5 * (k + 1), 1e-9 * 3.0) << "step " << k;
  }
}

TEST(Thresholds, UnsolvedPointsAreOneCategoryOnTheGridAsInNewSolves) {
  // Beyond the wall at x = 2.2 points are infeasible, though their level is still written (as a
  // model writes a regime label outside its feasible region). Grid and new solves must both see
  // "not solved" there: the change from level 4 to not solved is located at the wall, and the
  // stored steps at 2.5 and 3.0 are not crossings. Were the grid to keep those stored levels
  // while probes report NaN, bisection would collapse those steps onto their cells' left edges.
  ScratchDir dir("thresholds-unsolved");
  const auto summary = run(kBaseSpec + "[fixed]\nwall = 2.2\n" +
                               "[[threshold]]\nindicator = \"level\"\nkind = \"categorical\"\naxis = \"x\"\n"
                               "max_crossings = 8\ntolerance = 1e-9\n",
                           dir.file("c.h5"));
  ASSERT_TRUE(summary.ok()) << summary.summary();
  CubeReader cube(dir.file("c.h5"));
  const auto crossings = cube.read_f64("threshold.level.x");
  const auto counts = cube.read_f64("threshold_count.level.x");
  for (int line = 0; line < 4; ++line) {
    ASSERT_EQ(counts[line], 5);
    for (int k = 0; k < 4; ++k) EXPECT_NEAR(crossings[line * 8 + k], 0.5 * (k + 1), 1e-9 * 3.0) << "step " << k;
    EXPECT_NEAR(crossings[line * 8 + 4], 2.2, 1e-9 * 3.0) << "the wall";
  }
}

TEST(Thresholds, CountsCrossingsBeyondMaxCrossingsButStoresOnlyTheFirst) {
  ScratchDir dir("thresholds-max");
  const auto summary = run(kBaseSpec +
                               "[[threshold]]\nindicator = \"level\"\nkind = \"categorical\"\naxis = \"x\"\n"
                               "max_crossings = 2\n",
                           dir.file("c.h5"));
  ASSERT_TRUE(summary.ok()) << summary.summary();
  CubeReader cube(dir.file("c.h5"));
  EXPECT_EQ(cube.dataset_shape("threshold.level.x"), (std::vector<std::size_t>{4, 2}));
  EXPECT_EQ(cube.read_f64("threshold_count.level.x")[0], 6);
}

TEST(Thresholds, AddingAThresholdToAFinishedSweepKeepsItsTilesAndIsResumable) {
  ScratchDir dir("thresholds-add");
  const std::string out = dir.file("c.h5");
  ASSERT_TRUE(run(kBaseSpec, out).ok());
  const auto before = CubeReader(out).read_raw("wave");
  const auto with_threshold = run(kBaseSpec + "[[threshold]]\nindicator = \"wave\"\naxis = \"x\"\n", out);
  ASSERT_TRUE(with_threshold.ok()) << with_threshold.summary();
  EXPECT_EQ(with_threshold.tiles_computed, 0u) << "tiles were recomputed although the sweep was finished";
  EXPECT_EQ(with_threshold.analyses.size(), 1u);
  EXPECT_TRUE(CubeReader(out).read_raw("wave") == before);
  const auto again = run(kBaseSpec + "[[threshold]]\nindicator = \"wave\"\naxis = \"x\"\n", out);
  EXPECT_EQ(again.outcome, RunSummary::Outcome::already_complete);
}

TEST(Thresholds, AreIdenticalForOneAndTwoThreads) {
  ScratchDir dir("thresholds-threads");
  const std::string spec = kBaseSpec + "[[threshold]]\nindicator = \"wave\"\naxis = \"x\"\n";
  ASSERT_TRUE(run(spec, dir.file("one.h5"), 1).ok());
  ASSERT_TRUE(run(spec, dir.file("two.h5"), 2).ok());
  EXPECT_TRUE(CubeReader(dir.file("one.h5")).read_raw("threshold.wave.x") ==
              CubeReader(dir.file("two.h5")).read_raw("threshold.wave.x"));
}

TEST(Thresholds, RejectsAnIndicatorThatIsNotStored) {
  EXPECT_THROW(parse_spec("model = \"wave\"\noutputs = [\"level\"]\n" + kBaseSpec.substr(kBaseSpec.find("[[axis]]")) +
                              "[[threshold]]\nindicator = \"wave\"\naxis = \"x\"\n",
                          "wave.toml", catalog()),
               SpecError);
}

TEST(Sensitivities, CentralDifferencesMatchTheDerivativeAndFiniteDifferencesOfTheGrid) {
  ScratchDir dir("sensitivities");
  const std::string spec = R"(
model = "wave"
[fixed]
c = 0.5
[[axis]]
name = "x"
linspace = [0.0, 3.0, 301]
[[sensitivity]]
output = "wave"
parameter = "x"
[[sensitivity]]
output = "wave"
parameter = "c"
elasticity = false
)";
  ASSERT_TRUE(run(spec, dir.file("s.h5")).ok());
  CubeReader cube(dir.file("s.h5"));
  const auto x = cube.read_f64("x");
  const auto wave = cube.read_f64("wave");
  const auto dx = cube.read_f64("d.wave.d.x");
  const auto dc = cube.read_f64("d.wave.d.c");
  const auto ex = cube.read_f64("elasticity.wave.x");
  const auto names = cube.variable_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "elasticity.wave.x"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "elasticity.wave.c"), names.end()) << "elasticity = false was ignored";
  const double h = x[1] - x[0];
  for (std::size_t i = 1; i + 1 < x.size(); ++i) {
    EXPECT_NEAR(dx[i], std::cos(x[i]), 1e-9) << "at x = " << x[i];
    EXPECT_NEAR(dc[i], -1.0, 1e-9);
    // Finite differences of the stored grid agree to their own O(h^2) truncation error.
    const double grid_fd = (wave[i + 1] - wave[i - 1]) / (2 * h);
    EXPECT_NEAR(dx[i], grid_fd, h * h / 6 * 1.0001);
    EXPECT_NEAR(ex[i], dx[i] * x[i] / wave[i], 1e-12 * std::abs(ex[i]) + 1e-15);
  }
  // c = 0.5 sits inside its domain [0, inf), so both differences are central; at x = 0 the
  // domain of x is the whole line, so that is central too.
  EXPECT_NEAR(dx[0], 1.0, 1e-9);
}

TEST(Sensitivities, BecomeOneSidedAtTheEdgeOfAParameterDomain) {
  ScratchDir dir("sensitivities-edge");
  const std::string spec = R"(
model = "wave"
[fixed]
x = 1.0
[[axis]]
name = "c"
linspace = [0.0, 0.5, 6]
[[sensitivity]]
output = "wave"
parameter = "c"
)";
  ASSERT_TRUE(run(spec, dir.file("s.h5")).ok());
  const auto dc = CubeReader(dir.file("s.h5")).read_f64("d.wave.d.c");
  for (double d : dc) EXPECT_NEAR(d, -1.0, 1e-9);  // c = 0 cannot step below 0: forward difference
}

}  // namespace
}  // namespace eqsweep
