#pragma once
// Sobol' first-order and total indices from the outputs of a Saltelli design: S1 by Saltelli
// et al. (2010), ST by Jansen (1999), both divided by the variance of the A and B outputs (as
// SALib's sobol.analyze), with bootstrap confidence intervals.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace eqsweep {

struct SobolIndices {
  std::vector<double> first, first_conf, total, total_conf;  // per parameter; conf: half-width
  std::size_t used = 0;     // base samples that entered
  std::size_t dropped = 0;  // base samples left out because one of their points has no value
};

// y: one value per point in the layout of saltelli_unit (groups of k + 2: A, AB^1..AB^k, B); a
// NaN drops its whole group. The interval is z · (standard deviation over `bootstrap` resamples
// of the base samples), z the normal quantile of (1 + confidence) / 2. All NaN when fewer than
// two groups remain or the variance is zero.
SobolIndices sobol_indices(std::span<const double> y, std::size_t k, int bootstrap, double confidence,
                           std::uint64_t seed);

}  // namespace eqsweep
