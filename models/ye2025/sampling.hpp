#pragma once
// Random interior points of every model-Y parameter: the sampling box of the published-vs-derived
// comparison (docs/model-y-comparison.md) and of the tests that check the derived solver.

#include <random>

#include "models/ye2025/parameters.hpp"

namespace eqsweep::ye2025 {

// t is drawn from [0.02, t_max]; every other parameter from its interior box.
inline Point random_interior_point(std::mt19937_64& rng, double t_max) {
  auto u = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  Point p{u(0.2, 0.8), u(0.1, 0.9), u(0.02, t_max), u(0.1, 1.0), u(-0.5, 0.5)};
  p.m = u(0, 1);
  p.s = u(0, 0.1);
  p.phi = u(0.5, 1);
  p.y = u(0, 0.5);
  p.delta = u(0.5, 1);
  p.rho = u(0.5, 2);
  p.M = u(0.5, 2);
  p.l = u(0, 1);
  p.V = u(0.5, 1.5);
  p.F = u(0, 0.05);
  p.b = u(0, 0.2);
  p.c = u(0.01, 0.2);
  return p;
}

}  // namespace eqsweep::ye2025
