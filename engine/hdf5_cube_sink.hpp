#pragma once
// The HDF5 cube as a CubeSink, and the open-or-resume step that decides what a run writes into.

#include <memory>
#include <string>

#include "engine/cube_sink.hpp"
#include "engine/run_plan.hpp"

namespace eqsweep {

// Why a run cannot use its output path (missing or unwritable directory, a file that is not a
// cube, a cube of another spec). Raised before any work and before the file is touched.
class OutputRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OpenedCube {
  std::unique_ptr<CubeSink> sink;  // null when the cube is already complete
  std::size_t tiles_resumed = 0;  // kept from the cube at the output path
  std::size_t tiles_merged = 0;   // copied from merge sources
  std::size_t tiles_damaged = 0;  // finished there, but a chunk failed its checksum: recomputed now
  bool already_complete = false;
};

// Checks the output path against the plan (throws OutputRefused naming the file and, for a cube
// of a different spec, the keys that differ), then creates the cube or resumes the one there.
// A resume builds the new file beside the old one and swaps it in once it holds every finished
// tile, so a kill at any moment leaves the old file or the new one, never less.
OpenedCube open_hdf5_cube(const RunPlan& plan);

}  // namespace eqsweep
