#pragma once
// `eqsweep models`: a one-line summary per model, or one model's details (parameters with
// domains, units and defaults, outputs, variants, options), as aligned text or JSON.

#include <string>
#include <vector>

#include "engine/model.hpp"

namespace eqsweep::cli {

std::string models_summary_text(const ModelCatalog& catalog);
std::string models_summary_json(const ModelCatalog& catalog);

// A model whose parameters and outputs come from its options (model M's network file) is
// configured from `options` first (relative paths against the current directory); without
// them its details say which option to give. Throws std::invalid_argument on an unknown model
// (with the nearest names) or a bad option.
std::string model_details_text(const ModelCatalog& catalog, const std::string& name, const OptionValues& options);
std::string model_details_json(const ModelCatalog& catalog, const std::string& name, const OptionValues& options);

}  // namespace eqsweep::cli
