// Well-posedness of the readings of eq. (5) and (8) for multi-option menus: a chain's profit as
// one of its segments is emptied (boundary pushed to a tail), every point a verified SUE
// equilibrium. With demand x_i = Q P_i as printed, the near-empty segment's option sells to much
// of the market, and the profit grows towards a supremum that no boundary attains (degenerate);
// with mass-weighted demand the profit tends to the one-option menu's (well-posed).

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "support/test_support.hpp"
#include "network_fixture.hpp"

namespace eqsweep::ma_sue {
namespace {

// SC1 offers two options in example3_s2.toml.
OptionValues options(OptionValues extra) { return testing::network_options("example3_s2.toml", extra); }

Instance instance(OptionValues extra) { return testing::default_instance(*testing::configured_model(options(std::move(extra)))); }

struct Point {
  double profit = 0, x_small = 0, mass_small = 0, beta_small = 0;
};

// SC1's verified equilibrium with its boundary at mass fraction u; "small" is its segment with the
// smaller mass.
Point at(Instance in, double u) {
  const double h = in.beta.quantile(u);
  in.set_boundaries(&h);
  Strategy s;
  cold_start(in, s);
  EXPECT_TRUE(make_fast_solver({})->solve(in, s).converged) << "u = " << u;
  // The audit level (KKT residual + ladder of deviations): the certificate level's Hessian test
  // rejects points where an option sells ~0 (its curvature vanishes with its flow; seen with
  // mass-weighted demand at u = 1e-4, KKT 5e-13 and no gain found).
  VerifyOptions audit;
  audit.level = VerifyLevel::audit;
  const Verification v = verify(in, s, audit);
  EXPECT_TRUE(v.passed) << "u = " << u << ": kkt " << v.kkt_residual << " gain " << v.deviation_gain;
  Outcome o;
  evaluate(in, s, o);
  const int k = in.mass[0] < in.mass[1] ? 0 : 1;
  return {o.profit_chain[0], o.x[k], in.mass[k], in.beta_bar[k]};
}

// The same network with SC1 offering one option (example3_s1.toml) at the same sigma: the limit a
// well-posed reading must approach as one segment empties.
double one_option_profit(const Instance& two) {
  Instance in = testing::network_instance("example3_s1.toml");
  in.beta.sigma = two.beta.sigma;
  in.set_boundaries(nullptr);
  Strategy s;
  cold_start(in, s);
  EXPECT_TRUE(make_fast_solver({})->solve(in, s).converged);
  EXPECT_TRUE(verify(in, s).passed);
  Outcome out;
  evaluate(in, s, out);
  return out.profit_chain[0];
}

TEST(MaSueReadings, LiteralReadingRewardsANearEmptySegment) {
  // beta_bar = partial (eq. (5) as printed), x_i = Q P_i (eq. (8) as printed): the top segment's
  // beta_bar is its partial expectation, which vanishes with its mass.
  const Instance in = instance({{"beta_bar", "partial"}, {"demand", "printed"}});
  const double one = one_option_profit(in);
  double prev = -1;
  Point last;
  for (double u : {0.8, 0.9, 0.99, 0.999, 1 - 1e-4, 1 - 1e-5, 1 - 1e-6}) {
    last = at(in, u);
    EXPECT_GT(last.profit, prev) << "u = " << u;  // strictly better as the segment empties
    prev = last.profit;
  }
  EXPECT_LT(last.mass_small, 2e-6);
  EXPECT_LT(last.beta_small, 1e-5);
  EXPECT_GT(last.x_small, 0.6 * in.Q);   // ~1e-6 of the customers, 67 % of the sales
  EXPECT_GT(last.profit, 15 * one);      // against 218 with one option
  // The same happens at the bottom tail (its partial expectation vanishes too).
  const Point low = at(in, 1e-6);
  EXPECT_GT(low.x_small, 0.6 * in.Q);
  EXPECT_GT(low.profit, 15 * one);
}

TEST(MaSueReadings, PrintedDemandIsDegenerateWithConditionalMeansToo) {
  // The model's default beta_bar reading: the bottom segment [0, h) has conditional mean -> 0 as
  // h -> 0 (beta truncated at 0), and with x_i = Q P_i its option again takes the market.
  const Instance in = instance({{"beta_bar", "conditional"}, {"demand", "printed"}});
  const double one = one_option_profit(in);
  double prev = -1;
  Point last;
  for (double u : {0.05, 0.01, 1e-3, 1e-4, 1e-5, 1e-6}) {
    last = at(in, u);
    EXPECT_GT(last.profit, prev) << "u = " << u;
    prev = last.profit;
  }
  EXPECT_GT(last.x_small, 0.6 * in.Q);
  EXPECT_GT(last.profit, 15 * one);
}

TEST(MaSueReadings, MassWeightedDemandTendsToTheOneOptionMenu) {
  for (const char* beta : {"conditional", "partial"}) {
    const Instance in = instance({{"beta_bar", beta}, {"demand", "mass_weighted"}});
    const double one = one_option_profit(in);
    for (double u : {1e-4, 1 - 1e-4}) {
      const Point p = at(in, u);
      EXPECT_LT(p.x_small, 1e-3) << beta << " u = " << u;
      EXPECT_NEAR(p.profit, one, 1e-3 * one) << beta << " u = " << u;
    }
  }
  // Conditional means: an interior boundary pays (so the optimum is interior, not at a tail).
  const Instance in = instance({{"beta_bar", "conditional"}, {"demand", "mass_weighted"}});
  EXPECT_GT(at(in, 0.5).profit, one_option_profit(in) * 1.05);
}

TEST(MaSueReadings, DefaultsAndTheSegmentationGuard) {
  MaSueModel base;
  OptionValues o;
  for (const auto& info : base.options()) o[info.name] = info.default_value;
  const Readings r = readings_from(o);
  EXPECT_EQ(r.beta, BetaReading::conditional);
  EXPECT_EQ(r.demand, DemandReading::printed);  // well-posed for one-option chains (mass 1) only
  // A segmentation study under printed demand has no optimum: refused with a message.
  EXPECT_THROW(base.configure(options({{"segments", "optimal"}}), "."), std::invalid_argument);
  EXPECT_NO_THROW(base.configure(options({{"segments", "optimal"}, {"demand", "mass_weighted"}}), "."));
}

}  // namespace
}  // namespace eqsweep::ma_sue
