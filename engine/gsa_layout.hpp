#pragma once
// The datasets of the global sensitivity analyses in the cube (engine/gsa.hpp): allocated at
// creation over the grid axes beside the design and the `design_parameter` index dimension.

#include "engine/cube_file.hpp"
#include "engine/sweep_spec.hpp"

namespace eqsweep {

void add_gsa_datasets(const SweepSpec& spec, CubeLayout& layout);

}  // namespace eqsweep
