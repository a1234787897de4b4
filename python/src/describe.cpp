// models() and describe(): a model's declarations (engine/model.hpp) as plain Python data.

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pybind11/stl.h>

#include "models/registry.hpp"
#include "python/src/bindings.hpp"
#include "python/src/model_lookup.hpp"

namespace py = pybind11;

namespace eqsweep::python {

namespace {

py::dict domain_dict(const Domain& d) {
  py::dict out;
  out["lo"] = d.lo;
  out["hi"] = d.hi;
  out["lo_open"] = d.lo_open;
  out["hi_open"] = d.hi_open;
  out["text"] = d.describe();
  return out;
}

// Every declaration is a dict that starts with its name and description.
py::dict declaration(const std::string& name, const std::string& description) {
  py::dict d;
  d["name"] = name;
  d["description"] = description;
  return d;
}

py::dict describe_model(const Model& m) {
  py::list parameters, outputs, variants, options;
  for (const auto& p : m.parameters()) {
    py::dict d = declaration(p.name, p.description);
    d["symbol"] = p.symbol;
    d["units"] = p.units;
    d["domain"] = domain_dict(p.domain);
    d["default"] = std::isnan(p.default_value) ? py::object(py::none()) : py::object(py::float_(p.default_value));
    parameters.append(d);
  }
  for (const auto& o : m.outputs()) {
    py::dict d = declaration(o.name, o.description);
    d["units"] = o.units;
    outputs.append(d);
  }
  for (const auto& v : m.variants()) {
    py::dict d = declaration(v.name, v.description);
    // What a spec of this variant without an `outputs` list stores.
    py::list written;
    for (const auto& o : m.outputs())
      if (v.writes(o.name)) written.append(o.name);
    d["outputs"] = written;
    d["unwritten_outputs"] = v.unwritten_outputs;
    variants.append(d);
  }
  for (const auto& o : m.options()) {
    py::dict d = declaration(o.name, o.description);
    d["default"] = o.default_value;
    d["choices"] = o.choices;
    d["numeric"] = o.numeric;
    d["domain"] = o.numeric ? py::object(domain_dict(o.domain)) : py::object(py::none());
    options.append(d);
  }
  py::dict out;
  out["name"] = std::string(m.name());
  out["description"] = std::string(m.description());
  out["source"] = std::string(m.source());
  out["parameters"] = parameters;
  out["outputs"] = outputs;
  out["variants"] = variants;
  out["options"] = options;
  out["warm_start_size"] = m.warm_start_size();
  return out;
}

}  // namespace

void add_describe(py::module_& m) {
  m.def(
      "models",
      [] {
        py::list out;
        for (const Model* model : builtin_models().all()) {
          py::dict d = declaration(std::string(model->name()), std::string(model->description()));
          d["source"] = std::string(model->source());
          out.append(d);
        }
        return out;
      },
      "The built-in models: name, description and source of each.");
  m.def(
      "describe",
      [](const std::string& name, const std::map<std::string, std::string>& options, const std::string& base_dir) {
        const ConfiguredModel cm = configured_model(name, options, base_dir);
        return describe_model(*cm.model);
      },
      py::arg("name"), py::arg("options") = std::map<std::string, std::string>{}, py::arg("base_dir") = ".",
      "The declarations of a model (configured with `options`, e.g. model M's network file, resolved "
      "against `base_dir`): parameters, outputs, variants, options.");
}

}  // namespace eqsweep::python
