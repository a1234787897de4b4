#pragma once
// What the model-M tests share: a network file under sweeps/ma_sue/ configured with the model's
// default options (some overridden), and its Instance at the parameters' default values.

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
  o["network"] = eqsweep::testing::source_dir() + "/sweeps/ma_sue/" + file;
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

}  // namespace eqsweep::ma_sue::testing
