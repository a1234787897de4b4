#pragma once
// Runs a validated sweep. The run is a plan computed once (engine/run_plan.hpp) and four
// phases, each a function with one job:
//
//   open_or_resume  the sink for the output: a new cube, or the unfinished one resumed
//   solve_tiles     tiles scheduled by oneTBB over a task_arena, solved (with continuation along
//                   one axis), encoded in the workers, written by one writer thread
//   analyses        thresholds and region maps on the finished grid
//   finalize        close the sink as the outcome requires, stamp the end provenance
//
// Every failure, from a refused output path to a full disk, ends as an outcome and a message
// in the summary; run_sweep does not throw.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/cube_layout.hpp"
#include "engine/run_plan.hpp"
#include "engine/sweep_spec.hpp"

namespace eqsweep {

struct RunSummary {
  enum class Outcome {
    completed,
    already_complete,
    interrupted,
    failed,   // work started and could not finish; what was committed is kept
    refused,  // the output path cannot be used (see message); nothing was done or touched
  };
  Outcome outcome = Outcome::failed;
  std::string message;  // why it failed, in words
  std::string output_path;
  std::string fingerprint;
  int threads = 0;
  std::size_t tiles_total = 0, tiles_resumed = 0, tiles_merged = 0, tiles_computed = 0;
  std::size_t tiles_damaged = 0;  // finished in the earlier file but failed their checksum: recomputed
  std::string shard;  // "shard K of N (from ...) into FILE" for a sharded run
  std::size_t points_total = 0, points_computed = 0;
  std::size_t status_counts[4] = {0, 0, 0, 0};  // of the points computed in this run
  // Of the whole cube (resumed and computed; unfinished tiles count as not computed), by PointStatus.
  std::size_t cube_status[4] = {0, 0, 0, 0};
  double max_failed_fraction = 0;  // run.max_failed_fraction of the spec
  std::int64_t iterations = 0;
  double wall_seconds = 0;
  std::vector<std::string> analyses;  // one line per analysis run now

  bool ok() const { return outcome == Outcome::completed || outcome == Outcome::already_complete; }
  // More of the cube's points failed than run.max_failed_fraction allows (`eqsweep run` exits 3).
  bool too_many_failed() const;
  std::string summary() const;  // a few human-readable lines
};

RunSummary run_sweep(const SweepSpec& spec, const RunOptions& options);

}  // namespace eqsweep
