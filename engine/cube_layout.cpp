#include "engine/cube_layout.hpp"

#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/quantize.hpp"
#include "engine/design_layout.hpp"
#include "engine/gsa_layout.hpp"
#include "engine/region_map.hpp"
#include "eqsweep/version.hpp"

namespace eqsweep {

namespace {

// Lossy storage of the outputs and sensitivities laid out so far (run.significant_digits and the
// [significant_digits] table), recorded the CF 1.11 way: each quantized variable names the
// container variable `quantization_info` (algorithm "bitround") and its kept mantissa bits. The
// outputs an analysis reads back stay exact, so thresholds and region maps never see rounding.
void add_quantization(const SweepSpec& spec, CubeLayout& layout) {
  std::set<std::string> read_back;
  for (const auto& th : spec.thresholds) read_back.insert({th.indicator, th.minus});
  for (const auto& rm : spec.region_maps) read_back.insert({rm.indicator, rm.minus});
  bool any = false;
  for (auto& var : layout.variables) {
    const int digits = spec.significant_digits_of(var.name);
    if (digits == 0 || var.type != ElementType::f64 || read_back.count(var.name)) continue;
    var.bitround_bits = bitround_bits_for_digits(digits);
    var.string_attributes["quantization"] = "quantization_info";
    var.integer_attributes["quantization_nsb"] = var.bitround_bits;
    var.integer_attributes["quantization_nsd"] = digits;  // what the spec asked; nsb is what was kept
    any = true;
  }
  if (any)
    layout.extras.push_back({"quantization_info", "how the variables naming it were quantized", "", {}, ElementType::i32, 0,
                             {{"algorithm", "bitround"},
                              {"implementation", fmt::format("eqsweep {}", kVersion)}}, {}});
}

// Every fixed parameter as a CF scalar coordinate variable named in each variable's
// `coordinates` attribute: xarray then carries it along, and cubes that differ in one fixed
// parameter concatenate along it (xr.concat(cubes, dim="k")).
void add_fixed_coordinates(const SweepSpec& spec, CubeLayout& layout) {
  const auto params = spec.model->parameters();
  std::string names;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (std::isnan(spec.fixed[i])) continue;
    const ParameterInfo& p = params[i];
    CubeExtra coordinate{p.name, fmt::format("{} ({})", p.description, p.symbol), p.units, {}, ElementType::f64, kNaN,
                         {}, {}};
    coordinate.values = {spec.fixed[i]};
    layout.extras.push_back(std::move(coordinate));
    names += (names.empty() ? "" : " ") + p.name;
  }
  if (names.empty()) return;
  for (auto& v : layout.variables) {
    std::string& list = v.string_attributes["coordinates"];
    list += (list.empty() ? "" : " ") + names;
  }
}

}  // namespace

CubeLayout cube_layout(const SweepSpec& spec, const std::string& fingerprint, const std::string& analysis_fingerprint,
                       std::shared_ptr<const ChunkCodec> codec) {
  CubeLayout layout;
  const auto params = spec.model->parameters();
  for (const auto& axis : spec.axes) {
    if (axis.is_design()) {
      layout.axes.push_back({axis.name, fmt::format("point of the {} design", design_kind_name(spec.design->kind)), "1",
                             axis.values});
      continue;
    }
    const auto& p = params[static_cast<std::size_t>(axis.parameter)];
    layout.axes.push_back({axis.name, fmt::format("{} ({})", p.description, p.symbol), p.units, axis.values});
  }
  const auto outs = spec.model->outputs();
  for (int o : spec.outputs) {
    const auto& info = outs[static_cast<std::size_t>(o)];
    if (!info.categorical()) {
      layout.variables.push_back({info.name, info.description, info.units, ElementType::f64, kNaN, {}, {}});
      continue;
    }
    CubeVariable codes{info.name, info.description, info.units, ElementType::i32, static_cast<double>(kCategoricalFill),
                       {}, {}};
    std::string meanings;
    for (const auto& flag : info.flags) {
      codes.flag_values.push_back(flag.value);
      meanings += (meanings.empty() ? "" : " ") + flag.meaning;
    }
    codes.string_attributes["flag_meanings"] = meanings;
    codes.integer_attributes["_FillValue"] = kCategoricalFill;  // CF readers mask it: undefined at the point
    layout.variables.push_back(std::move(codes));
  }
  for (const auto& sens : spec.sensitivities) {
    const auto& out = outs[static_cast<std::size_t>(sens.output)];
    const auto& par = params[static_cast<std::size_t>(sens.parameter)];
    layout.variables.push_back({sens.derivative_name(*spec.model),
                                fmt::format("derivative of {} with respect to {} ({}), central differences", out.name,
                                            par.name, par.symbol),
                                "1", ElementType::f64, kNaN, {}, {}});
    if (sens.elasticity)
      layout.variables.push_back({sens.elasticity_name(*spec.model),
                                  fmt::format("elasticity of {} with respect to {} ({})", out.name, par.name, par.symbol),
                                  "1", ElementType::f64, kNaN, {}, {}});
  }
  add_quantization(spec, layout);
  CubeVariable status{"status", "solver status of the point", "", ElementType::u8,
                      static_cast<double>(PointStatus::not_computed), {}, {0, 1, 2, 3}};
  status.string_attributes["flag_meanings"] = std::string(kPointStatusMeanings);
  layout.variables.push_back(status);
  layout.variables.push_back({"iterations", "solver iterations (0 for a closed form, -1 not computed)", "1",
                              ElementType::i32, -1.0, {}, {}});
  layout.variables.push_back({"residual", "equilibrium residual reported by the solver (NaN: not applicable)", "1",
                              ElementType::f64, kNaN, {}, {}});
  for (const auto& th : spec.thresholds) {
    const std::string crossing_dim = fmt::format("crossing{}", th.max_crossings);
    bool have = false;
    for (const auto& d : layout.index_dimensions) have = have || d.first == crossing_dim;
    if (!have) layout.index_dimensions.emplace_back(crossing_dim, th.max_crossings);
    std::vector<std::string> line_dims;
    for (std::size_t a = 0; a < spec.axes.size(); ++a)
      if (a != th.axis) line_dims.push_back(spec.axes[a].name);
    const std::string name = th.name(spec);
    const auto& axis_param = params[static_cast<std::size_t>(spec.axes[th.axis].parameter)];
    const std::string what = th.kind == ThresholdSpec::Kind::real ? fmt::format("sign change of {}", th.expression())
                                                                 : fmt::format("change of {}", th.indicator);
    std::vector<std::string> dims = line_dims;
    dims.push_back(crossing_dim);
    layout.extras.push_back({"threshold." + name,
                             fmt::format("{} where the {} occurs (NaN: no further crossing)", axis_param.name, what),
                             axis_param.units, dims, ElementType::f64, kNaN,
                             {{"tolerance_relative_to_axis_span", fmt::format("{}", th.tolerance)},
                              {"kind", th.kind == ThresholdSpec::Kind::real ? "real (TOMS 748)" : "categorical (bisection)"}}, {}});
    layout.extras.push_back({"threshold_count." + name, fmt::format("number of crossings ({}) along {}", what, axis_param.name),
                             "1", line_dims, ElementType::i32, -1.0, {}, {}});
    layout.extras.push_back({"threshold_solves." + name, "extra solves spent locating the crossings of this line", "1",
                             line_dims, ElementType::i32, -1.0, {}, {}});
  }
  for (const auto& rm : spec.region_maps) {
    const std::string name = rm.name(spec);
    std::vector<std::string> slice_dims;
    for (std::size_t a = 0; a < spec.axes.size(); ++a)
      if (a != rm.x_axis && a != rm.y_axis) slice_dims.push_back(spec.axes[a].name);
    const std::string what = rm.kind == RegionMapSpec::Kind::real ? fmt::format("sign of {}", rm.expression())
                                                                 : fmt::format("value of {}", rm.indicator);
    const std::string x = spec.axes[rm.x_axis].name, y = spec.axes[rm.y_axis].name;
    for (const char* field : {"region_cell_field", "region_segment_field"}) {
      const std::size_t n = std::string_view(field) == "region_cell_field" ? kRegionCellColumns : kRegionSegmentColumns;
      bool have = false;
      for (const auto& d : layout.index_dimensions) have = have || d.first == field;
      if (!have) layout.index_dimensions.emplace_back(field, n);
    }
    layout.growable_dimensions.push_back("region_cell." + name);
    layout.growable_dimensions.push_back("region_segment." + name);
    const std::map<std::string, std::string> common = {{"x_axis", x}, {"y_axis", y}, {"indicator", rm.indicator},
                                                       {"minus", rm.minus},
                                                       {"kind", std::string(rm.kind_name())},
                                                       {"depth", fmt::format("{}", rm.depth)},
                                                       {"slice_axes", fmt::format("{}", fmt::join(slice_dims, " "))}};
    auto attrs = [&](const char* columns) {
      auto a = common;
      a["columns"] = columns;
      return a;
    };
    layout.extras.push_back({"region_cells." + name,
                             fmt::format("cells of the ({}, {}) plane refined {} times where the {} differs at their corners",
                                         x, y, rm.depth, what),
                             "", {"region_cell." + name, "region_cell_field"}, ElementType::f64, kNaN,
                             attrs(kRegionCellColumnNames), {}});
    layout.extras.push_back({"region_segments." + name,
                             fmt::format("boundary of the {} in the ({}, {}) plane, as line segments", what, x, y), "",
                             {"region_segment." + name, "region_segment_field"}, ElementType::f64, kNaN,
                             attrs(kRegionSegmentColumnNames), {}});
    layout.extras.push_back({"region_solves." + name, "extra solves spent refining this slice's region map", "1",
                             slice_dims, ElementType::i32, -1.0, common, {}});
    layout.extras.push_back({"region_grid_cells." + name, "grid cells of this slice whose corners disagree", "1",
                             slice_dims, ElementType::i32, -1.0, common, {}});
  }
  add_design_coordinates(spec, layout);  // after the variables, which name them as coordinates
  add_fixed_coordinates(spec, layout);
  add_gsa_datasets(spec, layout);
  layout.analysis_count = spec.analysis_count();
  layout.chunk = spec.chunk;
  layout.codec = std::move(codec);

  std::string fixed_text;
  for (std::size_t i = 0; i < params.size(); ++i)
    if (!std::isnan(spec.fixed[i])) fixed_text += fmt::format("{}{} = {}", fixed_text.empty() ? "" : ", ", params[i].name, spec.fixed[i]);
  layout.attributes = {
      {"Conventions", "CF-1.8"},
      // 2: CF units, fixed parameters as scalar coordinates (docs/cube-format.md); absent in older cubes.
      {"eqsweep_cube_format", "2"},
      {"title", fmt::format("eqsweep sweep of model {} ({})", spec.model->name(), spec.variant)},
      {"source", std::string(spec.model->source())},
      {"model", std::string(spec.model->name())},
      {"variant", spec.variant},
      {"model_options", [&] {
         std::string text;
         for (const auto& [k, v] : spec.options) text += fmt::format("{}{} = {}", text.empty() ? "" : ", ", k, v);
         return text;
       }()},
      {"fixed_parameters", fixed_text},
      {"continuation_axis", spec.axes[spec.continuation_axis].name},
      {"spec", spec.stored_text()},  // long value lists are the coordinates
      {"spec_path", spec.path},
      {"spec_canonical", spec.canonical_json()},
      {"spec_fingerprint", fingerprint},
      {"analysis_fingerprint", analysis_fingerprint},
      {"eqsweep_version", kVersion},
      {"git_revision", kGitRevision},
  };
  // Only where --set was used, so that cubes of plain specs keep their attributes.
  if (const std::string text = spec.overrides_text(); !text.empty()) layout.attributes["spec_overrides"] = text;
  return layout;
}

CubeLayout cube_layout(const SweepSpec& spec) {
  const std::string fingerprint = spec.fingerprint();
  return cube_layout(spec, fingerprint, spec.analysis_fingerprint(fingerprint),
                     make_codec(spec.encoding()));
}

}  // namespace eqsweep
