// Morris elementary effects against a linear model, whose effect of x_i is c_i at every point
// (μ = μ* = c_i in unit-cube steps, σ = 0), and the signs μ keeps that μ* drops.

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "engine/design.hpp"
#include "engine/morris.hpp"

namespace eqsweep {
namespace {

TEST(MorrisIndices, ALinearModelHasEffectsEqualToItsCoefficients) {
  const double c[3] = {1.0, -2.0, 3.0};
  const std::size_t r = 40, k = 3;
  const auto u = morris_unit(r, k, 4, 1);
  std::vector<double> y(u.size() / k);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = c[0] * u[3 * i] + c[1] * u[3 * i + 1] + c[2] * u[3 * i + 2];
  const MorrisIndices m = morris_indices(u, y, k, 4, 200, 0.95, 1);
  EXPECT_EQ(m.used, r);
  for (std::size_t j = 0; j < k; ++j) {
    EXPECT_NEAR(m.mu[j], c[j], 1e-12);
    EXPECT_NEAR(m.mu_star[j], std::abs(c[j]), 1e-12);
    EXPECT_NEAR(m.sigma[j], 0.0, 1e-12);
  }
}

TEST(MorrisIndices, EffectsOfOppositeSignCancelInMuButNotInMuStar) {
  // y = (x1 - 0.5)^2 is symmetric: half the effects are positive, half negative.
  const std::size_t r = 200, k = 2;
  // Six levels: the steps 0 <-> 0.6, 0.2 <-> 0.8, 0.4 <-> 1 have effects ±0.4, 0, ±0.4.
  const auto u = morris_unit(r, k, 6, 3);
  std::vector<double> y(u.size() / k);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = (u[2 * i] - 0.5) * (u[2 * i] - 0.5);
  const MorrisIndices m = morris_indices(u, y, k, 6, 200, 0.95, 3);
  EXPECT_GT(m.mu_star[0], 0.15);
  EXPECT_LT(std::abs(m.mu[0]), m.mu_star[0] / 2);
  EXPECT_GT(m.sigma[0], 0.1);
  EXPECT_EQ(m.mu_star[1], 0.0);  // x2 does not enter
  EXPECT_GT(m.mu_star_conf[0], 0.0);
}

TEST(MorrisIndices, ATrajectoryWithAMissingValueIsDroppedAndCounted) {
  const std::size_t r = 10, k = 3;
  const auto u = morris_unit(r, k, 4, 2);
  std::vector<double> y(u.size() / k, 1.0);
  y[2 * (k + 1) + 1] = std::nan("");
  const MorrisIndices m = morris_indices(u, y, k, 4, 50, 0.95, 2);
  EXPECT_EQ(m.used, r - 1);
  EXPECT_EQ(m.dropped, 1u);
}

}  // namespace
}  // namespace eqsweep
