// Model M (Ma, Nault & Tu; issue 4): equilibrium solves per second on the Example 3 Scenario 1
// network (sweeps/ma_sue/networks/example3_s1.toml, two chains with one option each).
//
//   FastSolve/warm:{0,1}/verify:{0,1,2,3}/decentral:{0,1}
//                                       the structured Newton solver along a sigma line of 256
//                                       points: cold (from cold_start) or warm (from the
//                                       neighbouring point's solution); verify 0: none,
//                                       1: certificate (the default level: structural where its
//                                       hypotheses hold, here every player), 2: audit (the
//                                       first session's deviation ladder), 3: certificate with
//                                       the structural path off (Hessian + far-start probes for
//                                       every player, the previous default); centralized or
//                                       decentralized game
//   FastSolve/.../threads:2             warm, certificate, on 2 threads (each solving the line;
//                                       items_per_second is the total, UseRealTime)
//   ProjectionPrinted                   the paper's modified projection method at its printed
//                                       rho = 1e-3, epsilon = 1e-4 (corrected multiplier sign,
//                                       phi = 0.1), cold; counters: solver_iterations, final_error
//                                       (its own ||X^k - X^{k-1}||), kkt_residual of its stop
//   DecentralizedSideBySide/solver:{0,1}
//                                       the decentralized game (G1) on the same network, cold:
//                                       the fast solver (0) and the modified projection method
//                                       (1) at rho = 1e-3, phi = 0.1, epsilon = 1e-10; counters:
//                                       solver_iterations, passed and kkt_residual of the answer
//   LatentClass/latent:{0,1}/decentral:{0,1}
//                                       example3_s2 (SC1 two options, median boundary), cold
//                                       solves along sigma 0.08..0.16 (64 points): mass-weighted
//                                       MNL demand with the Newton solver (0) or latent classes
//                                       with Powell's hybrid method on the utilities (1); counter
//                                       failed: solves that did not converge or verify (each
//                                       verified after the timed loop)
//   Sweep/threads:{1,2}                 run_sweep of a 100 x 100 sigma x a1.a grid, every point
//                                       verified (certificate), no output written (UseRealTime)
//   MillionSweep/decentral:{0,1}/write:{0,1}
//                                       run_sweep of sweeps/ma_sue/example3_s1_million.toml
//                                       (1000 x 1000 sigma x a1.a, every point verified) on
//                                       2 threads, once, wall time; write 1: into an HDF5 file
//                                       with the spec's defaults (deflate), 0: compute only
//
// Every benchmark reports items_per_second (solves or points per second). The target ratios
// (docs/model-m.md, "Speed") are quotients of items_per_second from one run:
//
//   build-m/bench/ma_sue_bench --benchmark_out=ma_sue.json --benchmark_out_format=json
//   python3 models/ma_sue/tools/bench_ratios.py ma_sue.json

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "models/ma_sue/ma_sue_model.hpp"

namespace {

using namespace eqsweep;
using namespace eqsweep::ma_sue;

const std::string kSweepDir = std::string(EQSWEEP_SOURCE_DIR) + "/sweeps/ma_sue";

OptionValues default_options(bool decentral = false) {
  MaSueModel base;
  OptionValues o;
  for (const auto& info : base.options()) o[info.name] = info.default_value;
  o["network"] = kSweepDir + "/networks/example3_s1.toml";
  if (decentral) o["equilibrium"] = "decentralized";
  return o;
}

// The network's instances along a sigma line 0.08..0.16 (the Fig. 7 range).
std::vector<Instance> make_sigma_line(bool decentral) {
  MaSueModel base;
  auto model = std::static_pointer_cast<const MaSueModel>(base.configure(default_options(decentral), "."));
  std::vector<double> params;
  for (const auto& p : model->parameters()) params.push_back(p.default_value);
  const int sigma = model->parameter_index("sigma");
  std::vector<Instance> v(256);
  for (std::size_t i = 0; i < v.size(); ++i) {
    params[sigma] = 0.08 + 0.08 * static_cast<double>(i) / static_cast<double>(v.size() - 1);
    model->instance_at(params.data(), 1, v[i]);
  }
  return v;
}

const std::vector<Instance>& sigma_line(bool decentral = false) {
  static const std::vector<Instance> central = make_sigma_line(false), dec = make_sigma_line(true);
  return decentral ? dec : central;
}

void BM_FastSolve(benchmark::State& state) {
  const bool warm = state.range(0) != 0;
  const int check = static_cast<int>(state.range(1));
  const auto& line = sigma_line(state.range(2) != 0);
  VerifyOptions vo;
  vo.level = check == 2 ? VerifyLevel::audit : VerifyLevel::certificate;
  vo.structural = check != 3;
  auto solver = make_fast_solver({});
  std::int64_t newton = 0, failed = 0;
  for (auto _ : state) {
    Strategy s;
    cold_start(line[0], s);
    for (const Instance& in : line) {
      if (!warm) cold_start(in, s);
      const SolveSummary sum = solver->solve(in, s);
      newton += sum.iterations;
      bool ok = sum.converged;
      if (check) ok = ok && verify(in, s, vo).passed;
      failed += !ok;
      benchmark::ClobberMemory();  // observed: with DoNotOptimize(s.p[0]) here the warm solves took 5 Newton steps, not 2
    }
  }
  const auto solves = static_cast<double>(state.iterations() * line.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(solves));
  state.counters["iterations_per_solve"] = static_cast<double>(newton) / solves;
  state.counters["failed"] = static_cast<double>(failed);
}
BENCHMARK(BM_FastSolve)->ArgNames({"warm", "verify", "decentral"})->ArgsProduct({{0, 1}, {0, 1, 2, 3}, {0, 1}});
BENCHMARK(BM_FastSolve)
    ->ArgNames({"warm", "verify", "decentral"})
    ->Args({1, 1, 0})
    ->Args({1, 1, 1})
    ->Threads(2)
    ->UseRealTime();

// Cold solves of `in` timed by the benchmark loop; `s` keeps the last answer for verification.
SolveSummary timed_cold_solves(benchmark::State& state, EquilibriumSolver& solver, const Instance& in, Strategy& s) {
  SolveSummary sum;
  for (auto _ : state) {
    cold_start(in, s);
    sum = solver.solve(in, s);
    // A copy: DoNotOptimize(s.p[0]) (benchmark 1.7.1, "+r" on a double) was observed to overwrite
    // s.p[0] with garbage, so the answer verified after the loop was not the solver's.
    double p0 = s.p[0];
    benchmark::DoNotOptimize(p0);
  }
  return sum;
}

void BM_ProjectionPrinted(benchmark::State& state) {
  const Instance& in = sigma_line()[0];  // sigma = 0.08: Table 6, Scenario 1
  SolverOptions o;
  o.rho = 1e-3, o.epsilon = 1e-4, o.phi = 0.1, o.max_iterations = 2000000;
  auto solver = make_projection_solver(o);
  Strategy s;
  const SolveSummary sum = timed_cold_solves(state, *solver, in, s);
  state.SetItemsProcessed(state.iterations());
  state.counters["solver_iterations"] = sum.iterations;
  state.counters["final_error"] = sum.final_error;
  state.counters["converged"] = sum.converged;
  const Verification v = verify(in, s);
  state.counters["kkt_residual"] = v.kkt_residual;
  state.counters["deviation_gain"] = v.deviation_gain;
}
BENCHMARK(BM_ProjectionPrinted)->Unit(benchmark::kMillisecond);

// The decentralized game (G1) side by side on Table 6 Scenario 1 (sigma = 0.08), both cold:
// solver 0 the fast solver, 1 the modified projection method at the settings that reach a
// verified equilibrium (rho = 1e-3, phi = 0.1, epsilon = 1e-10; docs/model-m.md, "The paper's
// method for (G1)"). Solves only are timed; the last answer is verified after the loop
// (counters passed, kkt_residual).
void BM_DecentralizedSideBySide(benchmark::State& state) {
  const Instance& in = sigma_line(true)[0];
  SolverOptions o;
  o.rho = 1e-3, o.epsilon = 1e-10, o.phi = 0.1, o.max_iterations = 3000000;
  auto solver = state.range(0) ? make_projection_solver(o) : make_fast_solver({});
  Strategy s;
  const SolveSummary sum = timed_cold_solves(state, *solver, in, s);
  state.SetItemsProcessed(state.iterations());
  state.counters["solver_iterations"] = sum.iterations;
  state.counters["converged"] = sum.converged;
  const Verification v = verify(in, s);
  state.counters["passed"] = v.passed;
  state.counters["kkt_residual"] = v.kkt_residual;
}
BENCHMARK(BM_DecentralizedSideBySide)->ArgName("solver")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// Demand readings side by side on a two-option chain (latent_class.hpp): only the solves are
// timed; every answer of the last pass is verified afterwards (the latent reading by the audit).
void BM_LatentClass(benchmark::State& state) {
  OptionValues o = default_options(state.range(1) != 0);
  o["network"] = kSweepDir + "/networks/example3_s2.toml";
  o["demand"] = state.range(0) ? "latent_class" : "mass_weighted";
  MaSueModel base;
  auto model = std::static_pointer_cast<const MaSueModel>(base.configure(o, "."));
  std::vector<double> params;
  for (const auto& p : model->parameters()) params.push_back(p.default_value);
  const int sigma = model->parameter_index("sigma");
  std::vector<Instance> line(64);
  for (std::size_t i = 0; i < line.size(); ++i) {
    params[sigma] = 0.08 + 0.08 * static_cast<double>(i) / static_cast<double>(line.size() - 1);
    model->instance_at(params.data(), 1, line[i]);
  }
  auto solver = make_fast_solver({});
  std::vector<Strategy> answers(line.size());
  std::vector<bool> converged(line.size());
  for (auto _ : state)
    for (std::size_t i = 0; i < line.size(); ++i) {
      cold_start(line[i], answers[i]);
      converged[i] = solver->solve(line[i], answers[i]).converged;
      benchmark::ClobberMemory();
    }
  std::int64_t failed = 0;
  for (std::size_t i = 0; i < line.size(); ++i) failed += !(converged[i] && verify(line[i], answers[i]).passed);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
  state.counters["failed"] = static_cast<double>(failed);
}
BENCHMARK(BM_LatentClass)->ArgNames({"latent", "decentral"})->ArgsProduct({{0, 1}, {0, 1}});

constexpr int kSweepSide = 100;

void BM_Sweep(benchmark::State& state) {
  const std::string text = fmt::format(R"(model = "ma_sue"
variant = "sue"
continuation = "sigma"
[options]
network = "networks/example3_s1.toml"
[[axis]]
name = "a1.a"
linspace = [2.0, 6.0, {0}]
[[axis]]
name = "sigma"
linspace = [0.08, 0.16, {0}]
[run]
chunk = [10, {0}]   # 10 tiles of 10 sigma lines, so that 2 threads have work to share
)",
                                       kSweepSide);
  MaSueModel unconfigured;
  ModelCatalog catalog;
  catalog.add(unconfigured);
  const SweepSpec spec = parse_spec(text, kSweepDir + "/bench_sweep.toml", catalog);
  RunOptions options;
  options.write_output = false;
  options.progress = ProgressMode::none;
  options.threads = static_cast<int>(state.range(0));
  std::size_t solved = 0;
  for (auto _ : state) {
    const RunSummary summary = run_sweep(spec, options);
    if (!summary.ok()) {
      state.SkipWithError(("run_sweep failed: " + summary.summary()).c_str());
      return;
    }
    solved = summary.status_counts[0];
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * spec.point_count()));
  state.counters["solved_fraction"] = static_cast<double>(solved) / static_cast<double>(spec.point_count());
}
BENCHMARK(BM_Sweep)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_MillionSweep(benchmark::State& state) {
  const bool decentral = state.range(0) != 0, write = state.range(1) != 0;
  std::ifstream f(kSweepDir + "/example3_s1_million.toml");
  std::stringstream text;
  text << f.rdbuf();
  std::string spec_text = text.str();
  if (decentral) {
    const std::string key = "[options]\n";
    spec_text.insert(spec_text.find(key) + key.size(), "equilibrium = \"decentralized\"\n");
  }
  MaSueModel unconfigured;
  ModelCatalog catalog;
  catalog.add(unconfigured);
  const SweepSpec spec = parse_spec(spec_text, kSweepDir + "/example3_s1_million.toml", catalog);
  const std::string path = (std::filesystem::temp_directory_path() / "ma_sue_bench_million.h5").string();
  RunOptions options;
  options.write_output = write;
  options.output_path = path;
  options.overwrite = true;
  options.progress = ProgressMode::none;
  options.threads = 2;
  std::size_t solved = 0;
  for (auto _ : state) {
    const RunSummary summary = run_sweep(spec, options);
    if (!summary.ok()) {
      state.SkipWithError(("run_sweep failed: " + summary.summary()).c_str());
      return;
    }
    solved = summary.status_counts[0];
  }
  std::filesystem::remove(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * spec.point_count()));
  state.counters["solved_fraction"] = static_cast<double>(solved) / static_cast<double>(spec.point_count());
}
BENCHMARK(BM_MillionSweep)
    ->ArgNames({"decentral", "write"})
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
