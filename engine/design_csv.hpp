#pragma once
// The points of a `list` design, read from a CSV file whose header names model parameters (a
// Dakota list study). Every field is checked against its parameter's domain before any work;
// a bad field is named by file:line:column.

#include <string>
#include <vector>

#include "engine/model.hpp"

namespace eqsweep {

struct DesignTable {
  std::vector<std::string> names;  // the header, in file order
  std::vector<int> parameters;     // index into the model's parameters, per column
  std::vector<double> values;      // row-major rows × columns
};

// Throws SpecError (engine/sweep_spec.hpp) whose file is `path` and whose line is the row's.
DesignTable read_design_csv(const std::string& path, const Model& model);

}  // namespace eqsweep
