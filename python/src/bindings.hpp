#pragma once
// The C++ half of the `eqsweep` Python module (_eqsweep): one file per job, each adding its
// functions to the module. The pure-Python package (python/eqsweep/) wraps them in the public API.

#include <pybind11/pybind11.h>

namespace eqsweep::python {

void add_describe(pybind11::module_& m);  // models(), describe()
void add_solve(pybind11::module_& m);     // solve() of one point
void add_run(pybind11::module_& m);       // run() of a whole spec

// The spec error type registered with Python (eqsweep.SpecError, a ValueError), so that bad
// input raises the same message naming file, key and allowed range as `eqsweep run` prints.
pybind11::object spec_error_type();

}  // namespace eqsweep::python
