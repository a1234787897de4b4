// Segment boundaries as equilibrium variables (segment_boundaries = "equilibrium"): the stored
// point is an equilibrium of the game with h: every player's KKT conditions hold, the owner's
// marginal profit in its boundary is zero, and no owner gains by moving its boundary together with
// its prices and lead times. The profit-maximising boundary of "joint_optimal" is not such a point,
// and a nudged equilibrium boundary is caught by the same check.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "models/ma_sue/boundary_game.hpp"
#include "models/ma_sue/segmentation.hpp"
#include "network_fixture.hpp"

namespace eqsweep::ma_sue {
namespace {

struct Case {
  const char* paradigm;  // equilibrium option
  const char* choice;
  double sigma;
};

Segmented segmented(const Case& c, BoundaryChoice b, double F = 33.0) {
  Instance full = testing::network_instance(
      "example3_segments.toml", {{"equilibrium", c.paradigm}, {"choice", c.choice}, {"demand", "mass_weighted"}});
  full.beta.sigma = c.sigma;
  full.fixed_cost[0] = F * full.option_count[0];
  auto solver = make_fast_solver({});
  SegmentationOptions o;
  o.boundaries = b;
  o.measure_boundary_gain = true;
  return solve_segmented(full, *solver, o);
}

// The owner's relative marginal profit in its boundary, in mass-fraction units.
double relative_marginal(const Segmented& r) {
  return boundary_marginal(r.in, r.s, 0, 0) / std::max(std::abs(owner_profit(r.in, r.s, 0)), 1.0);
}

class MaSueBoundaryEquilibrium : public ::testing::TestWithParam<Case> {};

TEST_P(MaSueBoundaryEquilibrium, StoredPointIsAVerifiedEquilibriumWithTheBoundaryInside) {
  const Segmented r = segmented(GetParam(), BoundaryChoice::equilibrium);
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.count[0], 2) << "sigma is chosen where two options pay";
  // Prices and lead times: the ordinary verification, redone here on the stored point.
  const Verification v = verify(r.in, r.s);
  EXPECT_TRUE(v.passed) << "kkt " << v.kkt_residual << " gain " << v.deviation_gain;
  // The boundary: its first-order condition and no profitable joint deviation of its owner.
  EXPECT_LT(std::abs(relative_marginal(r)), 1e-7);
  EXPECT_LE(boundary_deviation_gain(r.in, r.s, 0, {}), 1e-9);
  EXPECT_LE(r.boundary_gain, 1e-9);
  EXPECT_LE(r.verification.deviation_gain, 1e-9);
  // One option for SC2: nothing to deviate in.
  EXPECT_EQ(boundary_deviation_gain(r.in, r.s, 1, {}), 0.0);
}

TEST_P(MaSueBoundaryEquilibrium, NudgedBoundaryWithItsPriceEquilibriumIsNotAnEquilibrium) {
  Segmented r = segmented(GetParam(), BoundaryChoice::equilibrium);
  ASSERT_TRUE(r.ok);
  const double u = r.in.beta.mass(r.in.beta.lower, r.h[0][0]);
  for (double du : {-0.02, 0.02}) {
    Instance in = r.in;
    const double h = in.beta.quantile(u + du);
    in.set_boundaries(&h);
    Strategy s = r.s;
    ASSERT_TRUE(make_fast_solver({})->solve(in, s).converged);
    ASSERT_TRUE(verify(in, s).passed) << "the price/lead-time game alone is in equilibrium";
    EXPECT_GT(boundary_deviation_gain(in, s, 0, {}), 1e-7) << "du = " << du;
  }
}

TEST_P(MaSueBoundaryEquilibrium, JointOptimalBoundaryLeavesTheOwnerAGainUnlessTheChainIsAMonopolist) {
  const Segmented joint = segmented(GetParam(), BoundaryChoice::joint_optimal);
  ASSERT_TRUE(joint.ok);
  ASSERT_EQ(joint.count[0], 2);
  EXPECT_TRUE(joint.verification.passed);  // a price/lead-time equilibrium
  const Segmented eq = segmented(GetParam(), BoundaryChoice::equilibrium);
  ASSERT_TRUE(eq.ok);
  // A centralized chain under sealed segments faces no other player (each option is its own
  // market): maximising its equilibrium profit over h is its best response in h, so the two
  // concepts must coincide. Everywhere else its owner gains by moving h alone.
  const bool monopolist = std::string(GetParam().paradigm) == "centralized" && std::string(GetParam().choice) == "sealed";
  if (monopolist) {
    EXPECT_LE(joint.boundary_gain, 1e-9);
    EXPECT_NEAR(joint.h[0][0], eq.h[0][0], 1e-6);
  } else {
    EXPECT_GT(joint.boundary_gain, 1e-7);
    EXPECT_GT(std::abs(joint.h[0][0] - eq.h[0][0]), 1e-6);
  }
}

INSTANTIATE_TEST_SUITE_P(ExampleThree, MaSueBoundaryEquilibrium,
                         ::testing::Values(Case{"centralized", "mnl", 0.25}, Case{"centralized", "sealed", 0.2},
                                           Case{"decentralized", "mnl", 0.25}, Case{"decentralized", "sealed", 0.2}),
                         [](const auto& info) {
                           return std::string(info.param.paradigm) + "_" + info.param.choice;
                         });

}  // namespace
}  // namespace eqsweep::ma_sue
