#include "engine/sweep_runner.hpp"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "engine/analyses.hpp"
#include "engine/cube_info.hpp"
#include "engine/cube_sink.hpp"
#include "engine/hdf5_cube_sink.hpp"
#include "engine/output_lock.hpp"
#include "engine/progress.hpp"
#include "engine/quantize.hpp"
#include "engine/tile_evaluator.hpp"
#include "engine/tile_writer.hpp"

namespace eqsweep {

namespace {

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

struct WorkerState {
  WorkerState(const SweepSpec& spec, const TileGrid& grid) : evaluator(spec, grid) {}
  ~WorkerState() { TileWriter::keep_spare(std::move(raw)); }
  WorkerState(const WorkerState&) = delete;
  WorkerState& operator=(const WorkerState&) = delete;
  TileEvaluator evaluator;
  std::vector<std::byte> scratch;
  // Reused: the tile as solved, before encoding (and all of it when not writing); its warm
  // buffers go on to the next run.
  std::unique_ptr<TileResult> raw = TileWriter::spare_tile();
};

// Counts a tile as in flight while a worker holds it (RunOptions::tiles_in_flight).
class InFlight {
 public:
  explicit InFlight(std::atomic<std::size_t>* count) : count_(count) {
    if (count_) count_->fetch_add(1);
  }
  ~InFlight() {
    if (count_) count_->fetch_sub(1);
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<std::size_t>* count_;
};

// What the phases share: the summary they fill, the sink, and how the sink must be closed.
struct Run {
  const RunPlan& plan;
  RunSummary summary;
  std::unique_ptr<OutputLock> lock;  // one writer per output, for the whole run (released after the sink closes)
  std::unique_ptr<CubeSink> sink;
  enum class Close { finish, abandon, after_failure } close = Close::finish;
  std::chrono::steady_clock::time_point start;

  bool ended() const { return summary.outcome != RunSummary::Outcome::completed; }
  void end(RunSummary::Outcome outcome, std::string message, Close how) {
    summary.outcome = outcome;
    summary.message = std::move(message);
    close = how;
  }
};

// Opens the sink (or learns that there is nothing to do). Without output, every tile is to do.
void open_or_resume(Run& run) {
  const RunPlan& plan = run.plan;
  if (!plan.write_output) return;
  try {
    run.lock = OutputLock::acquire(plan.output_path);
  } catch (const OutputLocked& e) {
    run.end(RunSummary::Outcome::refused, e.what(), Run::Close::abandon);
    return;
  }
  try {
    OpenedCube opened = open_hdf5_cube(plan);
    run.summary.tiles_resumed = opened.tiles_resumed;
    run.summary.tiles_merged = opened.tiles_merged;
    run.summary.tiles_damaged = opened.tiles_damaged;
    if (opened.already_complete) {
      run.end(RunSummary::Outcome::already_complete,
              fmt::format("{} is already complete; nothing to do", plan.output_path), Run::Close::finish);
      return;
    }
    run.sink = std::move(opened.sink);
  } catch (const OutputRefused& e) {
    run.end(RunSummary::Outcome::refused, e.what(), Run::Close::abandon);
  } catch (const std::exception& e) {
    run.end(RunSummary::Outcome::failed, fmt::format("{}; the earlier file (if any) is unchanged", e.what()),
            Run::Close::abandon);
  }
}

// Lossy storage where the spec asks for it; before encoding, so the codec sees the zeroed bits.
void quantize_chunks(const CubeLayout& layout, TileResult& tile) {
  for (std::size_t v = 0; v < layout.variables.size(); ++v)
    if (const int bits = layout.variables[v].bitround_bits; bits > 0) {
      auto& chunk = tile.chunks[v];
      bitround(std::span<std::byte>(chunk), bits);
    }
}

// Solves every tile not yet done, encodes it in the worker and queues it for the writer thread.
void solve_tiles(Run& run) {
  const RunPlan& plan = run.plan;
  RunSummary& summary = run.summary;
  std::vector<std::size_t> todo;
  std::size_t points_resumed = 0;
  for (std::size_t t = 0; t < plan.grid.tile_count(); ++t) {
    if (!plan.owns(t)) continue;
    if (run.sink && run.sink->tiles_done()[t]) points_resumed += plan.grid.points_in_tile(t);
    else todo.push_back(t);
  }
  std::size_t points_owned = summary.points_total;
  if (plan.sharded()) {
    points_owned = 0;
    for (std::size_t t = plan.run.shard_index; t < plan.grid.tile_count(); t += plan.run.shard_count)
      points_owned += plan.grid.points_in_tile(t);
  }

  ProgressReporter progress(plan.run.progress, points_owned - points_resumed, plan.run.progress_interval_s);
  if (plan.points_done) plan.points_done->store(points_resumed);
  tbb::enumerable_thread_specific<std::unique_ptr<WorkerState>> workers;
  std::unique_ptr<TileWriter> writer;
  if (run.sink)
    writer = std::make_unique<TileWriter>(*run.sink, plan.run.commit_interval_s,
                                          2 * static_cast<std::size_t>(plan.run.threads) + 2);

  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::string worker_error;
  std::atomic<std::size_t> tiles_computed{0}, points_computed{0};
  std::atomic<std::int64_t> iterations{0};
  std::atomic<std::size_t> counts[4] = {0, 0, 0, 0};

  tbb::task_arena arena(plan.run.threads);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, todo.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t k = range.begin(); k != range.end(); ++k) {
            if (stop.load(std::memory_order_relaxed) || (writer && writer->failed()) ||
                (plan.stop_requested && plan.stop_requested->load(std::memory_order_relaxed)))
              return;
            try {
              const InFlight in_flight(plan.tiles_in_flight);
              auto& state = workers.local();
              if (!state) {
                state = std::make_unique<WorkerState>(*plan.spec, plan.grid);
                if (writer) state->evaluator.take_raw_checksums(plan.raw_checksums);
              }
              // Chunks a codec leaves in place (raw, a checksum appended) go straight into a
              // pooled tile; others are solved into the worker's buffer and encoded into the
              // pooled one.
              const bool in_place = plan.codec->appends_in_place();
              std::unique_ptr<TileResult> owned;
              TileResult* tile = state->raw.get();
              if (writer && in_place) {
                owned = writer->recycled();
                tile = owned.get();
              }
              state->evaluator.evaluate(todo[k], *tile);
              quantize_chunks(plan.layout, *tile);
              if (writer && in_place)
                for (std::size_t v = 0; v < tile->chunks.size(); ++v)
                  plan.codec->encode_in_place(tile->chunks[v], plan.element_sizes[v], tile->raw_checksums[v]);
              if (writer && !in_place) {
                owned = writer->recycled();
                owned->chunks.resize(tile->chunks.size());
                for (std::size_t v = 0; v < tile->chunks.size(); ++v)
                  plan.codec->encode(tile->chunks[v], plan.element_sizes[v], state->scratch, owned->chunks[v]);
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
              if (plan.points_done) plan.points_done->fetch_add(tile->points);
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

  if (writer && writer->failed()) {
    run.end(RunSummary::Outcome::failed,
            fmt::format("writing the cube failed: {}. The {} tiles committed before the failure are kept in {}; free "
                        "space or fix the cause and rerun the same command to resume",
                        writer->error(), summary.tiles_resumed + writer->tiles_written(), plan.output_path),
            Run::Close::after_failure);
  } else if (!worker_error.empty()) {
    run.end(RunSummary::Outcome::failed, fmt::format("a solver raised an error: {}", worker_error), Run::Close::abandon);
  } else if (plan.stop_requested && plan.stop_requested->load()) {
    run.end(RunSummary::Outcome::interrupted,
            fmt::format("interrupted; finished tiles are kept in {}, rerun the same command to resume", plan.output_path),
            Run::Close::abandon);
  }
}

// Analyses need the whole grid: a shard leaves them to the merge, a partial merge to the run
// that completes it.
void analyses(Run& run) {
  const RunPlan& plan = run.plan;
  if (!run.sink || plan.spec->analysis_count() == 0) return;
  if (plan.sharded()) {
    run.summary.analyses.push_back(
        fmt::format("{} analyses (thresholds, region maps, sensitivity indices) run after the merge, on the whole grid",
                    plan.spec->analysis_count()));
    return;
  }
  const auto& done = run.sink->tiles_done();
  if (std::find(done.begin(), done.end(), 0) != done.end()) return;
  try {
    run.summary.analyses = run_analyses(run.plan, *run.sink);
  } catch (const std::exception& e) {
    run.end(RunSummary::Outcome::failed,
            fmt::format("the sweep is complete but an analysis (thresholds, region maps, sensitivity indices) failed: {}", e.what()),
            Run::Close::after_failure);
  }
}

// After a merge: a cube that lacks tiles stays open for a later run to complete (and analyse).
void check_merged(Run& run) {
  if (!run.sink) return;
  const auto& done = run.sink->tiles_done();
  const auto missing = static_cast<std::size_t>(std::count(done.begin(), done.end(), 0));
  if (missing == 0) return;
  run.summary.message = fmt::format(
      "partial merge: {} of {} tiles are missing; `eqsweep run {} -o {}` computes them and runs the analyses",
      missing, done.size(), run.plan.spec->path, run.plan.output_path);
  run.close = Run::Close::abandon;
}

// Closes the sink the way the outcome requires; a complete run gets its end provenance.
void finalize(Run& run) {
  if (!run.sink) return;
  switch (run.close) {
    case Run::Close::abandon: run.sink->abandon(); return;
    case Run::Close::after_failure: run.sink->close_after_failure(); return;
    case Run::Close::finish: break;
  }
  try {
    run.sink->finish({}, {{"threads", run.summary.threads}, {"wall_seconds", run.summary.wall_seconds}});
  } catch (const std::exception& e) {
    run.summary.outcome = RunSummary::Outcome::failed;
    run.summary.message = fmt::format("all tiles are written but stamping provenance failed: {}", e.what());
  }
}

// The status of every point of the cube, resumed or computed now, for the summary and the exit
// code: read back tile by tile once the file is closed. Without a file, the points computed now.
void count_cube_status(Run& run, bool has_file) {
  RunSummary& summary = run.summary;
  summary.max_failed_fraction = run.plan.run.max_failed_fraction;
  std::copy(std::begin(summary.status_counts), std::end(summary.status_counts), summary.cube_status);
  summary.cube_status[3] = summary.points_total - std::min(summary.points_total, summary.points_computed);
  if (!has_file) return;
  try {
    const auto counts = cube_status_counts(run.plan.output_path);
    std::copy(counts.begin(), counts.end(), summary.cube_status);
  } catch (const std::exception& e) {
    if (summary.ok()) {
      summary.outcome = RunSummary::Outcome::failed;
      summary.message = fmt::format("the cube was written but reading its status back failed: {}", e.what());
    }
  }
}

}  // namespace

RunSummary run_sweep(const SweepSpec& spec, const RunOptions& options) {
  keep_freed_memory_in_process();
  const auto start = std::chrono::steady_clock::now();
  try {
    const RunPlan plan = make_run_plan(spec, options);
    Run run{.plan = plan, .summary = {}, .lock = nullptr, .sink = nullptr, .close = Run::Close::finish, .start = start};
    RunSummary& summary = run.summary;
    summary.outcome = RunSummary::Outcome::completed;
    summary.output_path = plan.output_path;
    summary.fingerprint = plan.fingerprint;
    summary.threads = plan.run.threads;
    summary.tiles_total = plan.grid.tile_count();
    summary.points_total = plan.grid.point_count();
    if (plan.sharded())
      summary.shard = fmt::format("shard {} of {}{} into {}", plan.run.shard_index, plan.run.shard_count,
                                  plan.run.shard_source.empty() ? "" : fmt::format(" (from {})", plan.run.shard_source),
                                  plan.output_path);

    open_or_resume(run);
    if (!run.ended() && plan.compute) solve_tiles(run);
    summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!run.ended() && !plan.compute) check_merged(run);
    if (!run.ended()) analyses(run);
    const bool has_file = run.sink != nullptr || summary.outcome == RunSummary::Outcome::already_complete;
    finalize(run);
    run.sink.reset();
    count_cube_status(run, has_file);
    return std::move(run.summary);
  } catch (const std::exception& e) {
    // Only what the phases do not catch themselves: a failure to plan (e.g. out of memory).
    RunSummary summary;
    summary.outcome = RunSummary::Outcome::failed;
    summary.output_path = options.output_path;
    summary.message = e.what();
    summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
  }
}

std::string RunSummary::summary() const {
  if (outcome == Outcome::refused) return "REFUSED: " + message;
  std::string text;
  switch (outcome) {
    case Outcome::completed: text = "completed"; break;
    case Outcome::already_complete: text = "already complete"; break;
    case Outcome::interrupted: text = "interrupted"; break;
    case Outcome::failed: text = "FAILED"; break;
    case Outcome::refused: break;
  }
  text += fmt::format(": {} points in {} tiles ({} resumed, {}{} computed now) with {} threads in {:.3f} s", points_total,
                      tiles_total, tiles_resumed, tiles_merged ? fmt::format("{} merged, ", tiles_merged) : "",
                      tiles_computed, threads, wall_seconds);
  if (!shard.empty()) text += fmt::format("\n  {}", shard);
  if (tiles_damaged > 0)
    text += fmt::format("\n  {} finished tiles of the earlier file failed their checksum and were recomputed", tiles_damaged);
  if (points_computed > 0)
    text += fmt::format("\n  {:.4g} points/s; status of computed points: {} solved, {} infeasible, {} failed",
                        static_cast<double>(points_computed) / wall_seconds, status_counts[0], status_counts[1],
                        status_counts[2]);
  const std::size_t counted = cube_status[0] + cube_status[1] + cube_status[2] + cube_status[3];
  if (counted > 0)
    text += fmt::format("\n  status of the cube's {} points: {} solved, {} infeasible, {} failed, {} not computed", counted,
                        cube_status[0], cube_status[1], cube_status[2], cube_status[3]);
  for (const auto& a : analyses) text += "\n  " + a;
  if (!message.empty()) text += "\n  " + message;
  if (too_many_failed())
    text += fmt::format(
        "\n  {} of {} points failed ({:.3g}%), more than run.max_failed_fraction = {:g} allows (exit code 3). The cube is "
        "kept; its `status` variable marks them (2 = failed). Where failures are expected, allow them in the spec: "
        "[run] max_failed_fraction = ...",
        cube_status[2], points_total, 100.0 * static_cast<double>(cube_status[2]) / static_cast<double>(points_total),
        max_failed_fraction);
  return text;
}

bool RunSummary::too_many_failed() const {
  return ok() && cube_status[2] > 0 &&
         static_cast<double>(cube_status[2]) > max_failed_fraction * static_cast<double>(points_total);
}

}  // namespace eqsweep
