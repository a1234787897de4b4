// A sweep that reads only some outputs gets a solver that skips the rest: the outputs it does
// read and the point's status must be exactly those of a solver that computes everything.

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "models/ye2025/evaluation.hpp"
#include "models/ye2025/parameters.hpp"
#include "models/ye2025/sampling.hpp"
#include "models/ye2025/scenario_outputs.hpp"
#include "models/ye2025/scenarios.hpp"
#include "models/ye2025/tile_evaluation.hpp"
#include "models/ye2025/ye2025_model.hpp"
#include "random_batch.hpp"

namespace eqsweep::ye2025 {
namespace {

// Checks, for every variant, that a solver told to read only `needed` stores exactly what a solver
// computing everything stores (the latter goes point by point through the claims).
void expect_same_as_full(const Ye2025Model& model, const std::vector<bool>& needed) {
  const std::size_t n_out = model.outputs().size(), n = 64;
  const std::vector<double> params = testing::random_batch(model, n, n, 7);
  for (const char* variant : {"published", "derived", "both"}) {
    std::vector<double> full(n_out * n, -1.0), partial(n_out * n, -1.0);
    std::vector<PointResult> full_r(n), partial_r(n);
    model.make_solver({variant, {}, {}})->solve_batch({n, n, params.data(), full.data(), full_r.data()});
    model.make_solver({variant, {}, needed})->solve_batch({n, n, params.data(), partial.data(), partial_r.data()});
    std::size_t solved = 0;
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(full_r[i].status, partial_r[i].status) << variant << " point " << i;
      solved += full_r[i].status == PointStatus::solved;
      for (std::size_t o = 0; o < n_out; ++o) {
        if (!needed[o]) continue;
        const double a = full[o * n + i], b = partial[o * n + i];
        EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << variant << " " << model.outputs()[o].name;
      }
    }
    EXPECT_GT(solved, n / 4) << "too few interior points for the comparison to mean anything";
  }
}

TEST(Ye2025NeededOutputs, ReadOutputsAndStatusMatchTheFullEvaluation) {
  const Ye2025Model model;
  std::vector<bool> needed(model.outputs().size(), false);
  for (const char* name : {"N.pi_M", "Y.pi_M", "Y-C.pi_R", "Y.c_B"})
    needed[static_cast<std::size_t>(static_cast<const Model&>(model).output_index(name))] = true;
  expect_same_as_full(model, needed);
}

// Without claims every scenario is evaluated over the whole tile by its own loop; with them,
// point by point. Both paths must store the same bits for every scenario, printed and derived.
TEST(Ye2025NeededOutputs, EveryScenarioOverTheTileMatchesThePointByPointEvaluation) {
  const Ye2025Model model;
  std::vector<bool> needed(model.outputs().size(), false);
  for (int s = 0; s < kScenarioCount; ++s) {
    for (int q = 0; q < kScenarioOutputCount; ++q) {
      needed[static_cast<std::size_t>(Ye2025Model::output_index(s, q))] = true;
      needed[static_cast<std::size_t>(Ye2025Model::derived_offset() + Ye2025Model::output_index(s, q))] = true;
    }
    needed[static_cast<std::size_t>(Ye2025Model::regime_index(s))] = true;
    needed[static_cast<std::size_t>(Ye2025Model::derived_offset() + Ye2025Model::regime_index(s))] = true;
  }
  expect_same_as_full(model, needed);
}


// The printed forms over a tile, in every instruction set this CPU runs, against the per-point
// evaluation, bit for bit (NaN payloads included), at random interior points of every parameter
// and at points with edge values (every regime occurs), with a tile size that is not a multiple of
// the block or of the vector width and a row stride larger than the tile.
TEST(Ye2025NeededOutputs, PublishedTileStoresThePerPointBitsInEveryInstructionSet) {
  const std::size_t n = 2003, stride = 2011;
  std::mt19937_64 rng(11);
  std::vector<double> params(static_cast<std::size_t>(kParamCount) * stride, 0.0);
  std::vector<Point> points;
  // Every other point has one or two parameters at an edge value (0, 1, huge, tiny), so that
  // divisions by zero and overflows give non-finite outputs inside the region (regime 3) as well.
  const double edge[] = {0, 1, 1e300, -1e300, 1e-300, 1e160, 2, 0.5};
  for (std::size_t i = 0; i < n; ++i) {
    Point p = random_interior_point(rng, 0.3);
    for (int e = 0; e < static_cast<int>(i % 2 + i % 4 / 2); ++e) p[static_cast<int>(rng() % kParamCount)] = edge[rng() % 8];
    for (int j = 0; j < kParamCount; ++j) params[static_cast<std::size_t>(j) * stride + i] = p[j];
    points.push_back(p);
  }
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  int degenerate = 0;
  for (TileIsa isa : {TileIsa::sse2, TileIsa::avx2}) {
    if (!tile_isa_supported(isa)) continue;
    for (int s = 0; s < kScenarioCount; ++s) {
      std::vector<double> out((kScenarioOutputCount + 1) * stride, -1.0);
      TileRows rows;
      rows.size = n;
      rows.stride = stride;
      rows.params = params.data();
      for (int q = 0; q < kScenarioOutputCount; ++q) rows.quantity[static_cast<std::size_t>(q)] = out.data() + q * stride;
      rows.regime = out.data() + kScenarioOutputCount * stride;
      published_tile(s, rows, isa);
      int regimes[5] = {};
      for (std::size_t i = 0; i < n; ++i) {
        const Evaluation e = published(s, points[i]);
        const ScenarioOutputs& o = e.o;
        const auto v = quantity_values(o);
        const bool keep = e.regime == kEquilibrium;
        for (int q = 0; q < kScenarioOutputCount; ++q)
          ASSERT_EQ(bits(out[static_cast<std::size_t>(q) * stride + i]), bits(keep ? v[q] : kNaN))
              << kScenarioNames[s] << " output " << q << " point " << i << " isa " << static_cast<int>(isa);
        ASSERT_EQ(out[kScenarioOutputCount * stride + i], double(e.regime)) << kScenarioNames[s] << " point " << i;
        ++regimes[e.regime];
      }
      EXPECT_GT(regimes[kEquilibrium], 0) << kScenarioNames[s];
      degenerate += regimes[kDegenerate];
    }
  }
  EXPECT_GT(degenerate, 0) << "no non-finite outputs inside the region: the finiteness test went untested";
}

}  // namespace
}  // namespace eqsweep::ye2025
