#include <pybind11/pybind11.h>

#include "engine/sweep_spec.hpp"
#include "eqsweep/version.hpp"
#include "python/src/bindings.hpp"

namespace py = pybind11;

namespace eqsweep::python {

namespace {
py::object g_spec_error;
}

py::object spec_error_type() { return g_spec_error; }

}  // namespace eqsweep::python

PYBIND11_MODULE(_eqsweep, m) {
  m.doc() = "C++ core of the eqsweep Python module: the engine's models, solvers and sweep runner.";
  m.attr("__version__") = std::string(eqsweep::kVersion);
  m.attr("git_revision") = std::string(eqsweep::kGitRevision);
  eqsweep::python::g_spec_error = py::register_exception<eqsweep::SpecError>(m, "SpecError", PyExc_ValueError);
  eqsweep::python::add_describe(m);
  eqsweep::python::add_solve(m);
  eqsweep::python::add_run(m);
}
