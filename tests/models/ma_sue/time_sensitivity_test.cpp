// Segment masses and means of the truncated normal, against direct numerical integration.

#include "models/ma_sue/time_sensitivity.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace eqsweep::ma_sue {
namespace {

// Midpoint rule on the truncated density, independent of the closed forms under test.
double integrate(const TruncatedNormal& d, double lo, double hi, bool first_moment) {
  const int n = 200000;
  const double top = std::isinf(hi) ? d.mean + 12 * d.sigma : hi;
  const double bottom = std::max(lo, d.lower);
  double z = 0, s = 0;
  const double dx_all = (d.mean + 12 * d.sigma - d.lower) / n;
  for (int k = 0; k < n; ++k) {
    const double x = d.lower + (k + 0.5) * dx_all;
    z += std::exp(-0.5 * std::pow((x - d.mean) / d.sigma, 2)) * dx_all;
  }
  const double dx = (top - bottom) / n;
  for (int k = 0; k < n; ++k) {
    const double x = bottom + (k + 0.5) * dx;
    s += (first_moment ? x : 1.0) * std::exp(-0.5 * std::pow((x - d.mean) / d.sigma, 2)) * dx;
  }
  return s / z;
}

TEST(MaSueTimeSensitivity, MassAndPartialExpectationMatchQuadrature) {
  const TruncatedNormal d{0.5, 0.4, 0.0};  // truncation matters here
  for (auto [lo, hi] : {std::pair{0.0, 0.3}, {0.3, 0.7}, {0.7, INFINITY}}) {
    EXPECT_NEAR(d.mass(lo, hi), integrate(d, lo, hi, false), 1e-7);
    EXPECT_NEAR(d.partial_expectation(lo, hi), integrate(d, lo, hi, true), 1e-7);
  }
}

TEST(MaSueTimeSensitivity, ConditionalMeanIsPartialOverMass) {
  const TruncatedNormal d{0.5, 0.15, 0.0};
  const double h = 0.47;
  EXPECT_NEAR(segment_beta(d, 0, h, BetaReading::conditional),
              segment_beta(d, 0, h, BetaReading::partial) / d.mass(0, h), 1e-14);
  // Segments partition the market: masses sum to 1 and partial expectations to the mean.
  EXPECT_NEAR(d.mass(0, h) + d.mass(h, INFINITY), 1.0, 1e-14);
  EXPECT_NEAR(d.partial_expectation(0, h) + d.partial_expectation(h, INFINITY), d.partial_expectation(0, INFINITY),
              1e-14);
}

TEST(MaSueTimeSensitivity, QuantileInvertsMass) {
  const TruncatedNormal d{0.5, 0.3, 0.0};
  EXPECT_NEAR(d.mass(0, d.quantile(0.25)), 0.25, 1e-12);
}

}  // namespace
}  // namespace eqsweep::ma_sue
