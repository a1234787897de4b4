// Sobol' indices against functions whose indices are known in closed form: Ishigami's function
// and a linear model. At N = 2^14 the estimates must lie within their own bootstrap intervals
// of the truth (the interval covers it), and the intervals must be narrow enough to mean it.

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "engine/design.hpp"
#include "engine/sobol_indices.hpp"
#include "support/toy_models.hpp"

namespace eqsweep {
namespace {

constexpr double kPi = std::numbers::pi;

std::vector<double> ishigami_outputs(const std::vector<double>& unit, double a, double b) {
  std::vector<double> y(unit.size() / 3);
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double x1 = -kPi + 2 * kPi * unit[3 * i], x2 = -kPi + 2 * kPi * unit[3 * i + 1], x3 = -kPi + 2 * kPi * unit[3 * i + 2];
    y[i] = std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
  }
  return y;
}

TEST(SobolIndices, IshigamiAtTwoToTheFourteenCoversTheAnalyticIndices) {
  const auto truth = testing::ishigami::analytic_indices(7, 0.1);
  // S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437): the values every GSA paper quotes.
  EXPECT_NEAR(truth.first[0], 0.3139, 1e-4);
  EXPECT_NEAR(truth.total[2], 0.2437, 1e-4);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto y = ishigami_outputs(saltelli_unit(1 << 14, 3, true, seed), 7, 0.1);
    const SobolIndices s = sobol_indices(y, 3, 500, 0.95, seed);
    ASSERT_EQ(s.used, 1u << 14);
    EXPECT_EQ(s.dropped, 0u);
    for (int j = 0; j < 3; ++j) {
      EXPECT_LE(std::abs(s.first[j] - truth.first[j]), s.first_conf[j]) << "S1 of x" << j + 1 << ", seed " << seed;
      EXPECT_LE(std::abs(s.total[j] - truth.total[j]), s.total_conf[j]) << "ST of x" << j + 1 << ", seed " << seed;
      EXPECT_LT(s.first_conf[j], 0.05);
      EXPECT_LT(s.total_conf[j], 0.05);
    }
  }
}

TEST(SobolIndices, TheIntervalShrinksAsTheSampleGrows) {
  const auto small = sobol_indices(ishigami_outputs(saltelli_unit(1 << 9, 3, true, 4), 7, 0.1), 3, 300, 0.95, 4);
  const auto large = sobol_indices(ishigami_outputs(saltelli_unit(1 << 15, 3, true, 4), 7, 0.1), 3, 300, 0.95, 4);
  for (int j = 0; j < 3; ++j) {
    EXPECT_LT(large.first_conf[j], small.first_conf[j] / 4);  // ~ 1/sqrt(N): 64 times the points
    EXPECT_LT(large.total_conf[j], small.total_conf[j] / 4);
  }
}

TEST(SobolIndices, ALinearModelSharesItsVarianceByTheSquaredCoefficients) {
  const double c[3] = {1, 2, 3};
  const auto unit = saltelli_unit(1 << 12, 3, true, 6);
  std::vector<double> y(unit.size() / 3);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = c[0] * unit[3 * i] + c[1] * unit[3 * i + 1] + c[2] * unit[3 * i + 2];
  const SobolIndices s = sobol_indices(y, 3, 300, 0.95, 6);
  for (int j = 0; j < 3; ++j) {
    const double truth = c[j] * c[j] / 14.0;
    EXPECT_LE(std::abs(s.first[j] - truth), s.first_conf[j]);
    EXPECT_LE(std::abs(s.total[j] - truth), s.total_conf[j]);
    // Additive: first-order and total agree to the sampling error of both.
    EXPECT_NEAR(s.first[j], s.total[j], s.first_conf[j] + s.total_conf[j]);
  }
}

TEST(SobolIndices, AGroupWithAMissingValueIsDroppedAndCounted) {
  auto y = ishigami_outputs(saltelli_unit(1000, 3, true, 8), 7, 0.1);
  const std::size_t group = 5;
  y[3 * group + 2] = std::nan("");  // group 3, point AB^2
  y[10 * group + 0] = std::nan("");  // group 10, point A
  y[10 * group + 4] = std::nan("");  // the same group again
  const SobolIndices s = sobol_indices(y, 3, 100, 0.95, 8);
  EXPECT_EQ(s.dropped, 2u);
  EXPECT_EQ(s.used, 998u);
  for (int j = 0; j < 3; ++j) EXPECT_TRUE(std::isfinite(s.first[j]) && std::isfinite(s.total[j]));
}

TEST(SobolIndices, NoUsableGroupGivesNaNNotANumberThatLooksReal) {
  std::vector<double> y(5 * 4, std::nan(""));
  const SobolIndices s = sobol_indices(y, 3, 100, 0.95, 1);
  EXPECT_EQ(s.used, 0u);
  EXPECT_EQ(s.dropped, 4u);
  for (int j = 0; j < 3; ++j) EXPECT_TRUE(std::isnan(s.first[j]) && std::isnan(s.total_conf[j]));
}

TEST(SobolIndices, TheBootstrapReproducesFromItsSeed) {
  const auto y = ishigami_outputs(saltelli_unit(512, 3, true, 2), 7, 0.1);
  const auto a = sobol_indices(y, 3, 200, 0.95, 11), b = sobol_indices(y, 3, 200, 0.95, 11);
  EXPECT_EQ(a.first_conf, b.first_conf);
  EXPECT_EQ(a.total_conf, b.total_conf);
}

}  // namespace
}  // namespace eqsweep
