#pragma once
// What the model-M tests share: a network file under sweeps/ma_sue/networks/ configured with the model's
// default options (some overridden), and its Instance at the parameters' default values.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/ma_sue/ma_sue_model.hpp"
#include "support/test_support.hpp"

namespace eqsweep::ma_sue::testing {

inline OptionValues network_options(const std::string& file, const OptionValues& extra = {}) {
  MaSueModel base;
  OptionValues o;
  for (const auto& info : base.options()) o[info.name] = info.default_value;
  o["network"] = eqsweep::testing::source_dir() + "/sweeps/ma_sue/networks/" + file;
  for (const auto& [k, v] : extra) o[k] = v;
  return o;
}

inline std::shared_ptr<const MaSueModel> configured_model(const OptionValues& options) {
  return std::static_pointer_cast<const MaSueModel>(MaSueModel().configure(options, "."));
}

inline Instance default_instance(const MaSueModel& model) {
  std::vector<double> params;
  for (const auto& p : model.parameters()) params.push_back(p.default_value);
  Instance in;
  model.instance_at(params.data(), 1, in);
  return in;
}

inline Instance network_instance(const std::string& file, const OptionValues& extra = {}) {
  return default_instance(*configured_model(network_options(file, extra)));
}

// A network file with some options overridden: one case of a test over networks and readings.
struct NetworkCase {
  std::string file;
  OptionValues options;
};

inline std::string describe(const NetworkCase& c) {
  std::string s = c.file;
  for (const auto& [k, v] : c.options) s += " " + k + "=" + v;
  return s;
}

inline std::shared_ptr<const MaSueModel> configured_model(const NetworkCase& c) {
  return configured_model(network_options(c.file, c.options));
}

// The model's point solver (as a sweep runs it) at the parameters' default values; outputs by name.
struct PointOutputs {
  const MaSueModel* model = nullptr;
  std::vector<double> params, values;
  PointResult result;
  double operator[](const std::string& name) const {
    for (std::size_t k = 0; k < model->outputs().size(); ++k)
      if (model->outputs()[k].name == name) return values[k];
    ADD_FAILURE() << "no output " << name;
    return kNaN;
  }
};

inline PointOutputs solve_default_point(const MaSueModel& model) {
  PointOutputs r;
  r.model = &model;
  for (const auto& p : model.parameters()) r.params.push_back(p.default_value);
  r.values.assign(model.outputs().size(), 0.0);
  r.result = model.make_solver({"sue", {}, {}})->solve_point(r.params.data(), 1, r.values.data(), 1, {}, {});
  return r;
}

// A cold-started fast solve of a configured model at the parameters' defaults, `set` overriding
// some of them by name.
struct Solved {
  Instance in;
  Strategy s;
  bool converged = false;
};

inline Solved solve_defaults(const OptionValues& options, const std::map<std::string, double>& set = {}) {
  Solved r;
  const auto model = configured_model(options);
  std::vector<double> params;
  for (const auto& p : model->parameters()) params.push_back(set.count(p.name) ? set.at(p.name) : p.default_value);
  model->instance_at(params.data(), 1, r.in);
  cold_start(r.in, r.s);
  r.converged = make_fast_solver({})->solve(r.in, r.s).converged;
  return r;
}

inline VerifyOptions level(VerifyLevel l) {
  VerifyOptions o;
  o.level = l;
  return o;
}

}  // namespace eqsweep::ma_sue::testing
