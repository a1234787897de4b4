#include "engine/sweep_runner.hpp"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "engine/region_map.hpp"
#include "engine/thresholds.hpp"
#include "engine/tile_evaluator.hpp"
#include "eqsweep/version.hpp"

namespace eqsweep {

namespace fs = std::filesystem;

namespace {

std::string utc_now() { return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))); }

int resolve_threads(const SweepSpec& spec, const RunOptions& options) {
  if (options.threads > 0) return options.threads;
  if (spec.threads > 0) return spec.threads;
  return tbb::info::default_concurrency();
}

struct WorkerState {
  explicit WorkerState(const SweepSpec& spec, const TileGrid& grid) : evaluator(spec, grid) {}
  TileEvaluator evaluator;
  std::vector<std::byte> scratch;
  TileResult raw;  // reused: the tile as solved, before encoding (and all of it when not writing)
};

// The writer thread's side of a run: every HDF5 call after the file is set up happens here.
class TileWriter {
 public:
  TileWriter(CubeWriter& cube, const TileGrid& grid, double commit_interval_s, std::size_t capacity)
      : cube_(cube), grid_(grid), commit_interval_(commit_interval_s) {
    queue_.set_capacity(static_cast<std::ptrdiff_t>(capacity));
    thread_ = std::thread([this] { loop(); });
  }
  ~TileWriter() { close(); }

  // Blocks while the queue is full: back-pressure from the disk to the workers.
  void push(std::unique_ptr<TileResult> tile) { queue_.push(std::move(tile)); }
  // A written tile's buffers for a worker to fill again: fresh memory costs page faults that
  // dominate a cheap model's solve time.
  std::unique_ptr<TileResult> recycled() {
    std::unique_ptr<TileResult> tile;
    if (!pool_.try_pop(tile)) tile = std::make_unique<TileResult>();
    return tile;
  }

  void close() {
    if (!thread_.joinable()) return;
    queue_.push(nullptr);
    thread_.join();
  }

  bool failed() const { return failed_.load(std::memory_order_acquire); }
  std::string error() const {
    std::lock_guard lock(mutex_);
    return error_;
  }
  std::size_t tiles_written() const { return written_; }

 private:
  void loop() {
    std::vector<std::size_t> pending;
    auto last_commit = std::chrono::steady_clock::now();
    for (;;) {
      std::unique_ptr<TileResult> tile;
      queue_.pop(tile);
      if (!tile) break;
      if (failed()) continue;  // drain so that workers never block on a dead writer
      try {
        const auto origin = grid_.tile_origin(tile->tile);
        std::size_t bytes = 0;
        for (const auto& c : tile->chunks) bytes += c.size();
        try {
          cube_.reserve(bytes);
        } catch (const CubeIoError&) {
          // Out of space before anything of this tile was written: keep what is finished.
          cube_.commit(pending);
          written_ += pending.size();
          pending.clear();
          throw;
        }
        for (std::size_t v = 0; v < tile->chunks.size(); ++v) cube_.write_chunk(v, origin, tile->chunks[v]);
        pending.push_back(tile->tile);
        pool_.push(std::move(tile));
        const auto now = std::chrono::steady_clock::now();
        if (std::chrono::duration<double>(now - last_commit).count() >= commit_interval_) {
          cube_.commit(pending);
          written_ += pending.size();
          pending.clear();
          last_commit = now;
        }
      } catch (const std::exception& e) {
        fail(e.what());
      }
    }
    if (!failed() && !pending.empty()) {
      try {
        cube_.commit(pending);
        written_ += pending.size();
      } catch (const std::exception& e) {
        fail(e.what());
      }
    }
  }

  void fail(const std::string& message) {
    std::lock_guard lock(mutex_);
    if (error_.empty()) error_ = message;
    failed_.store(true, std::memory_order_release);
  }

  CubeWriter& cube_;
  const TileGrid& grid_;
  double commit_interval_;
  tbb::concurrent_bounded_queue<std::unique_ptr<TileResult>> queue_;
  tbb::concurrent_queue<std::unique_ptr<TileResult>> pool_;
  std::thread thread_;
  std::atomic<bool> failed_{false};
  mutable std::mutex mutex_;
  std::string error_;
  std::size_t written_ = 0;
};

std::vector<std::vector<std::size_t>> all_tile_origins(const TileGrid& grid) {
  std::vector<std::vector<std::size_t>> origins(grid.tile_count());
  for (std::size_t t = 0; t < origins.size(); ++t) origins[t] = grid.tile_origin(t);
  return origins;
}

std::string partial_path(const std::string& path) { return path + ".partial"; }

// An indicator over the grid as the analyses see it: indicator - minus, NaN wherever the point
// is not a solved equilibrium. That is what a new solve reports too (IndicatorProbe), so stored
// and probed values agree even where a model writes outputs (a regime label) beside another status.
std::vector<double> indicator_grid(CubeWriter& cube, const std::string& indicator, const std::string& minus,
                                   const std::vector<double>& status) {
  if (indicator == "status") return status;
  std::vector<double> grid = cube.read_variable(indicator);
  if (!minus.empty()) {
    const auto subtrahend = cube.read_variable(minus);
    for (std::size_t k = 0; k < grid.size(); ++k) grid[k] -= subtrahend[k];
  }
  for (std::size_t k = 0; k < grid.size(); ++k)
    if (status[k] != static_cast<double>(PointStatus::solved)) grid[k] = kNaN;
  return grid;
}

// Thresholds after the tiles: read the indicator over the grid, refine every crossing with new
// solves, write the result into the datasets allocated at creation, mark the analysis done.
void run_analyses(const SweepSpec& spec, CubeWriter& cube, RunSummary& summary) {
  std::vector<double> status;
  for (std::size_t i = 0; i < spec.thresholds.size(); ++i) {
    if (cube.analysis_done()[i]) continue;
    const ThresholdSpec& th = spec.thresholds[i];
    if (status.empty()) status = cube.read_variable("status");
    const std::vector<double> grid = indicator_grid(cube, th.indicator, th.minus, status);
    const ThresholdResult r = find_thresholds(spec, th, grid, summary.threads);
    const std::string name = th.name(spec);
    cube.write_extra("threshold." + name, r.crossings.data());
    cube.write_extra("threshold_count." + name, r.counts.data());
    cube.write_extra("threshold_solves." + name, r.solves.data());
    cube.mark_analysis_done(i);
    summary.analyses.push_back(fmt::format(
        "threshold {}: {} crossings on {} lines, {} extra solves ({:.1f} per crossing){}", name, r.total_crossings,
        r.lines, r.total_solves,
        r.total_crossings ? static_cast<double>(r.total_solves) / static_cast<double>(r.total_crossings) : 0.0,
        r.failed_refinements ? fmt::format(", {} cells not refined (indicator undefined inside)", r.failed_refinements)
                             : std::string()));
  }
  // Region maps after the thresholds, in the same analysis_done list.
  for (std::size_t m = 0; m < spec.region_maps.size(); ++m) {
    const std::size_t index = spec.thresholds.size() + m;
    if (cube.analysis_done()[index]) continue;
    const RegionMapSpec& rm = spec.region_maps[m];
    if (status.empty()) status = cube.read_variable("status");
    const std::vector<double> grid = indicator_grid(cube, rm.indicator, rm.minus, status);
    const RegionMapResult r = refine_region_map(spec, rm, grid, status, summary.threads);
    const std::string name = rm.name(spec);
    cube.write_extra_rows("region_cells." + name, r.cell_count(), r.cells.data());
    cube.write_extra_rows("region_segments." + name, r.segment_count(), r.segments.data());
    cube.write_extra("region_solves." + name, r.solves.data());
    cube.write_extra("region_grid_cells." + name, r.grid_cells.data());
    cube.mark_analysis_done(index);
    summary.analyses.push_back(fmt::format(
        "region map {}: {} grid cells on the boundary in {} slices, refined {} times into {} cells and {} segments with "
        "{} extra solves",
        name, r.total_grid_cells, r.slices, rm.depth, r.cell_count(), r.segment_count(), r.total_solves));
  }
}

}  // namespace

CubeLayout cube_layout(const SweepSpec& spec) {
  CubeLayout layout;
  const auto params = spec.model->parameters();
  for (const auto& axis : spec.axes) {
    const auto& p = params[static_cast<std::size_t>(axis.parameter)];
    layout.axes.push_back({axis.name, fmt::format("{} ({})", p.description, p.symbol), p.units, axis.values});
  }
  const auto outs = spec.model->outputs();
  for (int o : spec.outputs) {
    const auto& info = outs[static_cast<std::size_t>(o)];
    layout.variables.push_back({info.name, info.description, info.units, ElementType::f64, kNaN, {}, {}});
  }
  for (const auto& sens : spec.sensitivities) {
    const auto& out = outs[static_cast<std::size_t>(sens.output)];
    const auto& par = params[static_cast<std::size_t>(sens.parameter)];
    layout.variables.push_back({sens.derivative_name(*spec.model),
                                fmt::format("derivative of {} with respect to {} ({}), central differences", out.name,
                                            par.name, par.symbol),
                                "1", ElementType::f64, kNaN, {}, {}});
    if (sens.elasticity)
      layout.variables.push_back({sens.elasticity_name(*spec.model),
                                  fmt::format("elasticity of {} with respect to {} ({})", out.name, par.name, par.symbol),
                                  "1", ElementType::f64, kNaN, {}, {}});
  }
  CubeVariable status{"status", "solver status of the point", "", ElementType::u8,
                      static_cast<double>(PointStatus::not_computed), {}, {0, 1, 2, 3}};
  status.string_attributes["flag_meanings"] = std::string(kPointStatusMeanings);
  layout.variables.push_back(status);
  layout.variables.push_back({"iterations", "solver iterations (0 for a closed form, -1 not computed)", "1",
                              ElementType::i32, -1.0, {}, {}});
  layout.variables.push_back({"residual", "equilibrium residual reported by the solver (NaN: not applicable)", "1",
                              ElementType::f64, kNaN, {}, {}});
  for (const auto& th : spec.thresholds) {
    const std::string crossing_dim = fmt::format("crossing{}", th.max_crossings);
    bool have = false;
    for (const auto& d : layout.index_dimensions) have = have || d.first == crossing_dim;
    if (!have) layout.index_dimensions.emplace_back(crossing_dim, th.max_crossings);
    std::vector<std::string> line_dims;
    for (std::size_t a = 0; a < spec.axes.size(); ++a)
      if (a != th.axis) line_dims.push_back(spec.axes[a].name);
    const std::string name = th.name(spec);
    const auto& axis_param = params[static_cast<std::size_t>(spec.axes[th.axis].parameter)];
    const std::string what = th.kind == ThresholdSpec::Kind::real
                                 ? fmt::format("sign change of {}{}{}", th.indicator, th.minus.empty() ? "" : " - ", th.minus)
                                 : fmt::format("change of {}", th.indicator);
    std::vector<std::string> dims = line_dims;
    dims.push_back(crossing_dim);
    layout.extras.push_back({"threshold." + name,
                             fmt::format("{} where the {} occurs (NaN: no further crossing)", axis_param.name, what),
                             axis_param.units, dims, ElementType::f64, kNaN,
                             {{"tolerance_relative_to_axis_span", fmt::format("{}", th.tolerance)},
                              {"kind", th.kind == ThresholdSpec::Kind::real ? "real (TOMS 748)" : "categorical (bisection)"}}});
    layout.extras.push_back({"threshold_count." + name, fmt::format("number of crossings ({}) along {}", what, axis_param.name),
                             "1", line_dims, ElementType::i32, -1.0, {}});
    layout.extras.push_back({"threshold_solves." + name, "extra solves spent locating the crossings of this line", "1",
                             line_dims, ElementType::i32, -1.0, {}});
  }
  for (const auto& rm : spec.region_maps) {
    const std::string name = rm.name(spec);
    std::vector<std::string> slice_dims;
    for (std::size_t a = 0; a < spec.axes.size(); ++a)
      if (a != rm.x_axis && a != rm.y_axis) slice_dims.push_back(spec.axes[a].name);
    const std::string what = rm.kind == RegionMapSpec::Kind::real
                                 ? fmt::format("sign of {}{}{}", rm.indicator, rm.minus.empty() ? "" : " - ", rm.minus)
                                 : fmt::format("value of {}", rm.indicator);
    const std::string x = spec.axes[rm.x_axis].name, y = spec.axes[rm.y_axis].name;
    for (const char* field : {"region_cell_field", "region_segment_field"}) {
      const std::size_t n = std::string_view(field) == "region_cell_field" ? kRegionCellColumns : kRegionSegmentColumns;
      bool have = false;
      for (const auto& d : layout.index_dimensions) have = have || d.first == field;
      if (!have) layout.index_dimensions.emplace_back(field, n);
    }
    layout.growable_dimensions.push_back("region_cell." + name);
    layout.growable_dimensions.push_back("region_segment." + name);
    const std::map<std::string, std::string> common = {{"x_axis", x}, {"y_axis", y}, {"indicator", rm.indicator},
                                                       {"minus", rm.minus},
                                                       {"kind", rm.kind == RegionMapSpec::Kind::real ? "real" : "categorical"},
                                                       {"depth", fmt::format("{}", rm.depth)},
                                                       {"slice_axes", fmt::format("{}", fmt::join(slice_dims, " "))}};
    auto attrs = [&](const char* columns) {
      auto a = common;
      a["columns"] = columns;
      return a;
    };
    layout.extras.push_back({"region_cells." + name,
                             fmt::format("cells of the ({}, {}) plane refined {} times where the {} differs at their corners",
                                         x, y, rm.depth, what),
                             "", {"region_cell." + name, "region_cell_field"}, ElementType::f64, kNaN,
                             attrs(kRegionCellColumnNames)});
    layout.extras.push_back({"region_segments." + name,
                             fmt::format("boundary of the {} in the ({}, {}) plane, as line segments", what, x, y), "",
                             {"region_segment." + name, "region_segment_field"}, ElementType::f64, kNaN,
                             attrs(kRegionSegmentColumnNames)});
    layout.extras.push_back({"region_solves." + name, "extra solves spent refining this slice's region map", "1",
                             slice_dims, ElementType::i32, -1.0, common});
    layout.extras.push_back({"region_grid_cells." + name, "grid cells of this slice whose corners disagree", "1",
                             slice_dims, ElementType::i32, -1.0, common});
  }
  layout.analysis_count = spec.analysis_count();
  layout.chunk = spec.chunk;
  layout.encoding.deflate = spec.compression == Compression::deflate;
  layout.encoding.level = spec.deflate_level;

  std::string fixed_text;
  for (std::size_t i = 0; i < params.size(); ++i)
    if (!std::isnan(spec.fixed[i])) fixed_text += fmt::format("{}{} = {}", fixed_text.empty() ? "" : ", ", params[i].name, spec.fixed[i]);
  layout.attributes = {
      {"Conventions", "CF-1.8"},
      {"title", fmt::format("eqsweep sweep of model {} ({})", spec.model->name(), spec.variant)},
      {"source", std::string(spec.model->source())},
      {"model", std::string(spec.model->name())},
      {"variant", spec.variant},
      {"model_options", [&] {
         std::string text;
         for (const auto& [k, v] : spec.options) text += fmt::format("{}{} = {}", text.empty() ? "" : ", ", k, v);
         return text;
       }()},
      {"fixed_parameters", fixed_text},
      {"continuation_axis", spec.axes[spec.continuation_axis].name},
      {"spec", spec.text},
      {"spec_path", spec.path},
      {"spec_canonical", spec.canonical_json()},
      {"spec_fingerprint", spec.fingerprint()},
      {"analysis_fingerprint", spec.analysis_fingerprint()},
      {"eqsweep_version", kVersion},
      {"git_revision", kGitRevision},
  };
  return layout;
}

void check_output_path(const SweepSpec& spec, const std::string& path, bool overwrite) {
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error(fmt::format("{}: cannot write output: directory {} does not exist", path, dir.string()));
  if (access(dir.c_str(), W_OK) != 0)
    throw std::runtime_error(fmt::format("{}: cannot write output: directory {} is not writable", path, dir.string()));
  if (fs::is_directory(target, ec)) throw std::runtime_error(fmt::format("{}: is a directory, not a file", path));
  if (!fs::exists(target, ec) || overwrite) return;
  std::string fingerprint;
  try {
    CubeReader old(path);
    fingerprint = old.string_attribute("spec_fingerprint");
  } catch (const std::exception&) {
    throw std::runtime_error(fmt::format(
        "{} exists and is not an eqsweep cube that can be resumed; choose another -o path or pass --overwrite", path));
  }
  if (fingerprint != spec.fingerprint())
    throw std::runtime_error(fmt::format(
        "{} was written by a different sweep spec (fingerprint {} there, {} for {}); refusing to mix results. "
        "Choose another -o path, or pass --overwrite to discard the old file",
        path, fingerprint.substr(0, 12), spec.fingerprint().substr(0, 12), spec.path));
}

// Tile buffers are megabytes each and are allocated per worker and per run. glibc returns freed
// blocks of that size to the kernel, and touching fresh pages again costs a page fault per
// 4 KiB (about 10 us on the VMs measured in docs/BENCHMARKS.md), more than a cheap model's whole
// solve. Keeping freed memory in the process makes later tiles and runs reuse warm pages.
void keep_freed_memory_in_process() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  });
}

RunSummary run_sweep(const SweepSpec& spec, const RunOptions& options) {
  keep_freed_memory_in_process();
  const auto start = std::chrono::steady_clock::now();
  RunSummary summary;
  summary.output_path = options.output_path;
  summary.fingerprint = spec.fingerprint();
  summary.threads = resolve_threads(spec, options);

  const TileGrid grid(spec.shape(), spec.chunk);
  summary.tiles_total = grid.tile_count();
  summary.points_total = grid.point_count();
  const auto origins = all_tile_origins(grid);

  std::unique_ptr<CubeWriter> cube;
  std::vector<std::size_t> todo;
  std::size_t points_resumed = 0;
  std::string created = utc_now();
  double resumes = 0;

  if (options.write_output) {
    check_output_path(spec, options.output_path, options.overwrite);
    std::unique_ptr<CubeReader> previous;
    if (!options.overwrite && fs::exists(options.output_path)) {
      previous = std::make_unique<CubeReader>(options.output_path);
      const auto done = previous->tiles_done();
      std::size_t n_done = 0;
      for (auto d : done) n_done += d;
      const auto analyses = previous->analysis_done();
      const bool analyses_done =
          previous->has_attribute("analysis_fingerprint") &&
          previous->string_attribute("analysis_fingerprint") == spec.analysis_fingerprint() &&
          analyses.size() == spec.analysis_count() &&
          std::all_of(analyses.begin(), analyses.end(), [](std::uint8_t d) { return d != 0; });
      if (n_done == done.size() && analyses_done) {
        summary.outcome = RunSummary::Outcome::already_complete;
        summary.tiles_resumed = n_done;
        summary.message = fmt::format("{} is already complete; nothing to do", options.output_path);
        return summary;
      }
      if (previous->has_attribute("created")) created = previous->string_attribute("created");
      if (previous->has_attribute("resumes")) resumes = previous->number_attribute("resumes") + 1;
      else resumes = 1;
    }
    // Build the new file beside the old one and swap it in atomically once it holds everything
    // the old one had: a kill at any point leaves either the old file or the new one, never less.
    CubeLayout layout = cube_layout(spec);
    layout.attributes["created"] = created;
    const std::string partial = partial_path(options.output_path);
    try {
      cube = std::make_unique<CubeWriter>(partial, layout);
      if (previous) summary.tiles_resumed = cube->copy_finished_tiles(*previous, origins);
      cube->start_swmr();
      previous.reset();
      cube->rename_to(options.output_path);
    } catch (const std::exception& e) {
      cube.reset();
      std::error_code ec;
      fs::remove(partial, ec);
      summary.outcome = RunSummary::Outcome::failed;
      summary.message = fmt::format("{}; the earlier file (if any) is unchanged", e.what());
      return summary;
    }
    for (std::size_t t = 0; t < grid.tile_count(); ++t) {
      if (cube->tiles_done()[t]) points_resumed += grid.points_in_tile(t);
      else todo.push_back(t);
    }
  } else {
    for (std::size_t t = 0; t < grid.tile_count(); ++t) todo.push_back(t);
  }

  ProgressReporter progress(options.progress, summary.points_total - points_resumed, options.progress_interval_s);
  tbb::enumerable_thread_specific<std::unique_ptr<WorkerState>> workers;
  std::unique_ptr<TileWriter> writer;
  if (cube)
    writer = std::make_unique<TileWriter>(*cube, grid, options.commit_interval_s,
                                          2 * static_cast<std::size_t>(summary.threads) + 2);

  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::string worker_error;
  std::atomic<std::size_t> tiles_computed{0}, points_computed{0};
  std::atomic<std::int64_t> iterations{0};
  std::atomic<std::size_t> counts[4] = {0, 0, 0, 0};
  const ChunkEncoding encoding{spec.compression == Compression::deflate, spec.deflate_level};
  const std::vector<std::size_t> element_sizes = [&] {
    std::vector<std::size_t> sizes;
    for (const auto& v : cube_layout(spec).variables) sizes.push_back(element_size(v.type));
    return sizes;
  }();

  tbb::task_arena arena(summary.threads);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, todo.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t k = range.begin(); k != range.end(); ++k) {
            if (stop.load(std::memory_order_relaxed) || (writer && writer->failed()) ||
                (options.stop_requested && options.stop_requested->load(std::memory_order_relaxed)))
              return;
            try {
              auto& state = workers.local();
              if (!state) state = std::make_unique<WorkerState>(spec, grid);
              // Uncompressed chunks are final as solved, so they go straight into a pooled tile;
              // deflated ones are solved into the worker's buffer and encoded into the pooled one.
              std::unique_ptr<TileResult> owned;
              TileResult* tile = &state->raw;
              if (writer && !encoding.deflate) {
                owned = writer->recycled();
                tile = owned.get();
              }
              state->evaluator.evaluate(todo[k], *tile);
              if (writer && encoding.deflate) {
                owned = writer->recycled();
                owned->chunks.resize(tile->chunks.size());
                for (std::size_t v = 0; v < tile->chunks.size(); ++v)
                  encode_chunk(tile->chunks[v], element_sizes[v], encoding, state->scratch, owned->chunks[v]);
                owned->tile = tile->tile;
                owned->points = tile->points;
                std::copy(std::begin(tile->status_counts), std::end(tile->status_counts), owned->status_counts);
                owned->iterations = tile->iterations;
                tile = owned.get();
              }
              for (int s = 0; s < 4; ++s) counts[s] += tile->status_counts[s];
              iterations += tile->iterations;
              points_computed += tile->points;
              ++tiles_computed;
              progress.add(tile->points);
              if (writer) writer->push(std::move(owned));
            } catch (const std::exception& e) {
              std::lock_guard lock(error_mutex);
              if (worker_error.empty()) worker_error = e.what();
              stop = true;
            }
          }
        },
        tbb::simple_partitioner());
  });

  if (writer) writer->close();
  progress.stop();

  summary.tiles_computed = tiles_computed;
  summary.points_computed = points_computed;
  summary.iterations = iterations;
  for (int s = 0; s < 4; ++s) summary.status_counts[s] = counts[s];
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const bool interrupted = options.stop_requested && options.stop_requested->load();
  if (writer && writer->failed()) {
    summary.outcome = RunSummary::Outcome::failed;
    summary.message = fmt::format(
        "writing the cube failed: {}. The {} tiles committed before the failure are kept in {}; free space or fix "
        "the cause and rerun the same command to resume",
        writer->error(), summary.tiles_resumed + writer->tiles_written(), options.output_path);
    cube->close_after_failure();
    return summary;
  }
  if (!worker_error.empty()) {
    summary.outcome = RunSummary::Outcome::failed;
    summary.message = fmt::format("a solver raised an error: {}", worker_error);
    if (cube) cube->abandon();
    return summary;
  }
  if (interrupted) {
    summary.outcome = RunSummary::Outcome::interrupted;
    summary.message = fmt::format("interrupted; finished tiles are kept in {}, rerun the same command to resume",
                                  options.output_path);
    if (cube) cube->abandon();
    return summary;
  }
  summary.outcome = RunSummary::Outcome::completed;
  if (cube && spec.analysis_count() > 0) {
    try {
      run_analyses(spec, *cube, summary);
    } catch (const std::exception& e) {
      summary.outcome = RunSummary::Outcome::failed;
      summary.message = fmt::format("the sweep is complete but an analysis (thresholds, region maps) failed: {}", e.what());
      cube->close_after_failure();
      return summary;
    }
  }
  if (cube) {
    try {
      cube->finish({{"end_time", utc_now()}},
                   {{"threads", summary.threads}, {"wall_seconds", summary.wall_seconds}, {"resumes", resumes}});
    } catch (const std::exception& e) {
      summary.outcome = RunSummary::Outcome::failed;
      summary.message = fmt::format("all tiles are written but stamping provenance failed: {}", e.what());
    }
  }
  return summary;
}

std::string RunSummary::summary() const {
  std::string text;
  switch (outcome) {
    case Outcome::completed: text = "completed"; break;
    case Outcome::already_complete: text = "already complete"; break;
    case Outcome::interrupted: text = "interrupted"; break;
    case Outcome::failed: text = "FAILED"; break;
  }
  text += fmt::format(": {} points in {} tiles ({} resumed, {} computed now) with {} threads in {:.3f} s", points_total,
                      tiles_total, tiles_resumed, tiles_computed, threads, wall_seconds);
  if (points_computed > 0)
    text += fmt::format("\n  {:.4g} points/s; status of computed points: {} solved, {} infeasible, {} failed",
                        static_cast<double>(points_computed) / wall_seconds, status_counts[0], status_counts[1],
                        status_counts[2]);
  for (const auto& a : analyses) text += "\n  " + a;
  if (!message.empty()) text += "\n  " + message;
  return text;
}

}  // namespace eqsweep
