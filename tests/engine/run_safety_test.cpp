// The engine side of issue 15 (docs/safety.md): checked sizes and the estimate, whole-cube status
// counts in the summary, and the one-writer lock.

#include <unistd.h>

#include <filesystem>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "engine/output_lock.hpp"
#include "engine/run_plan.hpp"
#include "engine/size_estimate.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"
#include "support/toy_models.hpp"

namespace eqsweep {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;

SweepSpec parse(const std::string& text) { return parse_spec(text, "spec.toml", builtin_models()); }

std::string axis(const char* name, long count) {
  return "[[axis]]\nname = \"" + std::string(name) + "\"\nlinspace = [0.02, 0.98, " + std::to_string(count) + "]\n";
}

TEST(CheckedSizes, ProductsThatDoNotFitIn64BitsAreDetected) {
  constexpr auto max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(checked_mul(1u << 20, 1u << 20), std::uint64_t{1} << 40);
  EXPECT_FALSE(checked_mul(max / 2 + 1, 2));
  EXPECT_FALSE(checked_add(max, 1));
  const std::vector<std::size_t> nine(9, 200000);
  EXPECT_FALSE(checked_product(nine));
  EXPECT_EQ(checked_product(std::vector<std::size_t>{3, 4, 5}), 60u);
  EXPECT_THROW(TileGrid(nine, std::vector<std::size_t>(9, 1)), std::overflow_error);
}

TEST(CheckedSizes, AGridTooLargeToHoldIsRefusedBeforeAnyAxisIsGenerated) {
  // Three axes of 1e8 points would take 2.4 GB to generate; the refusal comes first.
  std::string axes;
  for (const char* name : {"theta", "t", "k"}) axes += axis(name, 100'000'000);
  try {
    parse("model = \"ye2025\"\n[fixed]\nsigma = 0.5\nGamma = 0.2\n" + axes);
    FAIL() << "accepted";
  } catch (const SpecError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("axis[1].linspace"), std::string::npos) << what;
    EXPECT_NE(what.find("100000000 x 100000000 = 10000000000000000 points"), std::string::npos) << what;
  }
  // Nine axes of 200 000 overflow 64 bits: said so, not wrapped around.
  axes.clear();
  for (const char* name : {"theta", "t", "k", "sigma", "Gamma", "m", "phi", "delta", "y"}) axes += axis(name, 200000);
  EXPECT_THROW(parse("model = \"ye2025\"\n" + axes), SpecError);
}

TEST(SizeEstimate, CountsEveryVariableOfTheLayout) {
  const SweepSpec spec = parse(
      "model = \"ye2025\"\noutputs = [\"N.pi_M\", \"Y.pi_M\"]\n[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n" +
      axis("theta", 30) + axis("t", 40) +
      "[[sensitivity]]\noutput = \"Y.pi_M\"\nparameter = \"t\"\n"
      "[[sensitivity]]\noutput = \"N.pi_M\"\nparameter = \"k\"\nelasticity = false\n"
      "[run]\nchunk = [7, 40]\n");
  const RunPlan plan = make_run_plan(spec, {});
  std::size_t bytes_per_point = 0;
  for (std::size_t s : plan.element_sizes) bytes_per_point += s;
  const SizeEstimate e = estimate_size(spec, 3);
  EXPECT_EQ(e.bytes_per_point, bytes_per_point);
  EXPECT_EQ(e.points, 1200u);
  EXPECT_EQ(e.tiles, 5u);
  EXPECT_EQ(e.bytes, 1200u * bytes_per_point);
  EXPECT_EQ(e.tile_bytes, 280u * bytes_per_point);
  EXPECT_EQ(e.threads, 3);
  EXPECT_NE(e.describe().find("1200 points in 5 tiles"), std::string::npos) << e.describe();
}

TEST(SizeEstimate, LimitsAreMaxPointsAndTheFreeDisk) {
  SweepSpec spec = parse("model = \"ye2025\"\n[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n" + axis("theta", 1000) +
                         axis("t", 1000));
  ScratchDir dir("estimate_limits");
  const SizeEstimate e = estimate_size(spec, 1);
  EXPECT_FALSE(size_limit_exceeded(spec, e, dir.file("cube.h5")));
  spec.max_points = 999'999;
  const auto over = size_limit_exceeded(spec, e, "");
  ASSERT_TRUE(over);
  EXPECT_NE(over->find("1000000 points is more than run.max_points = 999999"), std::string::npos) << *over;
  // A cube larger than any disk: more than the free space.
  spec.max_points = 1'000'000;
  SizeEstimate huge = e;
  huge.bytes = std::uint64_t{1} << 62;
  const auto disk = size_limit_exceeded(spec, huge, dir.file("cube.h5"));
  ASSERT_TRUE(disk);
  EXPECT_NE(disk->find("free"), std::string::npos) << *disk;
}

// --- whole-cube status counts ----------------------------------------------------------------

const ModelCatalog& cubic_catalog() {
  static const testing::cubic::CubicRootModel model;
  static const ModelCatalog catalog = [] {
    ModelCatalog c;
    c.add(model);
    return c;
  }();
  return catalog;
}

// a = 2.5 fails on each of the 3 lines: 3 of 27 points.
const std::string kCubic =
    "model = \"cubic\"\n[fixed]\nfail_a = 2.5\n[[axis]]\nname = \"b\"\nvalues = [0.5, 1.0, 2.0]\n"
    "[[axis]]\nname = \"a\"\nlinspace = [2.0, 4.0, 9]\n[run]\nchunk = [1, 9]\n";

TEST(CubeStatus, TheSummaryCountsTheWholeCubeResumedTilesIncluded) {
  ScratchDir dir("cube_status");
  const SweepSpec spec = parse_spec(kCubic, "cubic.toml", cubic_catalog());
  const RunSummary first = testing::run_quietly(spec, dir.file("cube.h5"));
  ASSERT_TRUE(first.ok()) << first.summary();
  EXPECT_EQ(first.cube_status[0], 24u);
  EXPECT_EQ(first.cube_status[2], 3u);
  EXPECT_TRUE(first.too_many_failed());

  // Nothing computed now: the counts come from the cube.
  const RunSummary again = testing::run_quietly(spec, dir.file("cube.h5"));
  ASSERT_EQ(again.outcome, RunSummary::Outcome::already_complete) << again.summary();
  EXPECT_EQ(again.status_counts[2], 0u);
  EXPECT_EQ(again.cube_status[0], 24u);
  EXPECT_EQ(again.cube_status[2], 3u);
  EXPECT_EQ(again.cube_status[3], 0u);
  EXPECT_TRUE(again.too_many_failed());
  EXPECT_NE(again.summary().find("3 of 27 points failed"), std::string::npos) << again.summary();

  SweepSpec tolerant = spec;
  tolerant.max_failed_fraction = 3.0 / 27.0;
  const RunSummary allowed = testing::run_quietly(tolerant, dir.file("cube.h5"));
  EXPECT_FALSE(allowed.too_many_failed()) << allowed.summary();
}

// --- the lock ---------------------------------------------------------------------------------

TEST(OutputLockInProcess, OneHolderAtATimeNamedInTheRefusal) {
  ScratchDir dir("lock_in_process");
  const std::string out = dir.file("cube.h5");
  {
    auto held = OutputLock::acquire(out);
    ASSERT_TRUE(held);
    EXPECT_TRUE(fs::exists(out + ".lock"));
    try {
      OutputLock::acquire(out);
      FAIL() << "a second lock was granted";
    } catch (const OutputLocked& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("PID " + std::to_string(getpid())), std::string::npos) << what;
    }
    // A run on the locked output is refused and touches nothing.
    const SweepSpec spec = parse_spec(kCubic, "cubic.toml", cubic_catalog());
    const RunSummary refused = testing::run_quietly(spec, out);
    EXPECT_EQ(refused.outcome, RunSummary::Outcome::refused) << refused.summary();
    EXPECT_FALSE(fs::exists(out));
  }
  EXPECT_FALSE(fs::exists(out + ".lock")) << "released locks remove their file";
  EXPECT_TRUE(OutputLock::acquire(out));
  // No directory: no lock, the output check says why.
  EXPECT_FALSE(OutputLock::acquire(dir.file("missing/cube.h5")));
}

}  // namespace
}  // namespace eqsweep
