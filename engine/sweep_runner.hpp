#pragma once
// Runs a validated sweep: tiles scheduled by oneTBB over a task_arena, solved (with
// continuation along one axis), encoded in the workers, written by one HDF5 writer thread fed
// through a bounded queue, committed crash-safely, resumable.

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include "engine/cube_file.hpp"
#include "engine/progress.hpp"
#include "engine/sweep_spec.hpp"

namespace eqsweep {

struct RunOptions {
  std::string output_path;
  int threads = 0;  // 0: the spec's run.threads, and if that is 0 too, all cores
  bool overwrite = false;  // replace an existing file instead of resuming it
  bool write_output = true;  // false: solve only (benchmarks of the compute path)
  ProgressMode progress = ProgressMode::automatic;
  double progress_interval_s = 10.0;  // between plain progress lines
  double commit_interval_s = 0.5;     // how often finished tiles are made durable
  const std::atomic<bool>* stop_requested = nullptr;  // e.g. set by a SIGINT handler
};

struct RunSummary {
  enum class Outcome { completed, already_complete, interrupted, failed };
  Outcome outcome = Outcome::failed;
  std::string message;  // why it failed, in words
  std::string output_path;
  std::string fingerprint;
  int threads = 0;
  std::size_t tiles_total = 0, tiles_resumed = 0, tiles_computed = 0;
  std::size_t points_total = 0, points_computed = 0;
  std::size_t status_counts[4] = {0, 0, 0, 0};  // of the points computed in this run
  std::int64_t iterations = 0;
  double wall_seconds = 0;
  std::vector<std::string> analyses;  // one line per threshold located in this run

  bool ok() const { return outcome == Outcome::completed || outcome == Outcome::already_complete; }
  std::string summary() const;  // a few human-readable lines
};

// Builds the HDF5 layout (coordinates, variables, provenance) that a spec produces.
CubeLayout cube_layout(const SweepSpec& spec);

RunSummary run_sweep(const SweepSpec& spec, const RunOptions& options);

// Checks, before any work, that `path` can be created or resumed with this spec; throws
// std::runtime_error with a message naming the file otherwise.
void check_output_path(const SweepSpec& spec, const std::string& path, bool overwrite);

}  // namespace eqsweep
