// Region maps refined by quadtree on a test model whose boundaries are known exactly: the disk
// x^2 + y^2 < r^2 (a categorical "inside" and a real "level" = r^2 - x^2 - y^2), and a wall
// x = w beyond which points are infeasible (a status boundary).

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "engine/model.hpp"
#include "engine/region_map.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "support/test_support.hpp"
#include "support/toy_models.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

using testing::disk::DiskModel;

const DiskModel kDiskModel;
// Every point the model solves, grid or refinement: the region map's own solve count is checked
// against it.
std::atomic<long>& g_points_solved = kDiskModel.points_solved;

ModelCatalog catalog() {
  ModelCatalog c;
  c.add(kDiskModel);
  return c;
}

// 21 x 21 grid points on [-1, 1]^2: grid cells of 0.1. The circle r = 0.63 passes through no grid
// point (i^2 + j^2 = 39.69 has no integer solution).
std::string base_spec(const std::string& fixed = "r = 0.63\n") {
  return "model = \"disk\"\n[fixed]\n" + fixed +
         "[[axis]]\nname = \"x\"\nlinspace = [-1.0, 1.0, 21]\n[[axis]]\nname = \"y\"\nlinspace = [-1.0, 1.0, 21]\n";
}

std::string region_map(const std::string& indicator, int depth, const std::string& extra = "",
                       const std::string& axes = "[\"x\", \"y\"]") {
  return "[[region_map]]\nindicator = \"" + indicator + "\"\naxes = " + axes + "\ndepth = " + std::to_string(depth) +
         "\n" + extra;
}

RunSummary run(const std::string& text, const std::string& out, int threads = 2) {
  return testing::run_quietly(parse_spec(text, "disk.toml", catalog()), out, threads);
}

struct Rows {
  std::vector<double> data;
  std::size_t columns;
  std::size_t size() const { return data.size() / columns; }
  double at(std::size_t row, std::size_t col) const { return data[row * columns + col]; }
};

Rows read_rows(const CubeReader& cube, const std::string& name, std::size_t columns) {
  const auto shape = cube.dataset_shape(name);
  EXPECT_EQ(shape.size(), 2u);
  if (shape.size() == 2) {
    EXPECT_EQ(shape[1], columns);
  }
  return {cube.read_f64(name), columns};
}

TEST(RegionMap, CategoricalBoundaryLiesWithinTheFinestCellOfTheTrueCircleAllAround) {
  ScratchDir dir("region-categorical");
  const int depth = 6;
  const double finest = 0.1 / (1 << depth);
  const auto summary =
      run(base_spec() + region_map("inside", depth, "kind = \"categorical\"\n"), dir.file("c.h5"));
  ASSERT_TRUE(summary.ok()) << summary.summary();
  CubeReader cube(dir.file("c.h5"));
  const Rows cells = read_rows(cube, "region_cells.inside.x.y", kRegionCellColumns);
  const Rows segments = read_rows(cube, "region_segments.inside.x.y", kRegionSegmentColumns);
  ASSERT_GT(cells.size(), 100u);
  ASSERT_GE(segments.size(), cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    EXPECT_NEAR(cells.at(i, 2) - cells.at(i, 1), finest, 1e-12) << "leaf cells are at the final depth";
    EXPECT_NEAR(cells.at(i, 4) - cells.at(i, 3), finest, 1e-12);
    // The circle passes through every leaf: its corners are on both sides.
    const double cx = 0.5 * (cells.at(i, 1) + cells.at(i, 2)), cy = 0.5 * (cells.at(i, 3) + cells.at(i, 4));
    EXPECT_LE(std::abs(std::hypot(cx, cy) - 0.63), finest * M_SQRT1_2 + 1e-12) << "cell " << i;
    const double corners[4] = {cells.at(i, 5), cells.at(i, 6), cells.at(i, 7), cells.at(i, 8)};
    EXPECT_NE(*std::min_element(corners, corners + 4), *std::max_element(corners, corners + 4));
  }
  // Every end point within the finest cell of the circle, and the boundary closed all around:
  // each of 360 one-degree arcs holds end points.
  std::vector<int> per_degree(360, 0);
  for (std::size_t i = 0; i < segments.size(); ++i)
    for (int e = 0; e < 2; ++e) {
      const double x = segments.at(i, 1 + 2 * e), y = segments.at(i, 2 + 2 * e);
      EXPECT_LE(std::abs(std::hypot(x, y) - 0.63), finest) << "segment " << i;
      const double degrees = std::atan2(y, x) * 180 / M_PI + 180;
      ++per_degree[std::min(359, static_cast<int>(degrees))];
    }
  for (int d = 0; d < 360; ++d) EXPECT_GT(per_degree[d], 0) << "no boundary found near " << d - 180 << " degrees";
  // A 2-D sweep has one slice: the per-slice counts are scalars.
  EXPECT_TRUE(cube.dataset_shape("region_solves.inside.x.y").empty());
  EXPECT_GT(cube.read_f64("region_solves.inside.x.y")[0], 0);
}

TEST(RegionMap, RealIndicatorPlacesTheBoundaryByInterpolationFarInsideTheFinestCell) {
  ScratchDir dir("region-real");
  const int depth = 5;
  const double finest = 0.1 / (1 << depth);
  ASSERT_TRUE(run(base_spec() + region_map("level", depth), dir.file("c.h5")).ok());
  CubeReader cube(dir.file("c.h5"));
  const Rows segments = read_rows(cube, "region_segments.level.x.y", kRegionSegmentColumns);
  ASSERT_GT(segments.size(), 100u);
  double worst = 0;
  for (std::size_t i = 0; i < segments.size(); ++i)
    for (int e = 0; e < 2; ++e)
      worst = std::max(worst, std::abs(std::hypot(segments.at(i, 1 + 2 * e), segments.at(i, 2 + 2 * e)) - 0.63));
  // Linear interpolation of r^2 - x^2 - y^2 along an edge of length h errs by about h^2 / (8 r);
  // a midpoint would err by up to h / 2.
  EXPECT_LT(worst, 0.01 * finest);
}

TEST(RegionMap, ExtraSolvesGrowWithTheBoundaryLengthNotTheArea) {
  ScratchDir dir("region-scaling");
  std::vector<double> solves;
  double boundary_grid_cells = 0;
  for (int depth = 3; depth <= 8; ++depth) {
    const std::string out = dir.file("d" + std::to_string(depth) + ".h5");
    g_points_solved = 0;
    ASSERT_TRUE(run(base_spec() + region_map("inside", depth, "kind = \"categorical\"\n"), out).ok());
    CubeReader cube(out);
    solves.push_back(cube.read_f64("region_solves.inside.x.y")[0]);
    boundary_grid_cells = cube.read_f64("region_grid_cells.inside.x.y")[0];
    // The stored count is what the model was asked to solve beyond the grid.
    EXPECT_EQ(static_cast<double>(g_points_solved.load()), 21.0 * 21.0 + solves.back()) << "depth " << depth;
  }
  for (std::size_t k = 1; k < solves.size(); ++k) {
    const double ratio = solves[k] / solves[k - 1];
    EXPECT_GT(ratio, 1.7) << "depth " << k + 3;
    EXPECT_LT(ratio, 2.3) << "depth " << k + 3 << ": refinement grows like the area (x4), not the boundary (x2)";
  }
  // Refining every boundary grid cell uniformly to depth 8 would take (2^8 + 1)^2 - 4 solves each.
  EXPECT_LT(solves.back(), 0.05 * boundary_grid_cells * (257.0 * 257.0 - 4));
}

TEST(RegionMap, RerunReusesTheStoredResultAndAddingAMapKeepsTheTiles) {
  ScratchDir dir("region-rerun");
  const std::string out = dir.file("c.h5");
  ASSERT_TRUE(run(base_spec(), out).ok());
  const auto tiles_before = CubeReader(out).read_raw("inside");
  const std::string spec = base_spec() + region_map("inside", 5, "kind = \"categorical\"\n");
  g_points_solved = 0;
  const auto added = run(spec, out);
  ASSERT_TRUE(added.ok()) << added.summary();
  EXPECT_EQ(added.tiles_computed, 0u) << "tiles were recomputed although the sweep was finished";
  ASSERT_EQ(added.analyses.size(), 1u);
  EXPECT_NE(added.analyses[0].find("region map inside.x.y"), std::string::npos) << added.analyses[0];
  const double solves = CubeReader(out).read_f64("region_solves.inside.x.y")[0];
  EXPECT_EQ(static_cast<double>(g_points_solved.load()), solves) << "only the refinement should have solved points";
  EXPECT_TRUE(CubeReader(out).read_raw("inside") == tiles_before);
  const auto cells = CubeReader(out).read_raw("region_cells.inside.x.y");

  g_points_solved = 0;
  const auto again = run(spec, out);
  EXPECT_EQ(again.outcome, RunSummary::Outcome::already_complete) << again.summary();
  EXPECT_EQ(g_points_solved.load(), 0) << "a rerun solved points again";
  EXPECT_TRUE(CubeReader(out).read_raw("region_cells.inside.x.y") == cells);

  // A different depth is a different analysis: computed again, tiles kept.
  const auto deeper = run(base_spec() + region_map("inside", 6, "kind = \"categorical\"\n"), out);
  ASSERT_TRUE(deeper.ok()) << deeper.summary();
  EXPECT_EQ(deeper.tiles_computed, 0u);
  EXPECT_GT(CubeReader(out).dataset_shape("region_cells.inside.x.y")[0], cells.size() / (8 * kRegionCellColumns));
}

TEST(RegionMap, RefinesEverySliceOfAThirdAxisAgainstItsOwnRadius) {
  ScratchDir dir("region-slices");
  // r = 0: the disk is empty (x^2 + y^2 < 0 nowhere), so that slice has no boundary.
  const std::string spec = "model = \"disk\"\n[[axis]]\nname = \"r\"\nvalues = [0.0, 0.35, 0.7]\n"
                           "[[axis]]\nname = \"x\"\nlinspace = [-1.0, 1.0, 21]\n"
                           "[[axis]]\nname = \"y\"\nlinspace = [-1.0, 1.0, 21]\n" +
                           region_map("inside", 4, "kind = \"categorical\"\n");
  ASSERT_TRUE(run(spec, dir.file("c.h5")).ok());
  CubeReader cube(dir.file("c.h5"));
  EXPECT_EQ(cube.dataset_shape("region_solves.inside.x.y"), (std::vector<std::size_t>{3}));
  const auto grid_cells = cube.read_f64("region_grid_cells.inside.x.y");
  EXPECT_EQ(grid_cells[0], 0);
  EXPECT_EQ(cube.read_f64("region_solves.inside.x.y")[0], 0);
  EXPECT_GT(grid_cells[1], 0);
  EXPECT_GT(grid_cells[2], grid_cells[1]) << "the larger circle crosses more grid cells";
  const Rows segments = read_rows(cube, "region_segments.inside.x.y", kRegionSegmentColumns);
  const double radius[3] = {0.0, 0.35, 0.7};
  std::size_t per_slice[3] = {0, 0, 0};
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto slice = static_cast<std::size_t>(segments.at(i, 0));
    ASSERT_TRUE(slice == 1 || slice == 2) << "slice " << slice;
    ++per_slice[slice];
    EXPECT_LE(std::abs(std::hypot(segments.at(i, 1), segments.at(i, 2)) - radius[slice]), 0.1 / 16);
  }
  EXPECT_GT(per_slice[1], 0u);
  EXPECT_GT(per_slice[2], per_slice[1]);
}

TEST(RegionMap, StatusBoundaryWithSwappedAxesIsTheWall) {
  ScratchDir dir("region-status");
  const int depth = 7;
  const double finest = 0.1 / (1 << depth);
  // axes = [y, x]: the map's first column is y, so the wall x = 0.33 is horizontal there.
  ASSERT_TRUE(run(base_spec("r = 0.5\nwall = 0.33\n") + region_map("status", depth, "", "[\"y\", \"x\"]"),
                  dir.file("c.h5"))
                  .ok());
  CubeReader cube(dir.file("c.h5"));
  EXPECT_EQ(cube.dataset_string_attribute("region_segments.status.y.x", "x_axis"), "y");
  const Rows segments = read_rows(cube, "region_segments.status.y.x", kRegionSegmentColumns);
  ASSERT_EQ(segments.size(), 20u * (1u << depth)) << "one segment per finest cell along y in [-1, 1]";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    EXPECT_LE(std::abs(segments.at(i, 2) - 0.33), finest);
    EXPECT_LE(std::abs(segments.at(i, 4) - 0.33), finest);
  }
}

TEST(RegionMap, IsIdenticalForOneAndTwoThreads) {
  ScratchDir dir("region-threads");
  const std::string spec = base_spec() + region_map("level", 6);
  ASSERT_TRUE(run(spec, dir.file("one.h5"), 1).ok());
  ASSERT_TRUE(run(spec, dir.file("two.h5"), 2).ok());
  for (const char* name : {"region_cells.level.x.y", "region_segments.level.x.y", "region_solves.level.x.y"})
    EXPECT_TRUE(CubeReader(dir.file("one.h5")).read_raw(name) == CubeReader(dir.file("two.h5")).read_raw(name)) << name;
}

void expect_spec_error(const std::string& text, const std::string& key, const std::string& words) {
  try {
    parse_spec(text, "disk.toml", catalog());
    ADD_FAILURE() << "accepted: " << text;
  } catch (const SpecError& e) {
    EXPECT_EQ(e.key(), key) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("disk.toml"), std::string::npos) << e.what();
  }
}

TEST(RegionMap, RejectsBadBlocksNamingTheKeyAndWhatIsAllowed) {
  const std::string base = base_spec();
  expect_spec_error(base + region_map("inside", 4, "dpeth = 3\n"), "region_map[0].dpeth", "allowed here: indicator");
  expect_spec_error(base + region_map("inside", 0), "region_map[0].depth", "[1, 12]");
  expect_spec_error(base + region_map("inside", 13), "region_map[0].depth", "[1, 12]");
  expect_spec_error(base + region_map("inside", 4, "", "[\"x\", \"z\"]"), "region_map[0].axes", "'z' is not an axis; axes: x, y");
  expect_spec_error(base + region_map("inside", 4, "", "[\"x\", \"x\"]"), "region_map[0].axes", "must differ");
  expect_spec_error(base + region_map("inside", 4, "", "[\"x\"]"), "region_map[0].axes", "two axis names");
  expect_spec_error(base + "[[region_map]]\nindicator = \"inside\"\n", "region_map[0].axes", "missing");
  expect_spec_error(base + region_map("volume", 4), "region_map[0].indicator", "not a stored output");
  expect_spec_error(base + region_map("inside", 4, "kind = \"fuzzy\"\n"), "region_map[0].kind", "\"real\" or \"categorical\"");
  expect_spec_error(base + region_map("inside", 4, "kind = \"categorical\"\nminus = \"level\"\n"), "region_map[0].minus",
                    "real indicator");
  expect_spec_error(base + region_map("inside", 4) + region_map("inside", 5), "region_map[1].indicator", "second region map");
  expect_spec_error("model = \"disk\"\n[fixed]\nr = 0.5\ny = 0\n[[axis]]\nname = \"x\"\nlinspace = [-1.0, 1.0, 5]\n" +
                        region_map("inside", 4, "", "[\"x\", \"x\"]"),
                    "region_map", "needs two axes");
  // Validation happens when the spec is read, before any work.
  EXPECT_NO_THROW(parse_spec(base + region_map("level", 12, "minus = \"inside\"\n"), "disk.toml", catalog()));
}

TEST(RegionMap, LeavesTheAnalysisFingerprintOfASpecWithoutMapsUnchanged) {
  // Cubes written before region maps existed must stay complete: the fingerprint of a spec
  // without maps may not change, and adding a map must change it.
  const SweepSpec plain = parse_spec(base_spec(), "disk.toml", catalog());
  const SweepSpec mapped = parse_spec(base_spec() + region_map("inside", 4), "disk.toml", catalog());
  EXPECT_EQ(plain.analysis_fingerprint(), sha256_hex(plain.fingerprint() + "[]"));  // the form before maps existed
  EXPECT_NE(plain.analysis_fingerprint(), mapped.analysis_fingerprint());
  EXPECT_EQ(plain.fingerprint(), mapped.fingerprint()) << "a region map must not change the tiles' fingerprint";
}

}  // namespace
}  // namespace eqsweep
