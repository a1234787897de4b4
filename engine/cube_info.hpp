#pragma once
// A readable description of a cube for `eqsweep info`: axes, variables, progress, provenance.

#include <array>
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace eqsweep {

std::string describe_cube(const std::string& path);

// The same description as data, for `eqsweep info --json` and scripts: absent attributes are null.
nlohmann::ordered_json cube_info_json(const std::string& path);

// The points of a cube by status (solved, infeasible, failed, not computed: PointStatus order)
// over the whole grid: finished tiles as stored, unfinished ones as not computed. Reads one tile
// at a time, so memory stays that of one tile however large the cube.
std::array<std::size_t, 4> cube_status_counts(const std::string& path);

}  // namespace eqsweep
