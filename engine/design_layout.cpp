#include "engine/design_layout.hpp"

#include <fmt/format.h>

namespace eqsweep {

void add_design_coordinates(const SweepSpec& spec, CubeLayout& layout) {
  if (!spec.design) return;
  const Design& design = *spec.design;
  const auto params = spec.model->parameters();
  std::string names;
  for (std::size_t j = 0; j < design.dimension(); ++j) {
    const DesignParameter& dp = design.parameters[j];
    const ParameterInfo& p = params[static_cast<std::size_t>(dp.parameter)];
    CubeExtra coordinate{dp.name, fmt::format("{} ({})", p.description, p.symbol), p.units, {"point"}, ElementType::f64,
                         kNaN, {}, {}};
    coordinate.string_attributes["design"] = std::string(design_kind_name(design.kind));
    if (design.kind != DesignKind::list) {
      coordinate.string_attributes["design_range"] = fmt::format("[{}, {}]", dp.lower, dp.upper);
      coordinate.string_attributes["design_scale"] = dp.log ? "log" : "linear";
    }
    coordinate.values.resize(design.point_count());
    for (std::size_t i = 0; i < design.point_count(); ++i) coordinate.values[i] = design.value(i, j);
    layout.extras.push_back(std::move(coordinate));
    names += (names.empty() ? "" : " ") + dp.name;
  }
  for (auto& v : layout.variables) v.string_attributes["coordinates"] = names;
}

}  // namespace eqsweep
