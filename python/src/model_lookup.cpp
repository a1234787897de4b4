#include "python/src/model_lookup.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "models/registry.hpp"

namespace eqsweep::python {

ConfiguredModel configured_model(const std::string& name, const std::map<std::string, std::string>& options,
                                 const std::string& base_dir) {
  const Model* base = builtin_models().find(name);
  if (!base) {
    std::vector<std::string> names;
    for (const Model* m : builtin_models().all()) names.emplace_back(m->name());
    throw std::invalid_argument(fmt::format("unknown model '{}'; models: {}", name, fmt::join(names, ", ")));
  }
  OptionValues resolved;
  for (const auto& o : base->options()) resolved[o.name] = o.default_value;
  for (const auto& [k, v] : options) {
    if (!resolved.count(k)) {
      std::vector<std::string> names;
      for (const auto& o : base->options()) names.push_back(o.name);
      throw std::invalid_argument(fmt::format("unknown option '{}' of model {}; options: {}", k, name,
                                              names.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(names, ", "))));
    }
    resolved[k] = v;
  }
  ConfiguredModel out;
  out.owned = base->configure(resolved, base_dir);
  out.model = out.owned ? out.owned.get() : base;
  return out;
}

}  // namespace eqsweep::python
