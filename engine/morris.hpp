#pragma once
// Morris elementary effects from the outputs of a morris design (Morris 1991; μ* by Campolongo
// et al. 2007): per parameter the mean μ, the mean of absolute values μ* and the standard
// deviation σ of the effects, with a bootstrap interval on μ*.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace eqsweep {

struct MorrisIndices {
  std::vector<double> mu, mu_star, sigma, mu_star_conf;  // per parameter
  std::size_t used = 0;     // trajectories that entered
  std::size_t dropped = 0;  // trajectories left out because one of their points has no value
};

// points: row-major (r (k + 1)) × k, the design's points in the layout of morris_unit (any
// monotone scale of the unit cube: each step moves one coordinate, up or down); y: one value per
// point, a NaN drops its trajectory. An effect is (y' - y) / (±Δ), in the unit cube's units as
// SALib's morris.analyze. σ uses n - 1 (NaN with one trajectory).
MorrisIndices morris_indices(std::span<const double> points, std::span<const double> y, std::size_t k, int levels,
                             int bootstrap, double confidence, std::uint64_t seed);

}  // namespace eqsweep
