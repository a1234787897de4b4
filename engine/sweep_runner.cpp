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
#include "engine/cube_sink.hpp"
#include "engine/hdf5_cube_sink.hpp"
#include "engine/progress.hpp"
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
  TileEvaluator evaluator;
  std::vector<std::byte> scratch;
  TileResult raw;  // reused: the tile as solved, before encoding (and all of it when not writing)
};

// What the phases share: the summary they fill, the sink, and how the sink must be closed.
struct Run {
  const RunPlan& plan;
  RunSummary summary;
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
    OpenedCube opened = open_hdf5_cube(plan);
    run.summary.tiles_resumed = opened.tiles_resumed;
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

// Solves every tile not yet done, encodes it in the worker and queues it for the writer thread.
void solve_tiles(Run& run) {
  const RunPlan& plan = run.plan;
  RunSummary& summary = run.summary;
  std::vector<std::size_t> todo;
  std::size_t points_resumed = 0;
  for (std::size_t t = 0; t < plan.grid.tile_count(); ++t) {
    if (run.sink && run.sink->tiles_done()[t]) points_resumed += plan.grid.points_in_tile(t);
    else todo.push_back(t);
  }

  ProgressReporter progress(plan.run.progress, summary.points_total - points_resumed, plan.run.progress_interval_s);
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
              auto& state = workers.local();
              if (!state) state = std::make_unique<WorkerState>(*plan.spec, plan.grid);
              // Chunks a codec leaves as they are go straight into a pooled tile; others are
              // solved into the worker's buffer and encoded into the pooled one.
              std::unique_ptr<TileResult> owned;
              TileResult* tile = &state->raw;
              if (writer && plan.codec->identity()) {
                owned = writer->recycled();
                tile = owned.get();
              }
              state->evaluator.evaluate(todo[k], *tile);
              if (writer && !plan.codec->identity()) {
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
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run.start).count();

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

void analyses(Run& run) {
  if (!run.sink || run.plan.spec->analysis_count() == 0) return;
  try {
    run.summary.analyses = run_analyses(run.plan, *run.sink);
  } catch (const std::exception& e) {
    run.end(RunSummary::Outcome::failed,
            fmt::format("the sweep is complete but an analysis (thresholds, region maps) failed: {}", e.what()),
            Run::Close::after_failure);
  }
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

}  // namespace

RunSummary run_sweep(const SweepSpec& spec, const RunOptions& options) {
  keep_freed_memory_in_process();
  const auto start = std::chrono::steady_clock::now();
  try {
    const RunPlan plan = make_run_plan(spec, options);
    Run run{.plan = plan, .summary = {}, .sink = nullptr, .close = Run::Close::finish, .start = start};
    RunSummary& summary = run.summary;
    summary.outcome = RunSummary::Outcome::completed;
    summary.output_path = plan.output_path;
    summary.fingerprint = plan.fingerprint;
    summary.threads = plan.run.threads;
    summary.tiles_total = plan.grid.tile_count();
    summary.points_total = plan.grid.point_count();

    open_or_resume(run);
    if (!run.ended()) solve_tiles(run);
    if (!run.ended()) analyses(run);
    finalize(run);
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
