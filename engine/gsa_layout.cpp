#include "engine/gsa_layout.hpp"

#include <fmt/format.h>

#include "engine/gsa.hpp"

namespace eqsweep {

void add_gsa_datasets(const SweepSpec& spec, CubeLayout& layout) {
  if (spec.gsa.empty()) return;
  const Design& design = *spec.design;
  layout.index_dimensions.emplace_back(kDesignParameterDimension, design.dimension());
  std::vector<std::string> grid_dims;
  for (const auto& a : spec.axes)
    if (!a.is_design()) grid_dims.push_back(a.name);
  std::string names;
  for (const auto& p : design.parameters) names += (names.empty() ? "" : " ") + p.name;
  for (const auto& g : spec.gsa) {
    const std::map<std::string, std::string> attrs = {{"parameters", names},
                                                      {"indicator", g.indicator},
                                                      {"minus", g.minus},
                                                      {"method", std::string(g.method())},
                                                      {"bootstrap", fmt::format("{}", g.bootstrap)},
                                                      {"confidence", fmt::format("{}", g.confidence)},
                                                      {"unsolved", g.unsolved == GsaSpec::Unsolved::drop ? "drop" : "error"}};
    for (const auto& info : gsa_dataset_infos(g)) {
      std::vector<std::string> dims = grid_dims;
      if (info.per_parameter) dims.push_back(kDesignParameterDimension);
      layout.extras.push_back({gsa_dataset_name(g, info.field), fmt::format("{} of {}", info.description, g.expression()),
                               info.per_parameter ? "1" : "", dims,
                               info.per_parameter ? ElementType::f64 : ElementType::i32, info.per_parameter ? kNaN : -1.0,
                               attrs, {}});
    }
  }
}

}  // namespace eqsweep
