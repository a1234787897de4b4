#pragma once
// A design's parameters in the cube: one f64 coordinate per design parameter along the `point`
// dimension, written at creation, and named in every variable's CF `coordinates` attribute so
// that xarray attaches them (ds.sel / ds.plot by parameter value).

#include "engine/cube_file.hpp"
#include "engine/sweep_spec.hpp"

namespace eqsweep {

void add_design_coordinates(const SweepSpec& spec, CubeLayout& layout);

}  // namespace eqsweep
