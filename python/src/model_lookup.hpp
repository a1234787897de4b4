#pragma once
// A built-in model by name, configured with options (model M reads its network file here).

#include <map>
#include <memory>
#include <string>

#include "engine/model.hpp"

namespace eqsweep::python {

struct ConfiguredModel {
  std::shared_ptr<const Model> owned;  // set when configure() built a new model
  const Model* model = nullptr;
};

// Throws std::invalid_argument (ValueError in Python) naming the unknown model or option.
ConfiguredModel configured_model(const std::string& name, const std::map<std::string, std::string>& options,
                                 const std::string& base_dir);

}  // namespace eqsweep::python
