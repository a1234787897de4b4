// Designs against grids, and global sensitivity analyses against the solves they read (issue 14;
// docs/BENCHMARKS.md, "Designs and sensitivity indices"). Model Y (ye2025, published closed forms),
// four profit outputs, no output file for the solve rates:
//
//   Solves/grid          a 1000 x 1000 grid over (theta, t)
//   Solves/sobol         a scrambled Sobol' design of 10^6 points over the same (theta, t) box
//   Solves/sobol5        the same design over (theta, k, t, sigma, Gamma)
//   DesignGeneration     generating the 10^6 x 5 scrambled Sobol' points (done once, at spec load)
//   SaltelliAnalysis     a saltelli design (N = 2^16, k = 5: 458752 points) written to a cube, then
//                        two [[analysis]] blocks (100 bootstrap resamples, the default): analysis time and its
//                        ratio to the sweep's time
//
// Environment: EQSWEEP_BENCH_DIR (default $TMPDIR or /tmp), EQSWEEP_BENCH_THREADS (default 2).

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "engine/design.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"

namespace {

namespace fs = std::filesystem;
using namespace eqsweep;
using Clock = std::chrono::steady_clock;

int bench_threads() {
  const char* v = std::getenv("EQSWEEP_BENCH_THREADS");
  return v ? std::atoi(v) : 2;
}

fs::path bench_dir() {
  const char* d = std::getenv("EQSWEEP_BENCH_DIR");
  const char* t = std::getenv("TMPDIR");
  return fs::path(d ? d : t ? t : "/tmp");
}

const std::string kHead =
    "model = \"ye2025\"\nvariant = \"published\"\noutputs = [\"Y.pi_M\", \"N.pi_M\", \"Y.pi_R\", \"N.pi_R\"]\n";

std::string grid_spec() {
  return kHead +
         "[fixed]\nk = 0.2\nsigma = 0.7\nGamma = 0.1\n"
         "[[axis]]\nname = \"theta\"\nlinspace = [0.2, 0.8, 1000]\n"
         "[[axis]]\nname = \"t\"\nlinspace = [0.0, 0.4, 1000]\n";
}

std::string sobol_spec(bool five) {
  return kHead + (five ? "" : "[fixed]\nk = 0.2\nsigma = 0.7\nGamma = 0.1\n") +
         "[design]\nkind = \"sobol\"\npoints = 1000000\nseed = 1\n[design.parameters]\ntheta = [0.2, 0.8]\nt = [0.0, 0.4]\n" +
         (five ? "k = [0.05, 0.5]\nsigma = [0.1, 1.5]\nGamma = [-1.0, 1.0]\n" : "");
}

std::string saltelli_spec(bool analyses) {
  return kHead +
         "[design]\nkind = \"saltelli\"\npoints = 65536\nseed = 2025\n[design.parameters]\n"
         "theta = [0.2, 0.8]\nk = [0.05, 0.5]\nt = [0.0, 0.4]\nsigma = [0.1, 1.5]\nGamma = [-1.0, 1.0]\n" +
         (analyses ? "[[analysis]]\nmethod = \"sobol\"\nindicator = \"Y.pi_M\"\nminus = \"N.pi_M\"\n"
                     "[[analysis]]\nmethod = \"sobol\"\nindicator = \"N.pi_R\"\nminus = \"Y.pi_R\"\n"
                   : "");
}

void Solves(benchmark::State& state, const SweepSpec& spec) {
  RunOptions options;
  options.write_output = false;
  options.progress = ProgressMode::none;
  options.threads = bench_threads();
  for (auto _ : state) {
    const RunSummary r = run_sweep(spec, options);
    if (!r.ok()) {
      state.SkipWithError(r.summary().c_str());
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * spec.point_count()));
  state.counters["points"] = static_cast<double>(spec.point_count());
}

void DesignGeneration(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(sobol_unit(1000000, 5, true, 1));
  state.SetItemsProcessed(state.iterations() * 1000000);
}

// One iteration: the sweep alone into a cube, then the same spec with its analyses, resumed from
// that cube (all tiles copied), so the second run's extra time is the analyses'.
void SaltelliAnalysis(benchmark::State& state, const SweepSpec& plain, const SweepSpec& with) {
  const fs::path a = bench_dir() / "eqsweep_design_bench_a.h5";
  RunOptions options;
  options.progress = ProgressMode::none;
  options.threads = bench_threads();
  options.overwrite = true;
  double sweep_s = 0, analysis_s = 0;
  for (auto _ : state) {
    options.output_path = a.string();
    const auto t0 = Clock::now();
    const RunSummary s = run_sweep(plain, options);
    const auto t1 = Clock::now();
    // The same sweep with its analyses, from scratch: its extra time over the plain sweep is the
    // analyses' (reading the outputs back, the estimators and 100 bootstrap resamples each).
    const RunSummary w = run_sweep(with, options);
    const auto t2 = Clock::now();
    if (!s.ok() || !w.ok()) {
      state.SkipWithError((s.summary() + w.summary()).c_str());
      break;
    }
    const double ts = std::chrono::duration<double>(t1 - t0).count();
    const double tw = std::chrono::duration<double>(t2 - t1).count();
    sweep_s += ts;
    analysis_s += tw - ts;
    state.SetIterationTime(tw);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["sweep_s"] = sweep_s / n;
  state.counters["analysis_s"] = analysis_s / n;
  state.counters["analysis_over_sweep"] = analysis_s / sweep_s;
  state.counters["points"] = static_cast<double>(plain.point_count());
  std::error_code ec;
  fs::remove(a, ec);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("eqsweep_threads", std::to_string(bench_threads()));
  static const SweepSpec grid = parse_spec(grid_spec(), "grid.toml", builtin_models());
  static const SweepSpec sobol = parse_spec(sobol_spec(false), "sobol.toml", builtin_models());
  static const SweepSpec sobol5 = parse_spec(sobol_spec(true), "sobol5.toml", builtin_models());
  static const SweepSpec plain = parse_spec(saltelli_spec(false), "saltelli.toml", builtin_models());
  static const SweepSpec with = parse_spec(saltelli_spec(true), "saltelli.toml", builtin_models());
  benchmark::RegisterBenchmark("Solves/grid", Solves, std::cref(grid))->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("Solves/sobol", Solves, std::cref(sobol))->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("Solves/sobol5", Solves, std::cref(sobol5))->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("DesignGeneration", DesignGeneration)->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("SaltelliAnalysis", SaltelliAnalysis, std::cref(plain), std::cref(with))
      ->Unit(benchmark::kMillisecond)
      ->UseManualTime()
      ->Iterations(3);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
