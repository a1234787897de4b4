// Model Y: scenario evaluations per second on one core, printed closed forms against the derived
// (linear-quadratic Stackelberg) path, over a tile of 16 Ki interior points. Targets (issue 3):
// published >= 100 M evaluations/s per core; derived within 10x of published.
//
//   build/bench/ye2025_bench --benchmark_min_time=0.5

#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "models/ye2025/evaluation.hpp"
#include "models/ye2025/published_basic.hpp"

namespace {

using namespace eqsweep::ye2025;

const std::vector<Point>& tile() {
  static const std::vector<Point> points = [] {
    std::mt19937_64 rng(1);
    auto u = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    std::vector<Point> v;
    for (int i = 0; i < 16384; ++i) v.push_back(Point{u(0.2, 0.8), u(0.1, 0.9), u(0.02, 0.3), u(0.1, 1.0), u(-0.5, 0.5)});
    return v;
  }();
  return points;
}

// The inline printed forms of N and Y in a plain loop (what a closed-form tile costs).
void BM_PublishedInlineNY(benchmark::State& state) {
  const auto& pts = tile();
  for (auto _ : state) {
    double acc = 0;
    for (const Point& p : pts) {
      const Params b = p.basic();
      acc += published_N(b).pi_M + published_Y(b).pi_M;
    }
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pts.size() * 2));
}
BENCHMARK(BM_PublishedInlineNY);

// One scenario through the model's evaluation functions (regime check included).
void BM_Published(benchmark::State& state) {
  const auto& pts = tile();
  const int s = static_cast<int>(state.range(0));
  for (auto _ : state) {
    double acc = 0;
    for (const Point& p : pts) acc += published(s, p).o.pi_M;
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pts.size()));
  state.SetLabel(kScenarioNames[s]);
}
BENCHMARK(BM_Published)->DenseRange(0, kScenarioCount - 1);

void BM_Derived(benchmark::State& state) {
  const auto& pts = tile();
  const int s = static_cast<int>(state.range(0));
  for (auto _ : state) {
    double acc = 0;
    for (const Point& p : pts) acc += derived(s, p).o.pi_SC;
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pts.size()));
  state.SetLabel(kScenarioNames[s]);
}
BENCHMARK(BM_Derived)->DenseRange(0, kScenarioCount - 1);

}  // namespace

BENCHMARK_MAIN();
