// A cube's bytes must not depend on the schedule: the same spec gives byte-equal datasets (and
// byte-equal stored chunks) with 1 and with 2 worker threads, and another tiling gives the same
// decoded values.

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

// 13 x 11 points in 4 x 3 tiles: 4 x 4 = 16 tiles (more than threads), with overhanging edge
// tiles on both axes (13 = 3*4 + 1, 11 = 3*3 + 2). Theta reaches 0.95 and t reaches 1, so the grid
// mixes solved and infeasible points (NaN outputs).
std::string spec_text(const std::string& chunk) {
  return "model = \"ye2025\"\n"
         "[fixed]\nk = 0.3\nsigma = 0.7\nGamma = -0.4\n"
         "[[axis]]\nname = \"theta\"\nlinspace = [0.05, 0.95, 13]\n"
         "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 11]\n"
         "[run]\nchunk = " +
         chunk + "\n";
}

SweepSpec make_spec(const std::string& chunk) {
  return parse_spec(spec_text(chunk), "determinism.toml", builtin_models());
}

RunSummary run(const SweepSpec& spec, const std::string& path, int threads) {
  return testing::run_quietly(spec, path, threads);
}

std::vector<std::string> variable_names(const SweepSpec& spec) {
  std::vector<std::string> names;
  for (int o : spec.outputs) names.push_back(spec.model->outputs()[static_cast<std::size_t>(o)].name);
  names.insert(names.end(), {"status", "iterations", "residual"});
  return names;
}

TEST(Determinism, OneAndTwoThreadsGiveByteEqualDatasets) {
  ScratchDir dir("determinism_threads");
  const SweepSpec spec = make_spec("[4, 3]");
  const TileGrid grid(spec.shape(), spec.chunk);
  ASSERT_EQ(grid.tile_count(), 16u);
  ASSERT_NE(spec.shape()[0] % spec.chunk[0], 0u);
  ASSERT_NE(spec.shape()[1] % spec.chunk[1], 0u);

  const RunSummary one = run(spec, dir.file("one.h5"), 1);
  const RunSummary two = run(spec, dir.file("two.h5"), 2);
  ASSERT_TRUE(one.ok()) << one.summary();
  ASSERT_TRUE(two.ok()) << two.summary();
  EXPECT_EQ(one.threads, 1);
  EXPECT_EQ(two.threads, 2);
  // The grid holds both kinds of points, so NaN patterns are compared too.
  EXPECT_GT(one.status_counts[0], 0u);
  EXPECT_GT(one.status_counts[1], 0u);
  for (int s = 0; s < 4; ++s) EXPECT_EQ(one.status_counts[s], two.status_counts[s]) << s;

  const CubeReader a(dir.file("one.h5")), b(dir.file("two.h5"));
  for (const auto& name : variable_names(spec)) {
    const auto bytes = a.read_raw(name);
    const int o = spec.model->output_index(name);
    const bool int32 = name == "iterations" || (o >= 0 && spec.model->outputs()[static_cast<std::size_t>(o)].categorical());
    EXPECT_EQ(bytes.size(), spec.point_count() * (name == "status" ? 1u : int32 ? 4u : 8u)) << name;
    EXPECT_EQ(bytes, b.read_raw(name)) << name;
  }
  // The stored (compressed) chunks are byte-equal as well.
  for (std::size_t tile = 0; tile < grid.tile_count(); ++tile) {
    const auto origin = grid.tile_origin(tile);
    for (const auto& name : variable_names(spec)) {
      std::uint32_t mask_a = 1, mask_b = 1;
      EXPECT_EQ(a.read_chunk(name, origin, &mask_a), b.read_chunk(name, origin, &mask_b)) << name << " tile " << tile;
      EXPECT_EQ(mask_a, mask_b);
    }
  }
  EXPECT_EQ(a.string_attribute("spec_fingerprint"), b.string_attribute("spec_fingerprint"));
}

TEST(Determinism, AnotherTilingGivesEqualDecodedValues) {
  ScratchDir dir("determinism_chunks");
  const SweepSpec small = make_spec("[4, 3]");
  const SweepSpec other = make_spec("[5, 7]");  // 3 x 2 tiles, different edge overhangs
  const SweepSpec whole = make_spec("[13, 11]");  // one tile
  ASSERT_NE(small.fingerprint(), other.fingerprint());

  const RunSummary s = run(small, dir.file("small.h5"), 2);
  const RunSummary o = run(other, dir.file("other.h5"), 2);
  const RunSummary w = run(whole, dir.file("whole.h5"), 1);
  ASSERT_TRUE(s.ok()) << s.summary();
  ASSERT_TRUE(o.ok()) << o.summary();
  ASSERT_TRUE(w.ok()) << w.summary();
  EXPECT_EQ(o.tiles_total, 6u);
  EXPECT_EQ(w.tiles_total, 1u);

  const CubeReader a(dir.file("small.h5")), b(dir.file("other.h5")), c(dir.file("whole.h5"));
  for (const auto& name : variable_names(small)) {
    const auto expected = a.read_raw(name);
    EXPECT_EQ(b.read_raw(name), expected) << name;
    EXPECT_EQ(c.read_raw(name), expected) << name;
  }
}

TEST(Determinism, ThreadsComeFromOptionsThenSpec) {
  ScratchDir dir("determinism_spec_threads");
  const SweepSpec spec = parse_spec(spec_text("[4, 3]") + "threads = 2\n", "determinism.toml", builtin_models());
  ASSERT_EQ(spec.threads, 2);
  // run.threads does not enter the fingerprint, so both cubes claim the same spec.
  EXPECT_EQ(spec.fingerprint(), make_spec("[4, 3]").fingerprint());
  const RunSummary from_spec = run(spec, dir.file("spec.h5"), 0);
  const RunSummary from_options = run(spec, dir.file("options.h5"), 1);
  ASSERT_TRUE(from_spec.ok()) << from_spec.summary();
  ASSERT_TRUE(from_options.ok()) << from_options.summary();
  EXPECT_EQ(from_spec.threads, 2);
  EXPECT_EQ(from_options.threads, 1);
  const CubeReader a(dir.file("spec.h5")), b(dir.file("options.h5"));
  EXPECT_EQ(a.number_attribute("threads"), 2.0);
  EXPECT_EQ(b.number_attribute("threads"), 1.0);
  for (const auto& name : variable_names(spec)) EXPECT_EQ(a.read_raw(name), b.read_raw(name)) << name;
}

}  // namespace
}  // namespace eqsweep
