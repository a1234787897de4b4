// solve(): one point through the solver a sweep would use. The point arrives as a one-point spec,
// so that its model, variant, options and parameters are validated by the spec reader, with the
// same messages as a spec file.

#include <cmath>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"
#include "python/src/bindings.hpp"

namespace py = pybind11;

namespace eqsweep::python {

namespace {

// The word for a status, from the same list the cube's flag_meanings attribute holds.
std::string status_name(PointStatus status) {
  std::string_view words = kPointStatusMeanings;
  for (int i = 0; i < static_cast<int>(status); ++i) words.remove_prefix(words.find(' ') + 1);
  return std::string(words.substr(0, words.find(' ')));
}

py::dict solve_one_point(const std::string& text, const std::string& path) {
  const SweepSpec spec = parse_spec(text, path, builtin_models());
  if (spec.point_count() != 1) throw std::invalid_argument("solve() takes one point; use run() for a grid");
  std::vector<double> params = spec.fixed;
  for (const auto& axis : spec.axes) params[static_cast<std::size_t>(axis.parameter)] = axis.values.front();

  const Model& model = *spec.model;
  std::vector<double> outputs(model.outputs().size(), kNaN);
  PointResult result;
  {
    py::gil_scoped_release release;
    SolverSetup setup = spec.solver_setup();
    setup.needed_outputs.assign(model.outputs().size(), true);
    const auto solver = model.make_solver(setup);
    // The engine's cold start of a point: a batch for models without continuation state, the
    // first point of a continuation line otherwise.
    if (model.warm_start_size() > 0) {
      std::vector<double> warm_out(model.warm_start_size());
      result = solver->solve_point(params.data(), 1, outputs.data(), 1, {}, warm_out);
    } else {
      BatchView batch{.size = 1, .stride = 1, .params = params.data(), .outputs = outputs.data(), .results = &result};
      solver->solve_batch(batch);
    }
  }
  py::dict out;
  for (std::size_t o = 0; o < outputs.size(); ++o) out[py::str(model.outputs()[o].name)] = outputs[o];
  out["status"] = status_name(result.status);
  out["iterations"] = result.iterations;
  out["residual"] = result.residual;
  py::dict point;
  for (std::size_t p = 0; p < params.size(); ++p) point[py::str(model.parameters()[p].name)] = params[p];
  out["parameters"] = point;
  return out;
}

}  // namespace

void add_solve(py::module_& m) {
  m.def("solve_spec", &solve_one_point, py::arg("text"), py::arg("path"),
        "Solves the one point of a one-point spec (TOML text; `path` names it in messages and resolves "
        "relative files); returns every output, status, iterations, residual and the parameters used.");
}

}  // namespace eqsweep::python
