#pragma once
// A readable description of a cube for `eqsweep info`: axes, variables, progress, provenance.

#include <string>

namespace eqsweep {

std::string describe_cube(const std::string& path);

}  // namespace eqsweep
