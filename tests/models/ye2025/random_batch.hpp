#pragma once
// A batch of random model-Y points for the solver tests: parameters in the engine's SoA layout
// (one row of `stride` values per parameter), the non-swept ones at their defaults, θ, k, σ in
// (0.05, 0.95), t in (0.025, 0.475), Γ in (−0.45, 0.45).

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "models/ye2025/parameters.hpp"
#include "models/ye2025/ye2025_model.hpp"

namespace eqsweep::ye2025::testing {

inline std::vector<double> random_batch(const Ye2025Model& model, std::size_t n, std::size_t stride, std::uint64_t seed) {
  const std::size_t n_par = model.parameters().size();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.05, 0.95);
  std::vector<double> params(n_par * stride, 0.0);
  for (std::size_t p = 0; p < n_par; ++p)
    for (std::size_t i = 0; i < n; ++i) params[p * stride + i] = model.parameters()[p].default_value;
  for (std::size_t i = 0; i < n; ++i) {
    params[kTheta * stride + i] = u(rng);
    params[kK * stride + i] = u(rng);
    params[kT * stride + i] = 0.5 * u(rng);
    params[kSigma * stride + i] = u(rng);
    params[kGamma * stride + i] = u(rng) - 0.5;
  }
  return params;
}

}  // namespace eqsweep::ye2025::testing
