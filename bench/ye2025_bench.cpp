// Model Y: scenario evaluations per second on one core, printed closed forms against the derived
// (linear-quadratic Stackelberg) path, over a tile of 16 Ki interior points in the engine's
// structure-of-arrays layout. Targets (issue 3): published >= 100 M evaluations/s per core;
// derived within 10x of published.
//
//   build/bench/ye2025_bench --benchmark_min_time=0.2
//
// Tile*: what the engine runs (Ye2025Solver::solve_batch calls published_tile/derived_tile once
// per needed scenario; published_tile runs its AVX2 build where the CPU has AVX2).
// TilePublishedSse2 / TilePublishedAos: the baseline-ISA build of the same loop, and the loop
// before its block buffer became one row per output. PointByPoint*: the loop solve_batch ran
// before the tile path (one Point gathered from the rows, one dispatched evaluation, eleven stores
// per point). All are kept so that before and after come from the same run. SolveBatch: the whole
// solver for a spec that stores N.* and Y.*.
//
// Numbers in docs/model-y.md ("Speed") come from one run of
//   build-y/bench/ye2025_bench --benchmark_min_time=0.2 --benchmark_repetitions=3
//     --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
// (one command line; medians).

#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "models/ye2025/evaluation.hpp"
#include "models/ye2025/published_basic.hpp"
#include "models/ye2025/sampling.hpp"
#include "models/ye2025/tile_evaluation.hpp"
#include "models/ye2025/ye2025_model.hpp"

namespace {

using namespace eqsweep;
using namespace eqsweep::ye2025;

constexpr std::size_t kTile = 16384;

// The tile's parameters, row per parameter (params[j * kTile + i]).
const std::vector<double>& tile_params() {
  static const std::vector<double> rows = [] {
    std::mt19937_64 rng(1);
    std::vector<double> v(static_cast<std::size_t>(kParamCount) * kTile);
    for (std::size_t i = 0; i < kTile; ++i) {
      const Point p = random_interior_point(rng, 0.3);
      for (int j = 0; j < kParamCount; ++j) v[static_cast<std::size_t>(j) * kTile + i] = p[j];
    }
    return v;
  }();
  return rows;
}

struct TileOutputs {
  std::vector<double> rows = std::vector<double>((kScenarioOutputCount + 1) * kTile);
  TileRows view() {
    TileRows r;
    r.size = r.stride = kTile;
    r.params = tile_params().data();
    for (int q = 0; q < kScenarioOutputCount; ++q) r.quantity[static_cast<std::size_t>(q)] = rows.data() + q * kTile;
    r.regime = rows.data() + kScenarioOutputCount * kTile;
    return r;
  }
};

// The inline printed forms of N and Y in a plain loop, only pi_M kept (a lower bound on a
// closed-form tile's cost: the other outputs are dead code here).
void BM_PublishedInlineNY(benchmark::State& state) {
  const double* P = tile_params().data();
  for (auto _ : state) {
    double acc = 0;
    for (std::size_t i = 0; i < kTile; ++i) {
      const Params b{P[kTheta * kTile + i], P[kK * kTile + i], P[kT * kTile + i], P[kSigma * kTile + i],
                     P[kGamma * kTile + i]};
      acc += published_N(b).pi_M + published_Y(b).pi_M;
    }
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kTile * 2));
}
BENCHMARK(BM_PublishedInlineNY);

template <bool kDerived>
void BM_Tile(benchmark::State& state) {
  const int s = static_cast<int>(state.range(0));
  TileOutputs out;
  const TileRows rows = out.view();
  for (auto _ : state) {
    if constexpr (kDerived) derived_tile(s, rows);
    else published_tile(s, rows);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kTile));
  state.SetLabel(kScenarioNames[s]);
}
BENCHMARK(BM_Tile<false>)->Name("BM_TilePublished")->DenseRange(0, kScenarioCount - 1);

// published_tile's variants in the same run: Sse2 is the loop compiled for the x86-64 baseline
// (what published_tile runs on a CPU without AVX2), Aos the loop before its block buffer became
// one row per output (its first pass did not vectorise for some scenarios, its second branched
// per point). All store the same bits.
template <int kVariant>
void BM_TilePublishedVariant(benchmark::State& state) {
  const int s = static_cast<int>(state.range(0));
  TileOutputs out;
  const TileRows rows = out.view();
  for (auto _ : state) {
    if constexpr (kVariant == 0) published_tile(s, rows, TileIsa::sse2);
    else published_tile_aos(s, rows);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kTile));
  state.SetLabel(kScenarioNames[s]);
}
BENCHMARK(BM_TilePublishedVariant<0>)->Name("BM_TilePublishedSse2")->DenseRange(0, kScenarioCount - 1);
BENCHMARK(BM_TilePublishedVariant<1>)->Name("BM_TilePublishedAos")->DenseRange(0, kScenarioCount - 1);
BENCHMARK(BM_Tile<true>)->Name("BM_TileDerived")->DenseRange(0, kScenarioCount - 1);

template <bool kDerived>
void BM_PointByPoint(benchmark::State& state) {
  const int s = static_cast<int>(state.range(0));
  TileOutputs out;
  const TileRows rows = out.view();
  Evaluation (*const eval)(int, const Point&) = kDerived ? &derived : &published;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kTile; ++i) {
      const Evaluation e = eval(s, load_point(rows.params, kTile, i));
      const auto v = quantity_values(e.o);
      const bool keep = e.regime == kEquilibrium;
      for (int q = 0; q < kScenarioOutputCount; ++q) rows.quantity[static_cast<std::size_t>(q)][i] = keep ? v[q] : kNaN;
      rows.regime[i] = e.regime;
    }
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kTile));
  state.SetLabel(kScenarioNames[s]);
}
BENCHMARK(BM_PointByPoint<false>)->Name("BM_PointByPointPublished")->DenseRange(0, kScenarioCount - 1);
BENCHMARK(BM_PointByPoint<true>)->Name("BM_PointByPointDerived")->DenseRange(0, kScenarioCount - 1);

// The model's solver for a spec storing N.* and Y.* (sweeps/demo.toml): two scenario
// evaluations per point plus the status.
void BM_SolveBatch(benchmark::State& state) {
  static const Ye2025Model model;
  const char* variant = state.range(0) == 0 ? "published" : "derived";
  std::vector<bool> needed(model.outputs().size(), false);
  for (int s : {kScenarioN, kScenarioY})
    for (int q = 0; q < kScenarioOutputCount; ++q) needed[static_cast<std::size_t>(Ye2025Model::output_index(s, q))] = true;
  const auto solver = model.make_solver({variant, {}, needed});
  std::vector<double> outputs(model.outputs().size() * kTile);
  std::vector<PointResult> results(kTile);
  const BatchView batch{kTile, kTile, tile_params().data(), outputs.data(), results.data()};
  for (auto _ : state) {
    solver->solve_batch(batch);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kTile * 2));
  state.SetLabel(variant);
}
BENCHMARK(BM_SolveBatch)->DenseRange(0, 1);

}  // namespace

BENCHMARK_MAIN();
