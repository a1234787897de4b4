// Designs and global sensitivity analyses run end to end into a cube: Ishigami's Sobol' indices
// stored with intervals that cover the analytic values, sensitivity maps over a grid axis,
// the design's coordinates along `point`, byte-equal cubes on 1 and 2 threads, and the policy
// for points that are not solved.

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "engine/sweep_spec.hpp"
#include "support/test_support.hpp"
#include "support/toy_models.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

const ModelCatalog& catalog() {
  static const testing::ishigami::IshigamiModel ishigami;
  static const testing::linear::LinearModel linear;
  static const ModelCatalog c = [] {
    ModelCatalog m;
    m.add(ishigami);
    m.add(linear);
    return m;
  }();
  return c;
}

std::string ishigami_spec(int base, const std::string& extra = "") {
  return "model = \"ishigami\"\n"
         "outputs = [\"y\"]\n" +
         extra +
         "[design]\nkind = \"saltelli\"\npoints = " + std::to_string(base) +
         "\nseed = 3\n"
         "[design.parameters]\nx1 = [-3.141592653589793, 3.141592653589793]\n"
         "x2 = [-3.141592653589793, 3.141592653589793]\nx3 = [-3.141592653589793, 3.141592653589793]\n"
         "[[analysis]]\nmethod = \"sobol\"\nindicator = \"y\"\nbootstrap = 300\n";
}

TEST(GsaSweep, IshigamiIndicesInTheCubeCoverTheAnalyticValues) {
  ScratchDir dir("gsa_ishigami");
  const SweepSpec spec = parse_spec(ishigami_spec(1 << 14), "ishigami.toml", catalog());
  ASSERT_EQ(spec.point_count(), std::size_t{5} << 14);
  const RunSummary r = testing::run_quietly(spec, dir.file("cube.h5"));
  ASSERT_TRUE(r.ok()) << r.summary();
  const CubeReader cube(dir.file("cube.h5"));
  const auto truth = testing::ishigami::analytic_indices(7, 0.1);
  const auto s1 = cube.read_f64("sobol.S1.y"), s1c = cube.read_f64("sobol.S1_conf.y");
  const auto st = cube.read_f64("sobol.ST.y"), stc = cube.read_f64("sobol.ST_conf.y");
  ASSERT_EQ(cube.dataset_shape("sobol.S1.y"), std::vector<std::size_t>{3});
  for (int j = 0; j < 3; ++j) {
    EXPECT_LE(std::abs(s1[j] - truth.first[j]), s1c[j]) << "S1 of x" << j + 1;
    EXPECT_LE(std::abs(st[j] - truth.total[j]), stc[j]) << "ST of x" << j + 1;
    EXPECT_LT(s1c[j], 0.05);
    EXPECT_LT(stc[j], 0.05);
  }
  EXPECT_EQ(cube.read_f64("sobol.samples_used.y"), std::vector<double>{16384});
  EXPECT_EQ(cube.read_f64("sobol.samples_dropped.y"), std::vector<double>{0});
  EXPECT_EQ(cube.dataset_string_attribute("sobol.S1.y", "parameters"), "x1 x2 x3");
}

TEST(GsaSweep, TheDesignsParametersAreCoordinatesAlongThePointDimension) {
  ScratchDir dir("gsa_coords");
  const SweepSpec spec = parse_spec(ishigami_spec(64), "ishigami.toml", catalog());
  ASSERT_TRUE(testing::run_quietly(spec, dir.file("cube.h5")).ok());
  const CubeReader cube(dir.file("cube.h5"));
  const auto x2 = cube.read_f64("x2");
  ASSERT_EQ(x2.size(), spec.point_count());
  for (std::size_t i = 0; i < x2.size(); ++i) ASSERT_EQ(x2[i], spec.design->value(i, 1));
  EXPECT_EQ(cube.dataset_shape("y"), std::vector<std::size_t>{spec.point_count()});
  // Fixed parameters may follow as scalar coordinates; the design's come first.
  EXPECT_EQ(cube.dataset_string_attribute("y", "coordinates").rfind("x1 x2 x3", 0), 0u);
  // The stored output is the function at the stored coordinates.
  const auto y = cube.read_f64("y"), x1 = cube.read_f64("x1"), x3 = cube.read_f64("x3");
  for (std::size_t i = 0; i < y.size(); ++i)
    ASSERT_DOUBLE_EQ(y[i], std::sin(x1[i]) + 7 * std::sin(x2[i]) * std::sin(x2[i]) + 0.1 * x3[i] * x3[i] * x3[i] * x3[i] * std::sin(x1[i]));
}

TEST(GsaSweep, OneAndTwoThreadsGiveByteEqualCubes) {
  ScratchDir dir("gsa_threads");
  const SweepSpec spec =
      parse_spec(ishigami_spec(1000, "[[axis]]\nname = \"b\"\nvalues = [0.0, 0.1]\n[run]\nchunk = [1, 700]\n"),
                 "ishigami.toml", catalog());
  ASSERT_TRUE(testing::run_quietly(spec, dir.file("one.h5"), 1).ok());
  ASSERT_TRUE(testing::run_quietly(spec, dir.file("two.h5"), 2).ok());
  testing::expect_same_cube(dir.file("one.h5"), dir.file("two.h5"));
  const CubeReader cube(dir.file("two.h5"));
  EXPECT_EQ(cube.tiles_done().size(), 2u * 8u);  // 5000 points in tiles of 700, for each b
}

TEST(GsaSweep, IndicesAreMappedOverTheGridAxes) {
  ScratchDir dir("gsa_map");
  const SweepSpec spec = parse_spec(ishigami_spec(1 << 13, "[[axis]]\nname = \"b\"\nvalues = [0.0, 0.05, 0.1]\n"),
                                    "ishigami.toml", catalog());
  ASSERT_TRUE(testing::run_quietly(spec, dir.file("cube.h5")).ok());
  const CubeReader cube(dir.file("cube.h5"));
  ASSERT_EQ(cube.dataset_shape("sobol.ST.y"), (std::vector<std::size_t>{3, 3}));
  const auto st = cube.read_f64("sobol.ST.y"), stc = cube.read_f64("sobol.ST_conf.y");
  const auto s1 = cube.read_f64("sobol.S1.y"), s1c = cube.read_f64("sobol.S1_conf.y");
  const double bs[3] = {0.0, 0.05, 0.1};
  for (int g = 0; g < 3; ++g) {
    const auto truth = testing::ishigami::analytic_indices(7, bs[g]);
    for (int j = 0; j < 3; ++j) {
      EXPECT_LE(std::abs(s1[g * 3 + j] - truth.first[j]), s1c[g * 3 + j]) << "b = " << bs[g] << ", x" << j + 1;
      EXPECT_LE(std::abs(st[g * 3 + j] - truth.total[j]), stc[g * 3 + j]) << "b = " << bs[g] << ", x" << j + 1;
    }
  }
  // Without b, x3 does not enter y at all: both of its indices vanish exactly.
  EXPECT_EQ(st[2], 0.0);
  EXPECT_EQ(s1[2], 0.0);
  // The ranking changes along b: x3's total index grows from nothing.
  EXPECT_LT(st[2], st[3 + 2]);
  EXPECT_LT(st[3 + 2], st[6 + 2]);
}

TEST(GsaSweep, GroupsWithAnUnsolvedPointAreDroppedAndCounted) {
  ScratchDir dir("gsa_drop");
  const SweepSpec spec = parse_spec(ishigami_spec(2048, "[fixed]\nwall = 2.5\n"), "ishigami.toml", catalog());
  ASSERT_TRUE(testing::run_quietly(spec, dir.file("cube.h5")).ok());
  const CubeReader cube(dir.file("cube.h5"));
  // Count, from the stored status alone, the base samples with a point that is not solved.
  const auto status = cube.read_raw("status");
  std::size_t expected = 0;
  for (std::size_t g = 0; g < 2048; ++g) {
    bool bad = false;
    for (std::size_t i = 0; i < 5; ++i) bad = bad || status[g * 5 + i] != 0;
    expected += bad;
  }
  ASSERT_GT(expected, 100u);
  EXPECT_EQ(cube.read_f64("sobol.samples_dropped.y"), std::vector<double>{static_cast<double>(expected)});
  EXPECT_EQ(cube.read_f64("sobol.samples_used.y"), std::vector<double>{static_cast<double>(2048 - expected)});
  for (double v : cube.read_f64("sobol.S1.y")) EXPECT_TRUE(std::isfinite(v));
}

TEST(GsaSweep, UnsolvedErrorStopsTheAnalysisWithAMessage) {
  ScratchDir dir("gsa_error");
  std::string text = ishigami_spec(256, "[fixed]\nwall = 2.5\n") + "unsolved = \"error\"\n";
  const SweepSpec spec = parse_spec(text, "ishigami.toml", catalog());
  const RunSummary r = testing::run_quietly(spec, dir.file("cube.h5"));
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message.find("unsolved = \"error\""), std::string::npos) << r.message;
}

TEST(GsaSweep, MorrisEffectsOfALinearModelAreItsCoefficients) {
  ScratchDir dir("gsa_morris");
  const SweepSpec spec = parse_spec(
      "model = \"linear\"\n[design]\nkind = \"morris\"\npoints = 20\nlevels = 6\nseed = 4\n"
      "[design.parameters]\nx1 = [0, 1]\nx2 = [0, 1]\nx3 = [0, 1]\n"
      "[[analysis]]\nmethod = \"morris\"\nindicator = \"y\"\nbootstrap = 100\n",
      "linear.toml", catalog());
  ASSERT_EQ(spec.point_count(), 20u * 4u);
  ASSERT_TRUE(testing::run_quietly(spec, dir.file("cube.h5")).ok());
  const CubeReader cube(dir.file("cube.h5"));
  const auto mu = cube.read_f64("morris.mu.y"), sigma = cube.read_f64("morris.sigma.y");
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(mu[j], j + 1.0, 1e-9);
    EXPECT_NEAR(sigma[j], 0.0, 1e-9);
  }
}

}  // namespace
}  // namespace eqsweep
