// Benchmarks of the analyses after a sweep (docs/thresholds.md): thresholds located by new
// solves and region maps refined by quadtree.
//
//   SolvesPerCrossing/{real,categorical}   extra solves per located crossing at tolerance 1e-8
//                                          (target for a real indicator: <= 40), on the
//                                          bench-local "wave" model (sin(x) - c; floor(4x))
//   AnalysisVsSweep/wave                   a 2-D sweep of the wave model (c x x) against the
//                                          threshold map along x and a region map (depth 6) of it
//   AnalysisVsSweep/ye2025_fig1            sweeps/ye2025/fig1_phi_t.toml with the built-in model Y:
//                                          the sweep, its categorical threshold along phi and its
//                                          region map, each timed alone
//
// AnalysisVsSweep times, in every iteration, run_sweep writing the cube (the spec without its
// analyses, so that the sweep alone is measured), then find_thresholds and refine_region_map on
// the grid read back from that cube, as run_sweep does after the tiles. Counters:
//   sweep_ms, threshold_ms, region_map_ms        medians are over iterations
//   threshold_over_sweep, region_map_over_sweep  analysis time / sweep time
//   threshold_solves_per_crossing, region_map_solves, grid_points
// All wall-clock time with the threads given (default 2; EQSWEEP_BENCH_THREADS).

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "engine/cube_file.hpp"
#include "engine/region_map.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/thresholds.hpp"
#include "models/registry.hpp"

namespace {

namespace fs = std::filesystem;
using namespace eqsweep;
using Clock = std::chrono::steady_clock;

enum WaveParam { kXParam = 0, kC };
enum WaveOutput { kWave = 0, kLevel };

// sin(x) - c crosses zero at asin(c) and pi - asin(c); floor(4x) steps at every quarter.
class WaveSolver final : public PointSolver {
 public:
  void solve_batch(const BatchView& b) override {
    for (std::size_t i = 0; i < b.size; ++i) {
      const double x = b.params[kXParam * b.stride + i], c = b.params[kC * b.stride + i];
      b.outputs[kWave * b.stride + i] = std::sin(x) - c;
      b.outputs[kLevel * b.stride + i] = std::floor(4 * x);
      b.results[i] = {PointStatus::solved, 0, kNaN};
    }
  }
};

class WaveModel final : public Model {
 public:
  WaveModel()
      : Model({.name = "wave",
               .description = "sin(x) - c and floor(4x)",
               .source = "bench/thresholds_bench.cpp",
               .parameters = {{"x", "x", "position", "1", Domain::real()}, {"c", "c", "offset", "1", Domain::real()}},
               .outputs = {{"wave", "sin(x) - c", "1"}, {"level", "floor(4x)", "1"}},
               .variants = {{"exact", "closed form"}}}) {}
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override { return std::make_unique<WaveSolver>(); }
};

const ModelCatalog& bench_catalog() {
  static const WaveModel wave;
  static const ModelCatalog catalog = [] {
    ModelCatalog c;
    for (const Model* m : builtin_models().all()) c.add(*m);
    c.add(wave);
    return c;
  }();
  return catalog;
}

int bench_threads() {
  const char* v = std::getenv("EQSWEEP_BENCH_THREADS");
  return v && *v ? std::max(1, std::atoi(v)) : 2;
}

fs::path bench_dir() {
  static const fs::path dir = [] {
    const char* d = std::getenv("EQSWEEP_BENCH_DIR");
    fs::path base = d && *d ? fs::path(d) : fs::temp_directory_path();
    fs::path p = base / fmt::format("eqsweep-thresholds-bench-{}", ::getpid());
    fs::create_directories(p);
    return p;
  }();
  return dir;
}

// The wave sweep: c in [0.05, 0.95] (every line crosses zero twice in x in [0, 3]) x x.
std::string wave_spec(std::size_t c_points, std::size_t x_points, const std::string& analyses) {
  return fmt::format(R"(model = "wave"
[[axis]]
name = "c"
linspace = [0.05, 0.95, {}]
[[axis]]
name = "x"
linspace = [0.0, 3.0, {}]
{})",
                     c_points, x_points, analyses);
}

// The grid the sweep would store, for indicator - minus (or the value of a categorical one).
std::vector<double> grid_of(const SweepSpec& spec, const std::string& indicator, const std::string& minus) {
  IndicatorProbe probe(spec, indicator, minus);
  const auto shape = spec.shape();
  std::vector<double> grid(spec.point_count());
  std::vector<double> params = spec.fixed;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    std::size_t rest = k;
    for (std::size_t d = shape.size(); d-- > 0;) {
      params[static_cast<std::size_t>(spec.axes[d].parameter)] = spec.axes[d].values[rest % shape[d]];
      rest /= shape[d];
    }
    grid[k] = probe(params.data());
  }
  return grid;
}

void SolvesPerCrossing(benchmark::State& state, bool categorical) {
  const std::string block = categorical ? "[[threshold]]\nindicator = \"level\"\nkind = \"categorical\"\naxis = \"x\"\n"
                                          "tolerance = 1e-8\nmax_crossings = 16\n"
                                        : "[[threshold]]\nindicator = \"wave\"\naxis = \"x\"\ntolerance = 1e-8\n";
  const SweepSpec spec = parse_spec(wave_spec(64, 31, block), "bench.toml", bench_catalog());
  const ThresholdSpec& th = spec.thresholds.front();
  const std::vector<double> grid = grid_of(spec, th.indicator, th.minus);
  ThresholdResult r;
  for (auto _ : state) {
    r = find_thresholds(spec, th, grid, bench_threads());
    benchmark::DoNotOptimize(r.total_solves);
  }
  double worst = 0;
  for (std::size_t l = 0; l < r.lines; ++l)
    if (r.counts[l] > 0) worst = std::max(worst, static_cast<double>(r.solves[l]) / r.counts[l]);
  state.counters["crossings"] = static_cast<double>(r.total_crossings);
  state.counters["solves_per_crossing"] = static_cast<double>(r.total_solves) / static_cast<double>(r.total_crossings);
  state.counters["worst_line_solves_per_crossing"] = worst;
  state.counters["failed_refinements"] = static_cast<double>(r.failed_refinements);
  state.counters["crossings_per_s"] =
      benchmark::Counter(static_cast<double>(r.total_crossings), benchmark::Counter::kIsIterationInvariantRate);
}

// One iteration: the sweep alone (written), then each analysis alone on the grid read back.
void AnalysisVsSweep(benchmark::State& state, const SweepSpec& full) {
  if (full.thresholds.empty() || full.region_maps.empty()) {
    state.SkipWithError("the spec needs a [[threshold]] and a [[region_map]]");
    return;
  }
  SweepSpec sweep_only = full;
  sweep_only.thresholds.clear();
  sweep_only.region_maps.clear();
  const fs::path path = bench_dir() / fmt::format("{}.h5", full.model->name());
  RunOptions options;
  options.output_path = path.string();
  options.overwrite = true;
  options.progress = ProgressMode::none;
  options.threads = bench_threads();
  const ThresholdSpec& th = full.thresholds.front();
  const RegionMapSpec& rm = full.region_maps.front();
  std::vector<double> sweep_s, threshold_s, map_s;
  ThresholdResult tr;
  RegionMapResult mr;
  for (auto _ : state) {
    std::error_code ec;
    fs::remove(path, ec);
    const auto t0 = Clock::now();
    const RunSummary summary = run_sweep(sweep_only, options);
    const auto t1 = Clock::now();
    if (!summary.ok()) {
      state.SkipWithError(("run_sweep failed: " + summary.summary()).c_str());
      break;
    }
    std::vector<double> grid, map_grid, status;
    {
      CubeReader cube(path.string());
      grid = cube.read_f64(th.indicator);
      if (!th.minus.empty()) {
        const auto minus = cube.read_f64(th.minus);
        for (std::size_t k = 0; k < grid.size(); ++k) grid[k] -= minus[k];
      }
      status = cube.read_f64("status");
      map_grid = rm.indicator == "status" ? status : cube.read_f64(rm.indicator);
      if (!rm.minus.empty()) {
        const auto minus = cube.read_f64(rm.minus);
        for (std::size_t k = 0; k < map_grid.size(); ++k) map_grid[k] -= minus[k];
      }
    }
    const auto t2 = Clock::now();
    tr = find_thresholds(full, th, grid, options.threads);
    const auto t3 = Clock::now();
    mr = refine_region_map(full, rm, map_grid, status, options.threads);
    const auto t4 = Clock::now();
    sweep_s.push_back(std::chrono::duration<double>(t1 - t0).count());
    threshold_s.push_back(std::chrono::duration<double>(t3 - t2).count());
    map_s.push_back(std::chrono::duration<double>(t4 - t3).count());
    state.SetIterationTime(std::chrono::duration<double>((t1 - t0) + (t4 - t2)).count());
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  const double sweep = median(sweep_s), threshold = median(threshold_s), map = median(map_s);
  state.counters["grid_points"] = static_cast<double>(full.point_count());
  state.counters["sweep_ms"] = sweep * 1e3;
  state.counters["threshold_ms"] = threshold * 1e3;
  state.counters["region_map_ms"] = map * 1e3;
  state.counters["threshold_over_sweep"] = threshold / sweep;
  state.counters["region_map_over_sweep"] = map / sweep;
  state.counters["threshold_crossings"] = static_cast<double>(tr.total_crossings);
  state.counters["threshold_solves"] = static_cast<double>(tr.total_solves);
  state.counters["threshold_solves_per_crossing"] =
      tr.total_crossings ? static_cast<double>(tr.total_solves) / static_cast<double>(tr.total_crossings) : 0.0;
  state.counters["region_map_boundary_cells"] = static_cast<double>(mr.total_grid_cells);
  state.counters["region_map_solves"] = static_cast<double>(mr.total_solves);
  std::error_code ec;
  fs::remove(path, ec);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("eqsweep_threads", std::to_string(bench_threads()));
  benchmark::RegisterBenchmark("SolvesPerCrossing/real", SolvesPerCrossing, false)->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("SolvesPerCrossing/categorical", SolvesPerCrossing, true)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();

  static SweepSpec wave, fig1;
  wave = parse_spec(wave_spec(200, 400,
                              "[[threshold]]\nindicator = \"wave\"\naxis = \"x\"\n"
                              "[[region_map]]\nindicator = \"wave\"\naxes = [\"x\", \"c\"]\ndepth = 6\n"),
                    "bench.toml", bench_catalog());
  benchmark::RegisterBenchmark("AnalysisVsSweep/wave", AnalysisVsSweep, std::cref(wave))
      ->Unit(benchmark::kMillisecond)
      ->UseManualTime()
      ->Iterations(5);
  try {
    fig1 = load_spec(std::string(EQSWEEP_SOURCE_DIR) + "/sweeps/ye2025/fig1_phi_t.toml", bench_catalog());
    benchmark::RegisterBenchmark("AnalysisVsSweep/ye2025_fig1", AnalysisVsSweep, std::cref(fig1))
        ->Unit(benchmark::kMillisecond)
        ->UseManualTime()
        ->Iterations(3);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "thresholds_bench: skipping ye2025_fig1: %s\n", e.what());
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(bench_dir(), ec);
  return 0;
}
