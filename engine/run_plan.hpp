#pragma once
// Everything a run derives from its spec and options, computed once before any work and then
// only read: the cube layout, fingerprints, tile grid, codec, thread count and run settings.
// The phases of engine/sweep_runner.cpp take the plan and never recompute any of it.

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/chunk_codec.hpp"
#include "engine/cube_file.hpp"
#include "engine/progress.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"

namespace eqsweep {

// What a program that calls run_sweep decides besides the spec. The CLI sets only the output
// and the stop flag (its flags become spec settings through --set); tests and benchmarks use the
// overrides to run one spec in several ways.
struct RunOptions {
  std::string output_path;
  bool write_output = true;  // false: solve only (benchmarks of the compute path)
  const std::atomic<bool>* stop_requested = nullptr;  // e.g. set by a SIGINT handler
  // Kept up to date by the run: tiles handed to workers and not yet finished. A signal handler
  // may read it (a lock-free atomic) to say how many tiles it waits for.
  std::atomic<std::size_t>* tiles_in_flight = nullptr;
  // Kept up to date by the run: points of this run's share of the cube that are finished (resumed
  // tiles included), for a progress display of the caller's own (the Python module's tqdm bar).
  std::atomic<std::size_t>* points_done = nullptr;

  // Overrides of the spec's run settings (RunSettings); unset: the spec's value.
  int threads = 0;  // 0: the spec's run.threads, and if that is 0 too, all cores
  bool overwrite = false;  // true: overwrite even where the spec does not say so
  std::optional<ProgressMode> progress;
  std::optional<double> progress_interval_s;
  std::optional<double> commit_interval_s;

  // Merging (eqsweep merge): cubes whose finished tiles are copied into the output, byte for byte.
  std::vector<std::string> sources;
  bool compute = true;  // false: solve no tile; only copy from sources (and run the analyses if complete)
  bool partial_merge = false;  // accept missing shards and unfinished tiles in the sources
};

struct RunPlan {
  const SweepSpec* spec = nullptr;
  std::string output_path;
  bool write_output = true;
  const std::atomic<bool>* stop_requested = nullptr;
  std::atomic<std::size_t>* tiles_in_flight = nullptr;  // see RunOptions
  std::atomic<std::size_t>* points_done = nullptr;      // see RunOptions

  std::string fingerprint;
  std::string analysis_fingerprint;
  CubeLayout layout;  // provenance attributes included, except what the open phase adds (created)
  TileGrid grid;
  std::shared_ptr<const ChunkCodec> codec;
  std::vector<std::size_t> element_sizes;  // per layout variable, in dataset order
  // Per layout variable: workers may take its chunk's Fletcher-32 while solving (the codec
  // appends the raw chunk's checksum and the chunk is not quantized after the solve). Empty when
  // the codec computes every checksum itself.
  std::vector<bool> raw_checksums;
  RunSettings run;  // the spec's, with the options' overrides and threads resolved (> 0)
  std::vector<std::string> sources;  // see RunOptions
  bool compute = true;
  bool partial_merge = false;

  bool sharded() const { return run.shard_count > 1; }
  // Whether this run computes tile t: round-robin over the shards balances a sweep whose
  // expensive region is contiguous.
  bool owns(std::size_t tile) const { return tile % run.shard_count == run.shard_index; }
};

RunPlan make_run_plan(const SweepSpec& spec, const RunOptions& options);

}  // namespace eqsweep
