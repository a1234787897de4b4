// Continuation: for a model that declares warm starts, the engine walks every line of a tile along
// the continuation axis in axis order, hands each solution to the next point, starts cold at the
// start of each line and after a failure, and stores what the solver reported (status,
// iterations, residual) in the cube. Checked with a test-only model: Newton's method for the real
// root x(a, b) of x^3 + b x - a = 0 (b > 0, so the root is unique and smooth in a).

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/model.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "support/test_support.hpp"
#include "support/toy_models.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

using namespace testing::cubic;

const ModelCatalog& test_catalog() {
  static const CubicRootModel model;
  static const ModelCatalog catalog = [] {
    ModelCatalog c;
    c.add(model);
    return c;
  }();
  return catalog;
}

SweepSpec make_spec(const std::string& text) { return parse_spec(text, "continuation.toml", test_catalog()); }

// b in {0.5, 1, 2}, a = 2, 2.25, ..., 4 (a = 2.5 is index 2, exact in binary).
const std::string kBAxis = "[[axis]]\nname = \"b\"\nvalues = [0.5, 1.0, 2.0]\n";
const std::string kAAxis = "[[axis]]\nname = \"a\"\nlinspace = [2.0, 4.0, 9]\n";

struct Cube {
  std::vector<double> x, start, warm, residual;
  std::vector<std::uint8_t> status;
  std::vector<std::int32_t> iterations;
};

Cube read_cube(const std::string& path) {
  const CubeReader r(path);
  Cube c;
  c.x = r.read_f64("x");
  c.start = r.read_f64("start");
  c.warm = r.read_f64("warm");
  c.residual = r.read_f64("residual");
  const auto status = r.read_raw("status");
  c.status.assign(status.begin(), status.end());
  const auto it = r.read_raw("iterations");
  c.iterations.resize(it.size() / 4);
  std::memcpy(c.iterations.data(), it.data(), it.size());
  return c;
}

RunSummary run(const SweepSpec& spec, const std::string& path, int threads) {
  return testing::run_quietly(spec, path, threads);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The test's own account of continuation on a 2-D grid: along the continuation axis, in order,
// each point starts from the previous point's solution when that point is in the same tile and
// was solved; otherwise it starts cold from 0.
Cube expected_cube(const SweepSpec& spec) {
  const auto shape = spec.shape();
  const std::size_t c = spec.continuation_axis, o = 1 - c;
  const double fail_a = spec.fixed[kFailA];
  Cube e;
  const std::size_t n = shape[0] * shape[1];
  e.x.assign(n, kNaN);
  e.start.assign(n, kNaN);
  e.warm.assign(n, kNaN);
  e.residual.assign(n, kNaN);
  e.status.assign(n, 255);
  e.iterations.assign(n, -2);
  for (std::size_t i = 0; i < shape[o]; ++i) {
    for (std::size_t j = 0; j < shape[c]; ++j) {
      std::size_t idx[2];
      idx[o] = i;
      idx[c] = j;
      const std::size_t cell = idx[0] * shape[1] + idx[1];
      double params[3];
      params[kFailA] = fail_a;
      for (const auto& axis : spec.axes) params[axis.parameter] = axis.values[&axis == &spec.axes[0] ? idx[0] : idx[1]];
      bool warm = false;
      double x0 = 0.0;
      if (j % spec.chunk[c] != 0) {
        std::size_t prev[2] = {idx[0], idx[1]};
        prev[c] = j - 1;
        const std::size_t pcell = prev[0] * shape[1] + prev[1];
        if (e.status[pcell] == static_cast<std::uint8_t>(PointStatus::solved)) {
          warm = true;
          x0 = e.x[pcell];
        }
      }
      e.start[cell] = x0;
      e.warm[cell] = warm ? 1.0 : 0.0;
      if (params[kA] == fail_a) {
        e.status[cell] = static_cast<std::uint8_t>(PointStatus::failed);
        e.iterations[cell] = kFailIterations;
        e.residual[cell] = kFailResidual;
        continue;
      }
      const NewtonResult r = newton(params[kA], params[kB], x0);
      e.x[cell] = r.x;
      e.iterations[cell] = r.iterations;
      e.residual[cell] = r.residual;
      e.status[cell] = static_cast<std::uint8_t>(r.converged ? PointStatus::solved : PointStatus::failed);
    }
  }
  return e;
}

void expect_cube_equals(const Cube& got, const Cube& want) {
  ASSERT_EQ(got.x.size(), want.x.size());
  for (std::size_t i = 0; i < want.x.size(); ++i) {
    EXPECT_TRUE(same_bits(got.x[i], want.x[i])) << "x at cell " << i << ": " << got.x[i] << " vs " << want.x[i];
    EXPECT_TRUE(same_bits(got.start[i], want.start[i])) << "start at cell " << i;
    EXPECT_EQ(got.warm[i], want.warm[i]) << "warm at cell " << i;
    EXPECT_EQ(got.status[i], want.status[i]) << "status at cell " << i;
    EXPECT_EQ(got.iterations[i], want.iterations[i]) << "iterations at cell " << i;
    EXPECT_TRUE(same_bits(got.residual[i], want.residual[i])) << "residual at cell " << i;
  }
}

TEST(Continuation, TestModelConvergesEverywhereOnTheGrid) {
  // Premise: cold and warm Newton both converge on this grid, and warm starts save work.
  for (double b : {0.5, 1.0, 2.0}) {
    for (int j = 0; j < 9; ++j) {
      const double a = 2.0 + 0.25 * j;
      const NewtonResult cold = newton(a, b, 0.0);
      ASSERT_TRUE(cold.converged) << a << " " << b;
      EXPECT_NEAR(cold.x * cold.x * cold.x + b * cold.x, a, 1e-12);
      if (j > 0) {
        const NewtonResult warm = newton(a, b, newton(a - 0.25, b, 0.0).x);
        ASSERT_TRUE(warm.converged);
        EXPECT_LT(warm.iterations, cold.iterations) << a << " " << b;
      }
    }
  }
}

TEST(Continuation, WarmStartsFollowTheAxisInOrderWithinATile) {
  ScratchDir dir("continuation_order");
  // Continuation along a (the last axis, by default); tiles of 2 x 4 cut every a-line into
  // pieces of 4, 4 and 1 points; b has an overhanging edge tile. The solver fails at a = 2.5.
  const SweepSpec spec = make_spec("model = \"cubic\"\n[fixed]\nfail_a = 2.5\n" + kBAxis + kAAxis +
                                   "[run]\nchunk = [2, 4]\n");
  ASSERT_EQ(spec.continuation_axis, 1u);
  const RunSummary summary = run(spec, dir.file("cube.h5"), 2);
  ASSERT_TRUE(summary.ok()) << summary.summary();
  const Cube got = read_cube(dir.file("cube.h5"));

  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 9; ++j) {
      const std::size_t cell = i * 9 + j;
      const bool line_start = j % 4 == 0;
      const bool after_failure = j == 3;  // a = 2.5 (j = 2) failed
      if (j == 2) {
        EXPECT_EQ(got.status[cell], static_cast<std::uint8_t>(PointStatus::failed)) << i;
        EXPECT_TRUE(std::isnan(got.x[cell])) << i;
        EXPECT_EQ(got.iterations[cell], kFailIterations) << i;
        EXPECT_EQ(got.residual[cell], kFailResidual) << i;
        EXPECT_EQ(got.warm[cell], 1.0) << "a = 2.5 follows a solved point in its line, row " << i;
        continue;
      }
      EXPECT_EQ(got.status[cell], static_cast<std::uint8_t>(PointStatus::solved)) << i << "," << j;
      if (line_start || after_failure) {
        EXPECT_EQ(got.warm[cell], 0.0) << "cold start expected at " << i << "," << j;
        EXPECT_EQ(got.start[cell], 0.0) << i << "," << j;
      } else {
        EXPECT_EQ(got.warm[cell], 1.0) << "warm start expected at " << i << "," << j;
        EXPECT_TRUE(same_bits(got.start[cell], got.x[cell - 1]))
            << "point " << i << "," << j << " did not start from its predecessor's solution";
      }
      // The stored residual is what the solver reported: |f(x)| at the stored root.
      const double a = spec.axes[1].values[j], b = spec.axes[0].values[i], x = got.x[cell];
      EXPECT_TRUE(same_bits(got.residual[cell], std::abs(x * x * x + b * x - a))) << i << "," << j;
      EXPECT_LE(got.residual[cell], 1e-12);
    }
  }
  expect_cube_equals(got, expected_cube(spec));
  EXPECT_EQ(summary.status_counts[0], 24u);
  EXPECT_EQ(summary.status_counts[2], 3u);
  std::int64_t total = 0;
  for (auto it : got.iterations) total += it;
  EXPECT_EQ(summary.iterations, total);
}

TEST(Continuation, ColdLineStartsTakeMoreIterationsThanWarmPoints) {
  ScratchDir dir("continuation_iterations");
  const SweepSpec spec = make_spec("model = \"cubic\"\n[fixed]\nfail_a = -1.0\n" + kBAxis + kAAxis);
  ASSERT_EQ(spec.chunk, (std::vector<std::size_t>{1, 9}));  // default for a sweep this small: one whole line per tile
  const RunSummary summary = run(spec, dir.file("cube.h5"), 1);
  ASSERT_TRUE(summary.ok()) << summary.summary();
  const Cube got = read_cube(dir.file("cube.h5"));
  for (std::size_t i = 0; i < 3; ++i) {
    const std::size_t first = i * 9;
    EXPECT_EQ(got.warm[first], 0.0) << i;
    EXPECT_GT(got.iterations[first], 0) << i;
    for (std::size_t j = 1; j < 9; ++j) {
      EXPECT_EQ(got.warm[first + j], 1.0) << i << "," << j;
      EXPECT_LT(got.iterations[first + j], got.iterations[first]) << i << "," << j;
    }
  }
  expect_cube_equals(got, expected_cube(spec));
}

TEST(Continuation, OneAndTwoThreadsGiveTheSameCube) {
  ScratchDir dir("continuation_threads");
  const SweepSpec spec = make_spec("model = \"cubic\"\n[fixed]\nfail_a = 3.5\n" + kBAxis + kAAxis +
                                   "[run]\nchunk = [1, 3]\n");  // 3 x 3 = 9 tiles
  const RunSummary one = run(spec, dir.file("one.h5"), 1);
  const RunSummary two = run(spec, dir.file("two.h5"), 2);
  ASSERT_TRUE(one.ok()) << one.summary();
  ASSERT_TRUE(two.ok()) << two.summary();
  EXPECT_EQ(one.iterations, two.iterations);
  const CubeReader a(dir.file("one.h5")), b(dir.file("two.h5"));
  for (const char* name : {"x", "start", "warm", "status", "iterations", "residual"})
    EXPECT_EQ(a.read_raw(name), b.read_raw(name)) << name;
  expect_cube_equals(read_cube(dir.file("two.h5")), expected_cube(spec));
}

TEST(Continuation, AlongTheFirstAxis) {
  ScratchDir dir("continuation_first_axis");
  // Axes (a, b), continuation along a: lines run across rows of the chunk (stride > 1 in a tile).
  const SweepSpec spec = make_spec("model = \"cubic\"\ncontinuation = \"a\"\n[fixed]\nfail_a = 3.0\n" + kAAxis +
                                   kBAxis + "[run]\nchunk = [5, 2]\n");
  ASSERT_EQ(spec.continuation_axis, 0u);
  const RunSummary summary = run(spec, dir.file("cube.h5"), 2);
  ASSERT_TRUE(summary.ok()) << summary.summary();
  const Cube got = read_cube(dir.file("cube.h5"));
  // a = 3 is row 4 and fails; row 5 starts a new tile (chunk 5); rows 1-3 and 6-8 are warm.
  for (std::size_t j = 0; j < 3; ++j) {
    for (std::size_t i = 0; i < 9; ++i) {
      const std::size_t cell = i * 3 + j;
      if (i == 4) {
        EXPECT_EQ(got.status[cell], static_cast<std::uint8_t>(PointStatus::failed)) << j;
        continue;
      }
      const bool cold = i == 0 || i == 5;
      EXPECT_EQ(got.warm[cell], cold ? 0.0 : 1.0) << i << "," << j;
      if (!cold) {
        EXPECT_TRUE(same_bits(got.start[cell], got.x[cell - 3])) << i << "," << j;
      }
    }
  }
  expect_cube_equals(got, expected_cube(spec));
}

TEST(Continuation, FailureRestartsTheChainCold) {
  ScratchDir dir("continuation_failure");
  // One tile, whole lines; the solver fails at a = 2.25 (j = 1), so j = 2 must start cold even
  // though j = 0 was solved.
  const SweepSpec spec = make_spec("model = \"cubic\"\n[fixed]\nfail_a = 2.25\n" + kBAxis + kAAxis);
  const RunSummary summary = run(spec, dir.file("cube.h5"), 1);
  ASSERT_TRUE(summary.ok()) << summary.summary();
  EXPECT_EQ(summary.status_counts[2], 3u);
  const Cube got = read_cube(dir.file("cube.h5"));
  for (std::size_t i = 0; i < 3; ++i) {
    const std::size_t row = i * 9;
    EXPECT_EQ(got.status[row + 1], static_cast<std::uint8_t>(PointStatus::failed));
    EXPECT_EQ(got.iterations[row + 1], kFailIterations);
    EXPECT_EQ(got.residual[row + 1], kFailResidual);
    EXPECT_EQ(got.warm[row + 2], 0.0) << "chain not restarted after the failure in row " << i;
    EXPECT_EQ(got.start[row + 2], 0.0);
    EXPECT_EQ(got.iterations[row + 2], newton(2.5, spec.axes[0].values[i], 0.0).iterations);
    EXPECT_EQ(got.warm[row + 3], 1.0);
    EXPECT_TRUE(same_bits(got.start[row + 3], got.x[row + 2]));
  }
  expect_cube_equals(got, expected_cube(spec));
}

}  // namespace
}  // namespace eqsweep
