#pragma once
// Sharded runs: shard K of N computes the tiles t with t mod N = K into its own ordinary,
// resumable cube beside the output; `eqsweep merge` copies the shards' chunks into one cube
// that equals a single-machine run in every dataset (docs/cluster.md).

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "engine/cube_file.hpp"
#include "engine/model.hpp"
#include "engine/run_plan.hpp"
#include "engine/sweep_spec.hpp"

namespace eqsweep {

// out/cube.h5 -> out/cube.shard-K-of-N.h5
std::string shard_path(const std::string& output, std::size_t index, std::size_t count);

// The spec a cube was written from (its stored text, path and overrides), read again so that a
// merge lays out and analyses the merged cube exactly as a run of that spec would. Throws
// std::runtime_error naming the cube when the text no longer gives the cube's fingerprint
// (e.g. a network file the model reads has changed).
SweepSpec load_spec_from_cube(const std::string& cube_path, const ModelCatalog& catalog);

struct MergeSource {
  std::string path;
  std::unique_ptr<CubeReader> reader;
  std::size_t index = 0, count = 0;  // shard K of N
  std::size_t tiles_done = 0;
};

// Opens and checks the plan's sources: each a shard of the plan's spec (same fingerprint), all of
// one N, no shard twice, every finished tile finished by its owner. Unless plan.partial_merge, also that
// every shard is there and finished. Throws OutputRefused (engine/hdf5_cube_sink.hpp) listing
// what is wrong, before anything is written.
std::vector<MergeSource> open_merge_sources(const RunPlan& plan);

}  // namespace eqsweep
