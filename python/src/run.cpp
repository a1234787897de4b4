// run(): a whole spec through run_sweep, in the engine's threads. The sweep runs on a thread of
// its own while the calling (main) thread waits with the GIL released, waking every `interval`
// seconds to report progress and to let Python run its signal handlers: a KeyboardInterrupt sets
// the same stop flag the CLI's SIGINT handler sets, the tiles in flight are finished and
// committed, and the interrupt is raised once the sweep has stopped (a rerun resumes).

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "engine/size_estimate.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/tile_grid.hpp"
#include "models/registry.hpp"
#include "python/src/bindings.hpp"

namespace py = pybind11;

namespace eqsweep::python {

namespace {

const char* outcome_name(RunSummary::Outcome o) {
  switch (o) {
    case RunSummary::Outcome::completed: return "completed";
    case RunSummary::Outcome::already_complete: return "already_complete";
    case RunSummary::Outcome::interrupted: return "interrupted";
    case RunSummary::Outcome::failed: return "failed";
    case RunSummary::Outcome::refused: return "refused";
  }
  return "failed";
}

py::dict summary_dict(const RunSummary& s) {
  py::dict d;
  d["outcome"] = outcome_name(s.outcome);
  d["ok"] = s.ok();
  d["too_many_failed"] = s.too_many_failed();
  d["message"] = s.message;
  d["output_path"] = s.output_path;
  d["fingerprint"] = s.fingerprint;
  d["threads"] = s.threads;
  d["tiles_total"] = s.tiles_total;
  d["tiles_resumed"] = s.tiles_resumed;
  d["tiles_computed"] = s.tiles_computed;
  d["points_total"] = s.points_total;
  d["points_computed"] = s.points_computed;
  d["cube_status"] = std::vector<std::size_t>(std::begin(s.cube_status), std::end(s.cube_status));
  d["wall_seconds"] = s.wall_seconds;
  d["analyses"] = s.analyses;
  d["summary"] = s.summary();
  return d;
}

SweepSpec read_spec(const std::string& text, const std::string& path,
                    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<SpecOverride> list;
  for (const auto& [key, value] : overrides) list.push_back({key, value, fmt::format("{}={}", key, value)});
  return text.empty() ? load_spec(path, builtin_models(), list) : parse_spec(text, path, builtin_models(), list);
}

// Points this run's share of the grid holds (a shard owns every shard_count-th tile).
std::size_t points_owned(const SweepSpec& spec) {
  if (spec.shard_count <= 1) return spec.point_count();
  const TileGrid grid(spec.shape(), spec.chunk);
  std::size_t n = 0;
  for (std::size_t t = spec.shard_index; t < grid.tile_count(); t += spec.shard_count) n += grid.points_in_tile(t);
  return n;
}

py::dict run_spec(const std::string& text, const std::string& path, const std::string& output,
                  const std::vector<std::pair<std::string, std::string>>& overrides, int threads,
                  const std::optional<py::function>& progress, double interval, bool dry_run) {
  const SweepSpec spec = read_spec(text, path, overrides);
  const SizeEstimate estimate = estimate_size(spec, 0);
  const auto over = size_limit_exceeded(spec, estimate, output);
  if (dry_run || (over && !spec.force)) {
    py::dict d;
    d["outcome"] = dry_run ? "dry_run" : "refused";
    d["ok"] = dry_run && !(over && !spec.force);
    d["message"] = over ? *over + " (set run.force = true to run anyway)" : std::string();
    d["estimate"] = estimate.describe();
    d["output_path"] = output;
    return d;
  }

  std::atomic<bool> stop{false};
  std::atomic<std::size_t> in_flight{0}, done{0};
  RunOptions options;
  options.output_path = output;
  options.threads = threads;
  options.stop_requested = &stop;
  options.tiles_in_flight = &in_flight;
  options.points_done = &done;
  options.progress = ProgressMode::none;  // the caller shows progress (a tqdm bar) through `progress`
  const std::size_t total = points_owned(spec);

  std::packaged_task<RunSummary()> task([&] { return run_sweep(spec, options); });
  std::future<RunSummary> result = task.get_future();
  std::thread worker(std::move(task));
  std::optional<py::error_already_set> interrupt;
  const auto wait = std::chrono::duration<double>(interval);
  for (;;) {
    bool finished;
    {
      py::gil_scoped_release release;
      finished = result.wait_for(wait) == std::future_status::ready;
    }
    try {
      if (progress) (*progress)(done.load(), total);
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    } catch (py::error_already_set& e) {
      // The first error (Ctrl-C, or a progress callback raising) stops the sweep; later ones while
      // the tiles in flight finish are dropped: no thread may be abandoned while it writes the cube.
      stop = true;
      if (!interrupt) interrupt.emplace(std::move(e));
    }
    if (finished) break;
  }
  {
    py::gil_scoped_release release;
    worker.join();
  }
  const RunSummary summary = result.get();
  if (interrupt) throw std::move(*interrupt);
  return summary_dict(summary);
}

}  // namespace

void add_run(py::module_& m) {
  m.def("run_spec", &run_spec, py::arg("text"), py::arg("path"), py::arg("output"),
        py::arg("overrides") = std::vector<std::pair<std::string, std::string>>{}, py::arg("threads") = 0,
        py::arg("progress") = std::nullopt, py::arg("interval") = 0.2, py::arg("dry_run") = false,
        "Runs a spec (TOML `text`, or the file at `path` when text is empty) into `output`; overrides are "
        "(key, TOML value) pairs as `--set` takes them. `progress(done, total)` is called from the calling "
        "thread every `interval` seconds. Returns the run summary as a dict; raises KeyboardInterrupt after "
        "a Ctrl-C has stopped the run cleanly.");
}

}  // namespace eqsweep::python
