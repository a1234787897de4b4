#include "engine/gsa.hpp"

#include <span>
#include <stdexcept>

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "engine/morris.hpp"
#include "engine/sobol_indices.hpp"

namespace eqsweep {

std::vector<GsaDatasetInfo> gsa_dataset_infos(const GsaSpec& gsa) {
  if (gsa.morris)
    return {{"mu", "mean elementary effect μ (unit-cube steps)", true},
            {"mu_star", "mean absolute elementary effect μ*", true},
            {"sigma", "standard deviation σ of the elementary effects", true},
            {"mu_star_conf", "half-width of the bootstrap confidence interval of μ*", true},
            {"trajectories_used", "trajectories whose points were all solved", false},
            {"trajectories_dropped", "trajectories left out because a point was not solved", false}};
  return {{"S1", "first-order Sobol' index (Saltelli 2010)", true},
          {"S1_conf", "half-width of the bootstrap confidence interval of S1", true},
          {"ST", "total Sobol' index (Jansen)", true},
          {"ST_conf", "half-width of the bootstrap confidence interval of ST", true},
          {"samples_used", "base samples whose k + 2 points were all solved", false},
          {"samples_dropped", "base samples left out because a point was not solved", false}};
}

std::string gsa_dataset_name(const GsaSpec& gsa, const std::string& field) {
  return fmt::format("{}.{}.{}", gsa.method(), field, gsa.name());
}

GsaResult compute_gsa(const SweepSpec& spec, const GsaSpec& gsa, const std::vector<double>& indicator, int threads) {
  const Design& design = *spec.design;
  const std::size_t k = design.dimension();
  const std::size_t points = design.point_count();
  GsaResult out;
  out.grid_points = points ? indicator.size() / points : 0;
  const auto infos = gsa_dataset_infos(gsa);
  for (const auto& info : infos) {
    if (info.per_parameter) out.f64.emplace_back(out.grid_points * k);
    else out.i32.emplace_back(out.grid_points);
  }
  std::vector<std::size_t> used(out.grid_points), dropped(out.grid_points);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(std::max(threads, 1)));
  // Each grid point resamples from its own stream, so the result is the same on any thread count.
  tbb::parallel_for(std::size_t{0}, out.grid_points, [&](std::size_t g) {
    const std::span<const double> y(indicator.data() + g * points, points);
    const std::uint64_t seed = gsa.seed * 0x9E3779B97F4A7C15ull + g;
    std::vector<const std::vector<double>*> fields;
    if (gsa.morris) {
      const MorrisIndices m = morris_indices(design.values, y, k, design.levels, gsa.bootstrap, gsa.confidence, seed);
      fields = {&m.mu, &m.mu_star, &m.sigma, &m.mu_star_conf};
      for (std::size_t f = 0; f < fields.size(); ++f) std::copy(fields[f]->begin(), fields[f]->end(), out.f64[f].begin() + g * k);
      used[g] = m.used;
      dropped[g] = m.dropped;
    } else {
      const SobolIndices s = sobol_indices(y, k, gsa.bootstrap, gsa.confidence, seed);
      fields = {&s.first, &s.first_conf, &s.total, &s.total_conf};
      for (std::size_t f = 0; f < fields.size(); ++f) std::copy(fields[f]->begin(), fields[f]->end(), out.f64[f].begin() + g * k);
      used[g] = s.used;
      dropped[g] = s.dropped;
    }
  });
  for (std::size_t g = 0; g < out.grid_points; ++g) {
    out.i32[0][g] = static_cast<std::int32_t>(used[g]);
    out.i32[1][g] = static_cast<std::int32_t>(dropped[g]);
    out.used += used[g];
    out.dropped += dropped[g];
  }
  if (gsa.unsolved == GsaSpec::Unsolved::error && out.dropped > 0)
    throw std::runtime_error(fmt::format(
        "{} analysis of {}: {} of {} groups have a point that is not solved, and the spec asks unsolved = \"error\" "
        "(use \"drop\" to leave them out and count them)",
        gsa.method(), gsa.label(), out.dropped, out.used + out.dropped));
  return out;
}

}  // namespace eqsweep
