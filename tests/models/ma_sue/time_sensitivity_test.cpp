// Segment masses and means of the truncated normal, against direct numerical integration; the
// untruncated reading (time_sensitivity = "untruncated", beta on the whole line as eq. (5) prints
// it): its segment quantities, verified equilibria where truncation matters, and the failure of a
// segment whose customers on average prefer slower delivery.

#include "models/ma_sue/time_sensitivity.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "models/ma_sue/solver.hpp"
#include "models/ma_sue/verification.hpp"
#include "network_fixture.hpp"

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

TEST(MaSueUntruncated, WholeLineSegmentsHaveNormalMassesAndMeans) {
  const TruncatedNormal d{0.5, 0.4, -INFINITY};
  EXPECT_NEAR(d.mass(-INFINITY, 0.0), 0.5 * std::erfc(0.5 / 0.4 / std::sqrt(2.0)), 1e-15);
  EXPECT_DOUBLE_EQ(segment_beta(d, -INFINITY, INFINITY, BetaReading::conditional), 0.5);
  EXPECT_DOUBLE_EQ(segment_beta(d, -INFINITY, INFINITY, BetaReading::partial), 0.5);
  // Below the mean's lower tail the segment's mean time sensitivity is negative.
  EXPECT_LT(segment_beta(d, -INFINITY, 0.0, BetaReading::conditional), 0.0);
  EXPECT_NEAR(d.quantile(0.5), 0.5, 1e-14);
}

struct Solved {
  Instance in;
  Strategy s;
  bool converged = false;
  Verification v;
};

Solved solve(const char* file, const char* equilibrium, const char* reading, double sigma) {
  Solved r;
  r.in = testing::network_instance(file, {{"equilibrium", equilibrium}, {"time_sensitivity", reading}});
  r.in.beta.sigma = sigma;
  std::vector<double> h(r.in.h.begin(), r.in.h.end());
  if (r.in.n_options > r.in.n_chains) h[0] = r.in.beta.quantile(0.5);
  r.in.set_boundaries(h.data());
  cold_start(r.in, r.s);
  r.converged = make_fast_solver({})->solve(r.in, r.s).converged;
  if (r.converged) r.v = verify(r.in, r.s);
  return r;
}

class MaSueUntruncatedEquilibrium : public ::testing::TestWithParam<const char*> {};

TEST_P(MaSueUntruncatedEquilibrium, IsVerifiedAndDiffersFromTheTruncatedOneOnlyWhereMassIsCut) {
  for (double sigma : {0.08, 0.4}) {
    const Solved u = solve("example3_s1.toml", GetParam(), "untruncated", sigma);
    const Solved t = solve("example3_s1.toml", GetParam(), "truncated", sigma);
    ASSERT_TRUE(u.converged && t.converged);
    EXPECT_TRUE(u.v.passed) << "sigma " << sigma << " kkt " << u.v.kkt_residual << " gain " << u.v.deviation_gain;
    EXPECT_TRUE(t.v.passed);
    EXPECT_DOUBLE_EQ(u.in.beta_bar[0], 0.5);  // one option: the whole line's mean
    const double cut = u.in.beta.mass(-INFINITY, 0.0);
    const double dp = std::abs(u.s.p[0] - t.s.p[0]);
    if (sigma == 0.08) {
      EXPECT_LT(cut, 1e-9);
      EXPECT_LT(dp, 1e-6);
    } else {
      EXPECT_GT(cut, 0.1);
      EXPECT_GT(t.in.beta_bar[0] - u.in.beta_bar[0], 0.05);
      EXPECT_GT(dp, 1e-3);
    }
  }
}

TEST_P(MaSueUntruncatedEquilibrium, MultiOptionMenuIsVerifiedWhileEverySegmentIsTimeSensitive) {
  // sigma 0.3, median boundary: the lower segment's mean is still positive.
  const Solved r = solve("example3_s2.toml", GetParam(), "untruncated", 0.3);
  ASSERT_GT(r.in.beta_bar[0], 0.0);
  ASSERT_TRUE(r.converged);
  EXPECT_TRUE(r.v.passed) << "kkt " << r.v.kkt_residual << " gain " << r.v.deviation_gain;
}

INSTANTIATE_TEST_SUITE_P(Paradigms, MaSueUntruncatedEquilibrium, ::testing::Values("centralized", "decentralized"));

TEST(MaSueUntruncated, SegmentPreferringSlowerDeliveryIsAFailedPoint) {
  // Boundary at beta = 0: the lower segment's customers on average gain from longer lead times, so
  // its lead time has no finite optimum; the point must be stored as failed, not as an equilibrium.
  auto model = testing::configured_model(testing::network_options(
      "example3_s2.toml", {{"time_sensitivity", "untruncated"}, {"demand", "mass_weighted"}}));
  auto at = [&](double h, Instance& in) {
    std::vector<double> params, values(model->outputs().size());
    for (const auto& p : model->parameters())
      params.push_back(p.name == "sigma" ? 0.4 : p.name == "SC1.h1" ? h : p.default_value);
    model->instance_at(params.data(), 1, in);
    return model->make_solver({"sue", {}, {}})->solve_point(params.data(), 1, values.data(), 1, {}, {}).status;
  };
  Instance in;
  EXPECT_EQ(at(0.0, in), PointStatus::failed);
  EXPECT_LT(in.beta_bar[0], 0.0);
  EXPECT_EQ(at(0.5, in), PointStatus::solved);  // the same menu with a time-sensitive lower segment
  EXPECT_GT(in.beta_bar[0], 0.0);
}

TEST(MaSueUntruncated, TruncatedReadingStillRefusesBoundariesBelowTheTruncation) {
  auto model = testing::configured_model(testing::network_options("example3_s2.toml", {}));
  auto untruncated = testing::configured_model(
      testing::network_options("example3_s2.toml", {{"time_sensitivity", "untruncated"}}));
  const int k = model->parameter_index("SC1.h1");
  EXPECT_FALSE(model->parameters()[k].domain.contains(-0.1));
  EXPECT_TRUE(untruncated->parameters()[k].domain.contains(-0.1));
}

}  // namespace
}  // namespace eqsweep::ma_sue
