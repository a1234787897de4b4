#pragma once
// Global sensitivity analyses over a design, mapped over the grid: for every point of the grid
// axes beside the design, Sobol' indices (engine/sobol_indices.hpp) or Morris effects
// (engine/morris.hpp) of one indicator, as the datasets the cube holds for them.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/sweep_spec.hpp"

namespace eqsweep {

// One dataset of an analysis: over the grid axes, then `design_parameter` where per_parameter.
struct GsaDatasetInfo {
  std::string field;  // "S1", "samples_dropped", ...
  std::string description;
  bool per_parameter = true;  // false: one i32 count per grid point
};
std::vector<GsaDatasetInfo> gsa_dataset_infos(const GsaSpec& gsa);
// "sobol.S1.Y.pi_M-N.pi_M"
std::string gsa_dataset_name(const GsaSpec& gsa, const std::string& field);
inline constexpr const char* kDesignParameterDimension = "design_parameter";

struct GsaResult {
  std::vector<std::vector<double>> f64;         // per per-parameter dataset, grid points × k
  std::vector<std::vector<std::int32_t>> i32;   // per count dataset, per grid point
  std::size_t grid_points = 0, used = 0, dropped = 0;
};

// indicator: over the cube's shape (design point axis last), NaN where the point is not solved.
// Throws std::runtime_error naming the analysis when it asks for `unsolved = "error"` and a
// group had to be dropped.
GsaResult compute_gsa(const SweepSpec& spec, const GsaSpec& gsa, const std::vector<double>& indicator, int threads);

}  // namespace eqsweep
