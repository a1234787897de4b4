#include "engine/analyses.hpp"

#include <fmt/format.h>

#include "engine/gsa.hpp"
#include "engine/region_map.hpp"
#include "engine/thresholds.hpp"

namespace eqsweep {

namespace {

// An indicator over the grid as the analyses see it: indicator - minus, NaN wherever the point
// is not a solved equilibrium. That is what a new solve reports too (IndicatorProbe), so stored
// and probed values agree even where a model writes outputs (a regime label) beside another status.
// A categorical output's fill code (stored as int32) reads back as the NaN the solver wrote.
std::vector<double> read_output(CubeSink& cube, const Model* model, const std::string& name) {
  std::vector<double> values = cube.read_variable(name);
  const int o = model ? model->output_index(name) : -1;
  if (o >= 0 && model->outputs()[static_cast<std::size_t>(o)].categorical())
    for (double& v : values)
      if (v == static_cast<double>(kCategoricalFill)) v = kNaN;
  return values;
}

std::vector<double> indicator_grid(CubeSink& cube, const IndicatorSpec& spec, const std::vector<double>& status,
                                   const Model* model = nullptr) {
  const std::string& indicator = spec.indicator;
  const std::string& minus = spec.minus;
  if (indicator == "status") return status;
  std::vector<double> grid = read_output(cube, model, indicator);
  if (!minus.empty()) {
    const auto subtrahend = read_output(cube, model, minus);
    for (std::size_t k = 0; k < grid.size(); ++k) grid[k] -= subtrahend[k];
  }
  for (std::size_t k = 0; k < grid.size(); ++k)
    if (status[k] != static_cast<double>(PointStatus::solved)) grid[k] = kNaN;
  return grid;
}

}  // namespace

// Thresholds: read the indicator over the grid, refine every crossing with new solves, write the
// result into the datasets allocated at creation, mark the analysis done. Then region maps.
std::vector<std::string> run_analyses(const RunPlan& plan, CubeSink& cube) {
  const SweepSpec& spec = *plan.spec;
  const int threads = plan.run.threads;
  std::vector<std::string> lines;
  std::vector<double> status;
  for (std::size_t i = 0; i < spec.thresholds.size(); ++i) {
    if (cube.analysis_done()[i]) continue;
    const ThresholdSpec& th = spec.thresholds[i];
    if (status.empty()) status = cube.read_variable("status");
    const std::vector<double> grid = indicator_grid(cube, th, status, spec.model);
    const ThresholdResult r = find_thresholds(spec, th, grid, threads);
    const std::string name = th.name(spec);
    cube.write_extra("threshold." + name, r.crossings.data());
    cube.write_extra("threshold_count." + name, r.counts.data());
    cube.write_extra("threshold_solves." + name, r.solves.data());
    cube.mark_analysis_done(i);
    lines.push_back(fmt::format(
        "threshold {}: {} crossings on {} lines, {} extra solves ({:.1f} per crossing){}", name, r.total_crossings,
        r.lines, r.total_solves,
        r.total_crossings ? static_cast<double>(r.total_solves) / static_cast<double>(r.total_crossings) : 0.0,
        r.failed_refinements ? fmt::format(", {} cells not refined (indicator undefined inside)", r.failed_refinements)
                             : std::string()));
  }
  // Region maps after the thresholds, in the same analysis_done list.
  for (std::size_t m = 0; m < spec.region_maps.size(); ++m) {
    const std::size_t index = spec.thresholds.size() + m;
    if (cube.analysis_done()[index]) continue;
    const RegionMapSpec& rm = spec.region_maps[m];
    if (status.empty()) status = cube.read_variable("status");
    const std::vector<double> grid = indicator_grid(cube, rm, status, spec.model);
    const RegionMapResult r = refine_region_map(spec, rm, grid, status, threads);
    const std::string name = rm.name(spec);
    cube.write_extra_rows("region_cells." + name, r.cell_count(), r.cells.data());
    cube.write_extra_rows("region_segments." + name, r.segment_count(), r.segments.data());
    cube.write_extra("region_solves." + name, r.solves.data());
    cube.write_extra("region_grid_cells." + name, r.grid_cells.data());
    cube.mark_analysis_done(index);
    lines.push_back(fmt::format(
        "region map {}: {} grid cells on the boundary in {} slices, refined {} times into {} cells and {} segments with "
        "{} extra solves",
        name, r.total_grid_cells, r.slices, rm.depth, r.cell_count(), r.segment_count(), r.total_solves));
  }
  // Global sensitivity analyses last: they read the stored points only, with no new solves.
  for (std::size_t a = 0; a < spec.gsa.size(); ++a) {
    const std::size_t index = spec.thresholds.size() + spec.region_maps.size() + a;
    if (cube.analysis_done()[index]) continue;
    const GsaSpec& g = spec.gsa[a];
    if (status.empty()) status = cube.read_variable("status");
    const GsaResult r = compute_gsa(spec, g, indicator_grid(cube, g, status, spec.model), threads);
    std::size_t f = 0, c = 0;
    for (const auto& info : gsa_dataset_infos(g))
      cube.write_extra(gsa_dataset_name(g, info.field), info.per_parameter ? static_cast<const void*>(r.f64[f++].data())
                                                                           : static_cast<const void*>(r.i32[c++].data()));
    cube.mark_analysis_done(index);
    lines.push_back(fmt::format("{} indices of {}: {} grid points, {} groups used, {} dropped (a point not solved)",
                                g.method(), g.expression(), r.grid_points, r.used, r.dropped));
  }
  return lines;
}

}  // namespace eqsweep
