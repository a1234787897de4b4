// Benchmarks of the engine foundation on the N+Y sweep of model Y (Ye, Wang & Zhao 2025): the
// published closed forms of scenarios N and Y, 20 outputs per point.
//
// The engine benchmarks sweep the bench-local model "bench_ny" below: the foundation's
// PublishedSolver (scenarios N and Y from models/ye2025/published_basic.hpp, as committed in the
// engine-foundation commit), so that BareLoop and the engine do exactly the same per-point work
// however the built-in ye2025 model grows. YeModelComputeOnly tracks the built-in model as it is.
//
//   BareLoop, BareLoopFullArrays, BareLoopPerPointParams
//                                              the model's per-point work in a plain loop: the floor
//   EngineComputeOnly/threads:{1,2}            run_sweep without output (tiles, gather, solve, scatter)
//   EngineEndToEnd/compression:{none,blosc,deflate}/threads:{1,2}
//                                              run_sweep writing the HDF5 cube
//                                              (durability = "none": no syncs, like the raw write)
//   RawWriteBandwidth                          write() of the uncompressed cube's bytes, chunk by chunk
//   EngineEndToEndDurable/compression:{none,blosc}/threads:2
//                                              the same with the run's default durability ("commit")
//   RawWriteBandwidthSynced                    RawWriteBandwidth with one fdatasync at the end
//   AvailableCores/at:{start,end}              cores two spinning threads get (other jobs' share)
//   YeModelComputeOnly/threads:{1,2}           informational: the built-in ye2025 model as the tree has
//                                              it, N.* and Y.* selected, on a small grid
//
// Every benchmark sweeps the same grid and reports items_per_second (points/s) and, where data is
// written, bytes_per_second counted as the bytes of the *uncompressed* cube, so the end-to-end
// runs compare directly with the raw write bandwidth. All use wall-clock time (UseRealTime), as
// the engine's work is spread over TBB workers and a writer thread. scripts/bench runs this and
// prints the target ratios; docs/BENCHMARKS.md explains them.
//
// Environment:
//   EQSWEEP_BENCH_DIR       directory for the files written (default $TMPDIR or /tmp); a fresh
//                           subdirectory is created there and removed at exit
//   EQSWEEP_BENCH_THETA     points along theta (default 1024: 64 tiles of 16 x 1000, no padding)
//   EQSWEEP_BENCH_T         points along t (default 1000)
//   EQSWEEP_BENCH_YE_THETA  points along theta for YeModelComputeOnly (default 32, i.e. 2 tiles)
//   EQSWEEP_BENCH_CHUNK     run.chunk as TOML, e.g. "[4, 1000]" (default: the engine's tiles)

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"
#include "models/registry.hpp"
#include "models/ye2025/published_basic.hpp"
#include "models/ye2025/scenario_outputs.hpp"

namespace {

namespace fs = std::filesystem;
using namespace eqsweep;

// ---------------------------------------------------------------------------------------------
// The foundation's N+Y model: parameters theta, k, t, sigma, Gamma; outputs N.* then Y.* (10 each).

bool finite_outputs(const ye2025::ScenarioOutputs& s) {
  return std::isfinite(s.p_A + s.p_B + s.q_A + s.q_B + s.w_A + s.w_B + s.pi_R + s.pi_M + s.pi_SC + s.c_B);
}

// rows[q]: where output q of the scenario goes (one SoA row per output).
inline void store(const ye2025::ScenarioOutputs& s, bool ok, double* const* rows, std::size_t i) {
  const auto v = ye2025::quantity_values(s);
  for (int q = 0; q < ye2025::kScenarioOutputCount; ++q) rows[q][i] = ok ? v[q] : kNaN;
}

enum BenchParam : int { kTheta = 0, kK, kT, kSigma, kGamma, kBenchParamCount };
constexpr int kBenchOutputs = 2 * ye2025::kScenarioOutputCount;

// Closed forms, one pass over the batch (PublishedSolver of the engine-foundation commit).
class BenchNYSolver final : public PointSolver {
 public:
  void solve_batch(const BatchView& b) override {
    const std::size_t n = b.size, st = b.stride;
    const double* theta = b.params + kTheta * st;
    const double* k = b.params + kK * st;
    const double* t = b.params + kT * st;
    const double* sigma = b.params + kSigma * st;
    const double* Gamma = b.params + kGamma * st;
    double* out_N[ye2025::kScenarioOutputCount];
    double* out_Y[ye2025::kScenarioOutputCount];
    for (std::size_t q = 0; q < std::size(out_N); ++q) {
      out_N[q] = b.row(q);
      out_Y[q] = b.row(std::size(out_N) + q);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const ye2025::Params p{theta[i], k[i], t[i], sigma[i], Gamma[i]};
      const ye2025::ScenarioOutputs N = ye2025::published_N(p);
      const ye2025::ScenarioOutputs Y = ye2025::published_Y(p);
      const bool in_N = ye2025::in_two_product_region(N), in_Y = ye2025::in_two_product_region(Y);
      const bool ok_N = in_N && finite_outputs(N), ok_Y = in_Y && finite_outputs(Y);
      store(N, ok_N, out_N, i);
      store(Y, ok_Y, out_Y, i);
      b.results[i] = {!(in_N && in_Y) ? PointStatus::infeasible
                      : ok_N && ok_Y  ? PointStatus::solved
                                      : PointStatus::failed,
                      0, kNaN};
    }
  }
  bool writes_output_rows() const override { return true; }
};

ModelDescription bench_ny_description() {
  ModelDescription d{.name = "bench_ny",
                     .description = "model Y, scenarios N and Y, published closed forms",
                     .source = "Ye, Wang & Zhao (2025); bench/sweep_bench.cpp",
                     .variants = {{"published", "closed forms of scenarios N and Y as printed"}},
                     .closed_form = true};
  const char* names[kBenchParamCount] = {"theta", "k", "t", "sigma", "Gamma"};
  const Domain domains[kBenchParamCount] = {Domain::open(0, 1), Domain::open(0, 1), Domain::at_least(0),
                                            Domain::at_least(0), Domain::real()};
  for (int p = 0; p < kBenchParamCount; ++p) d.parameters.push_back({names[p], names[p], names[p], "1", domains[p]});
  for (const char* scenario : {"N", "Y"})
    for (const auto& q : ye2025::kQuantities)
      d.outputs.push_back({fmt::format("{}.{}", scenario, q.name), std::string(q.description), "1"});
  return d;
}

class BenchNYModel final : public Model {
 public:
  BenchNYModel() : Model(bench_ny_description()) {}
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override { return std::make_unique<BenchNYSolver>(); }
};

// The built-in models plus bench_ny.
const ModelCatalog& bench_catalog() {
  static const BenchNYModel bench_ny;
  static const ModelCatalog catalog = [] {
    ModelCatalog c;
    for (const Model* m : builtin_models().all()) c.add(*m);
    c.add(bench_ny);
    return c;
  }();
  return catalog;
}

struct Config {
  std::size_t theta_points = 1024;
  std::size_t t_points = 1000;
  std::size_t ye_theta_points = 32;
  std::string chunk;  // run.chunk as TOML, e.g. "[4, 1000]"; empty: the engine's default tiles
  fs::path dir;
};
Config config;

std::size_t env_size(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (*end != '\0' || n < 2) throw std::invalid_argument(fmt::format("{} must be an integer >= 2, got '{}'", name, v));
  return static_cast<std::size_t>(n);
}

// Thread counts of the scaling benchmarks: EQSWEEP_BENCH_THREADS="1,2,4,8,16" on a larger machine;
// 1 and 2 by default (the machines CI and the docs' figures run on).
std::vector<int> env_threads() {
  const char* v = std::getenv("EQSWEEP_BENCH_THREADS");
  if (!v || !*v) return {1, 2};
  std::vector<int> counts;
  for (const char* p = v; *p;) {
    char* end = nullptr;
    const long n = std::strtol(p, &end, 10);
    if (end == p || n < 1 || n > 4096 || (*end != ',' && *end != '\0'))
      throw std::invalid_argument(fmt::format("EQSWEEP_BENCH_THREADS must be a comma-separated list of integers in [1, 4096], got '{}'", v));
    counts.push_back(static_cast<int>(n));
    p = *end == ',' ? end + 1 : end;
  }
  return counts;
}

// The sweep of sweeps/demo.toml (scenarios N and Y, all their outputs, continuation along t) on a
// larger grid.
SweepSpec make_spec(Compression compression, const char* model = "bench_ny", std::size_t theta_points = 0,
                    const char* durability = "none") {
  const std::string text = fmt::format(R"(model = "{}"
variant = "published"
outputs = ["N.*", "Y.*"]
continuation = "t"

[fixed]
k = 0.5
sigma = 0.5
Gamma = 0.2

[[axis]]
name = "theta"
linspace = [0.02, 0.98, {}]

[[axis]]
name = "t"
linspace = [0.0, 1.0, {}]

[run]
compression = "{}"
durability = "{}"
{}
)",
                                       model, theta_points ? theta_points : config.theta_points, config.t_points,
                                       compression_name(compression), durability,
                                       config.chunk.empty() ? "" : "chunk = " + config.chunk);
  return parse_spec(text, "bench.toml", bench_catalog());
}

// Bytes the uncompressed cube holds: every cell of every tile (padding included) of every
// variable, i.e. points x (20 x 8 + 1 + 4 + 8) when the tiles divide the grid.
struct CubeSize {
  std::size_t points = 0, tiles = 0, cells_per_tile = 0;
  std::vector<std::size_t> chunk_bytes;  // per variable: outputs, status, iterations, residual
  std::size_t bytes() const {
    std::size_t per_tile = 0;
    for (auto b : chunk_bytes) per_tile += b;
    return per_tile * tiles;
  }
};

CubeSize cube_size(const SweepSpec& spec) {
  const TileGrid grid(spec.shape(), spec.chunk);
  CubeSize s;
  s.points = grid.point_count();
  s.tiles = grid.tile_count();
  s.cells_per_tile = grid.cells_per_tile();
  s.chunk_bytes.assign(spec.outputs.size(), s.cells_per_tile * sizeof(double));
  s.chunk_bytes.push_back(s.cells_per_tile * sizeof(std::uint8_t));
  s.chunk_bytes.push_back(s.cells_per_tile * sizeof(std::int32_t));
  s.chunk_bytes.push_back(s.cells_per_tile * sizeof(double));
  return s;
}

// CPU time of the whole process (every thread) against wall time, over the timed regions only:
// cpu_util ~ threads when the run got its cores, less when other jobs took them or threads waited.
class CpuMeter {
 public:
  void start() {
    cpu0_ = process_cpu_seconds();
    wall0_ = std::chrono::steady_clock::now();
  }
  void stop() {
    cpu_ += process_cpu_seconds() - cpu0_;
    wall_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0_).count();
  }
  void report(benchmark::State& state, std::size_t points) const {
    if (wall_ <= 0 || state.iterations() == 0) return;
    state.counters["cpu_util"] = cpu_ / wall_;
    state.counters["cpu_ns_per_point"] =
        cpu_ * 1e9 / (static_cast<double>(state.iterations()) * static_cast<double>(points));
  }

 private:
  static double process_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  }
  double cpu0_ = 0, cpu_ = 0, wall_ = 0;
  std::chrono::steady_clock::time_point wall0_;
};

double load_average_1min() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

void set_rates(benchmark::State& state, const CubeSize& size, const CpuMeter& cpu, double load_at_start) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * size.points));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size.bytes()));
  state.counters["points"] = static_cast<double>(size.points);
  cpu.report(state, size.points);
  state.counters["load_1min"] = load_at_start;  // other jobs on the machine when this started
}

// ---------------------------------------------------------------------------------------------
// The floor: what BenchNYSolver::solve_batch (the foundation's PublishedSolver) does per point,
// written as the loop a user would write by hand: for every point of the grid, published_N and
// published_Y, the feasibility checks, the 20 outputs and the status stored in SoA arrays. No
// tiles, no gather/scatter, no threads, no allocation.
//
//   BareLoop            the arrays hold one row of the grid (all t at one theta) and are reused
//                       row after row: cache-resident like the engine's tile buffers. This is the
//                       floor the engine-overhead target is measured against.
//   BareLoopFullArrays  the arrays hold the whole grid (164 MB for 1024 x 1000 points): the same
//                       arithmetic plus the DRAM write traffic of keeping every result, which the
//                       engine's compute-only path does not pay. Informational.
//   BareLoopPerPointParams
//                       BareLoop reading every parameter of a point from a row array, as a model's
//                       solve_batch reads the engine's gathered parameters. BareLoop's k, sigma and
//                       Gamma are constants and theta is fixed along the row, so the compiler may
//                       hoist the terms that depend on them (1/((1-theta)theta), ...) out of the
//                       loop, which a model solving a batch of per-point values cannot. Informational:
//                       this / BareLoop is what that folding is worth (1.01 by CPU time, BENCHMARKS.md).

// per_point_params: the parameters come from row arrays filled once per row (the engine's gather)
// instead of loop-invariant scalars.
template <bool per_point_params = false>
void bare_loop(benchmark::State& state, bool full_arrays) {
  const SweepSpec spec = make_spec(Compression::none);
  const CubeSize size = cube_size(spec);
  const auto& theta = spec.axes[0].values;
  const auto& t = spec.axes[1].values;
  const double k = spec.fixed[kK], sigma = spec.fixed[kSigma], Gamma = spec.fixed[kGamma];
  const std::size_t n = full_arrays ? theta.size() * t.size() : t.size();  // points the arrays hold
  constexpr std::size_t kOut = ye2025::kScenarioOutputCount;
  std::vector<double> outputs(2 * kOut * n, 0.0);  // SoA: output q of point i at q * n + i
  std::vector<std::uint8_t> status(n, 0);
  double* out_N[kOut];
  double* out_Y[kOut];
  for (std::size_t q = 0; q < kOut; ++q) {
    out_N[q] = outputs.data() + q * n;
    out_Y[q] = outputs.data() + (kOut + q) * n;
  }
  std::vector<double> theta_row, k_row, sigma_row, Gamma_row;
  if constexpr (per_point_params) {
    k_row.assign(t.size(), k);
    sigma_row.assign(t.size(), sigma);
    Gamma_row.assign(t.size(), Gamma);
    theta_row.resize(t.size());
  }
  std::size_t solved = 0;
  const double load = load_average_1min();
  CpuMeter cpu;
  cpu.start();

  for (auto _ : state) {
    solved = 0;
    for (std::size_t a = 0; a < theta.size(); ++a) {
      const std::size_t base = full_arrays ? a * t.size() : 0;
      if constexpr (per_point_params) {
        std::fill(theta_row.begin(), theta_row.end(), theta[a]);
        benchmark::ClobberMemory();  // the rows are data to the loop below, not known constants
      }
      for (std::size_t b = 0; b < t.size(); ++b) {
        const std::size_t i = base + b;
        const ye2025::Params p = per_point_params
                                     ? ye2025::Params{theta_row[b], k_row[b], t[b], sigma_row[b], Gamma_row[b]}
                                     : ye2025::Params{theta[a], k, t[b], sigma, Gamma};
        const ye2025::ScenarioOutputs N = ye2025::published_N(p);
        const ye2025::ScenarioOutputs Y = ye2025::published_Y(p);
        const bool in_N = ye2025::in_two_product_region(N), in_Y = ye2025::in_two_product_region(Y);
        const bool ok_N = in_N && finite_outputs(N), ok_Y = in_Y && finite_outputs(Y);
        store(N, ok_N, out_N, i);
        store(Y, ok_Y, out_Y, i);
        status[i] = static_cast<std::uint8_t>(!(in_N && in_Y) ? PointStatus::infeasible
                                              : ok_N && ok_Y  ? PointStatus::solved
                                                              : PointStatus::failed);
      }
      if (!full_arrays) {
        // The row is "used" before the next one overwrites it (the engine counts statuses too).
        for (std::size_t b = 0; b < t.size(); ++b) solved += status[b] == 0;
        benchmark::DoNotOptimize(outputs.data());
        benchmark::ClobberMemory();
      }
    }
    if (full_arrays)
      for (auto s : status) solved += s == 0;
    benchmark::DoNotOptimize(outputs.data());
    benchmark::DoNotOptimize(solved);
    benchmark::ClobberMemory();
  }
  cpu.stop();
  set_rates(state, size, cpu, load);
  state.counters["solved"] = static_cast<double>(solved);
}

void BareLoop(benchmark::State& state) { bare_loop(state, false); }
void BareLoopFullArrays(benchmark::State& state) { bare_loop(state, true); }
void BareLoopPerPointParams(benchmark::State& state) { bare_loop<true>(state, false); }

// ---------------------------------------------------------------------------------------------
// The engine without output: tiles scheduled over a task_arena, gathered, solved, scattered into
// chunk buffers, counted; nothing encoded, nothing written.

void compute_only(benchmark::State& state, const SweepSpec& spec, int threads) {
  const CubeSize size = cube_size(spec);
  RunOptions options;
  options.write_output = false;
  options.progress = ProgressMode::none;
  options.threads = threads;
  std::size_t solved = 0;
  const double load = load_average_1min();
  CpuMeter cpu;
  cpu.start();
  for (auto _ : state) {
    const RunSummary summary = run_sweep(spec, options);
    if (!summary.ok() || summary.points_computed != size.points) {
      state.SkipWithError(("run_sweep failed: " + summary.summary()).c_str());
      break;
    }
    solved = summary.status_counts[static_cast<int>(PointStatus::solved)];
    benchmark::DoNotOptimize(solved);
  }
  cpu.stop();
  set_rates(state, size, cpu, load);
  state.counters["solved"] = static_cast<double>(solved);
}

void EngineComputeOnly(benchmark::State& state, int threads) { compute_only(state, make_spec(Compression::none), threads); }

// The built-in ye2025 model as the tree has it (hundreds of outputs, N.* and Y.* read); a smaller
// grid keeps the run short.
void YeModelComputeOnly(benchmark::State& state, int threads) {
  SweepSpec spec;
  try {
    spec = make_spec(Compression::none, "ye2025", config.ye_theta_points);
  } catch (const std::exception& e) {
    state.SkipWithError(fmt::format("cannot build the ye2025 spec: {}", e.what()).c_str());
    for (auto _ : state) {
    }
    return;
  }
  compute_only(state, spec, threads);
}

// ---------------------------------------------------------------------------------------------
// The whole run: file creation, tiles solved and (for deflate) encoded in the workers, written by
// the HDF5 writer thread, committed every 0.5 s, provenance stamped at the end. The file of the
// previous iteration is removed outside the timed region; overwrite=true as well.

// `durability`: "none" (the default here) to compare with RawWriteBandwidth, which never syncs;
// "commit", the run's own default, for EngineEndToEndDurable.
void EngineEndToEnd(benchmark::State& state, Compression compression, int threads, const char* durability) {
  const SweepSpec spec = make_spec(compression, "bench_ny", 0, durability);
  const CubeSize size = cube_size(spec);
  const fs::path path =
      config.dir / fmt::format("e2e-{}-{}.h5", compression_name(compression), threads);
  RunOptions options;
  options.output_path = path.string();
  options.overwrite = true;
  options.progress = ProgressMode::none;
  options.threads = threads;
  const double load = load_average_1min();
  CpuMeter cpu;
  for (auto _ : state) {
    state.PauseTiming();
    std::error_code ec;
    fs::remove(path, ec);
    fs::remove(path.string() + ".partial", ec);
    state.ResumeTiming();
    cpu.start();
    const RunSummary summary = run_sweep(spec, options);
    cpu.stop();
    if (!summary.ok() || summary.points_computed != size.points) {
      state.SkipWithError(("run_sweep failed: " + summary.summary()).c_str());
      break;
    }
  }
  set_rates(state, size, cpu, load);
  std::error_code ec;
  const auto file_bytes = fs::file_size(path, ec);
  if (!ec && file_bytes > 0) {
    state.counters["file_bytes"] = static_cast<double>(file_bytes);
    state.counters["compression_ratio"] = static_cast<double>(size.bytes()) / static_cast<double>(file_bytes);
  }
  fs::remove(path, ec);
}

// ---------------------------------------------------------------------------------------------
// The disk's share: the same bytes the uncompressed cube holds, written with one write() per
// chunk of every variable in the engine's order (tile by tile), to a fresh file in the same
// directory, then closed. No sync, like EngineEndToEnd (durability = "none"): both numbers are
// "into the page cache, with whatever writeback the kernel does meanwhile". With `synced`, one
// fdatasync before the close (RawWriteBandwidthSynced): the least any durable writer pays.

void write_all(int fd, const std::byte* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("write: {}", std::strerror(errno)));
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
}

void RawWriteBandwidth(benchmark::State& state, bool synced) {
  const SweepSpec spec = make_spec(Compression::none);
  const CubeSize size = cube_size(spec);
  std::size_t largest = 0;
  for (auto b : size.chunk_bytes) largest = std::max(largest, b);
  // Doubles of the magnitude the model produces, so that nothing (e.g. a zero-page shortcut) is free.
  std::vector<double> payload(largest / sizeof(double) + 1);
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> dist(0.0, 1.0);
  for (auto& x : payload) x = dist(rng);
  const auto* bytes = reinterpret_cast<const std::byte*>(payload.data());
  const fs::path path = config.dir / "raw-write.bin";
  const double load = load_average_1min();
  CpuMeter cpu;

  for (auto _ : state) {
    state.PauseTiming();
    std::error_code ec;
    fs::remove(path, ec);
    state.ResumeTiming();
    cpu.start();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      state.SkipWithError(fmt::format("open {}: {}", path.string(), std::strerror(errno)).c_str());
      break;
    }
    try {
      for (std::size_t tile = 0; tile < size.tiles; ++tile)
        for (auto b : size.chunk_bytes) write_all(fd, bytes, b);
      if (synced && ::fdatasync(fd) != 0) throw std::runtime_error(fmt::format("fdatasync: {}", std::strerror(errno)));
    } catch (const std::exception& e) {
      ::close(fd);
      state.SkipWithError(e.what());
      break;
    }
    ::close(fd);
    cpu.stop();
  }
  set_rates(state, size, cpu, load);
  std::error_code ec;
  fs::remove(path, ec);
}

// ---------------------------------------------------------------------------------------------
// How many cores a 2-thread job gets right now: two threads spinning on arithmetic for 100 ms per
// iteration; cpu_util is the answer (2.00 on an idle machine). Run first and last, it tells
// whether the 2-thread ratios of this run measured the engine or the other jobs on the machine.

void AvailableCores(benchmark::State& state) {
  const double load = load_average_1min();
  CpuMeter cpu;
  cpu.start();
  for (auto _ : state) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    auto spin = [until] {
      double x = 1;
      while (std::chrono::steady_clock::now() < until)
        for (int i = 0; i < 1000; ++i) x = x * 1.0000001 + 1e-9;
      benchmark::DoNotOptimize(x);
    };
    std::thread a(spin), b(spin);
    a.join();
    b.join();
  }
  cpu.stop();
  cpu.report(state, 1);
  state.counters.erase("cpu_ns_per_point");
  state.counters["load_1min"] = load;
}

fs::path make_bench_dir() {
  fs::path base;
  if (const char* d = std::getenv("EQSWEEP_BENCH_DIR"); d && *d) base = d;
  else if (const char* t = std::getenv("TMPDIR"); t && *t) base = t;
  else base = "/tmp";
  std::string templ = (base / "eqsweep-bench-XXXXXX").string();
  if (!::mkdtemp(templ.data()))
    throw std::runtime_error(fmt::format("cannot create a directory under {}: {}", base.string(), std::strerror(errno)));
  return templ;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::vector<int> thread_counts;
  try {
    thread_counts = env_threads();
    config.theta_points = env_size("EQSWEEP_BENCH_THETA", config.theta_points);
    config.t_points = env_size("EQSWEEP_BENCH_T", config.t_points);
    config.ye_theta_points = env_size("EQSWEEP_BENCH_YE_THETA", config.ye_theta_points);
    if (const char* c = std::getenv("EQSWEEP_BENCH_CHUNK"); c && *c) config.chunk = c;
    config.dir = make_bench_dir();
    const SweepSpec spec = make_spec(Compression::none);
    const CubeSize size = cube_size(spec);
    benchmark::AddCustomContext("eqsweep_grid", fmt::format("theta {} x t {} = {} points", config.theta_points,
                                                            config.t_points, size.points));
    benchmark::AddCustomContext("eqsweep_tiles", fmt::format("{} tiles of {} x {} cells", size.tiles, spec.chunk[0],
                                                             spec.chunk[1]));
    benchmark::AddCustomContext("eqsweep_cube_bytes", std::to_string(size.bytes()));
    benchmark::AddCustomContext("eqsweep_bench_dir", config.dir.string());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "eqsweep_bench: %s\n", e.what());
    return 1;
  }

  // Every benchmark warms up first (untimed): the first run in a process pays for growing the heap
  // (page faults), which is not the engine's steady-state cost; docs/BENCHMARKS.md gives both.
  benchmark::RegisterBenchmark("AvailableCores/at:start", AvailableCores)->UseRealTime()->Unit(benchmark::kMillisecond);
  // Wall-clock timing, milliseconds, at least `seconds` of measured runs after 0.3 s of warm-up.
  const auto timed = [](benchmark::internal::Benchmark* b, double seconds) {
    b->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(seconds)->MinWarmUpTime(0.3);
  };
  timed(benchmark::RegisterBenchmark("BareLoop", BareLoop), 1.0);
  timed(benchmark::RegisterBenchmark("BareLoopFullArrays", BareLoopFullArrays), 1.0);
  timed(benchmark::RegisterBenchmark("BareLoopPerPointParams", BareLoopPerPointParams), 1.0);
  for (int threads : thread_counts)
    timed(benchmark::RegisterBenchmark(fmt::format("EngineComputeOnly/threads:{}", threads).c_str(), EngineComputeOnly,
                                       threads),
          1.0);
  for (Compression c : {Compression::none, Compression::blosc, Compression::deflate})
    for (int threads : thread_counts)
      timed(benchmark::RegisterBenchmark(fmt::format("EngineEndToEnd/compression:{}/threads:{}", compression_name(c), threads)
                                             .c_str(),
                                         EngineEndToEnd, c, threads, "none"),
            2.0);
  timed(benchmark::RegisterBenchmark("RawWriteBandwidth", RawWriteBandwidth, false), 2.0);
  // What a user's run pays by default: every commit synced (run.durability = "commit").
  for (Compression c : {Compression::none, Compression::blosc})
    timed(benchmark::RegisterBenchmark(fmt::format("EngineEndToEndDurable/compression:{}/threads:2", compression_name(c))
                                           .c_str(),
                                       EngineEndToEnd, c, 2, "commit"),
          2.0);
  timed(benchmark::RegisterBenchmark("RawWriteBandwidthSynced", RawWriteBandwidth, true), 2.0);
  for (int threads : thread_counts)
    timed(benchmark::RegisterBenchmark(fmt::format("YeModelComputeOnly/threads:{}", threads).c_str(),
                                       YeModelComputeOnly, threads),
          1.0);

  benchmark::RegisterBenchmark("AvailableCores/at:end", AvailableCores)->UseRealTime()->Unit(benchmark::kMillisecond);

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(config.dir, ec);
  return 0;
}
