// The segmentation stage: a chain's menu restricted to fewer options is the same game as a network
// file with fewer options, and the chosen count and boundary beat the alternatives they were
// compared with, each alternative being a verified equilibrium.

#include <gtest/gtest.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "models/ma_sue/segmentation.hpp"
#include "support/test_support.hpp"
#include "network_fixture.hpp"

namespace eqsweep::ma_sue {
namespace {

Instance instance(const std::string& file, OptionValues extra = {}) { return testing::network_instance(file, extra); }

double chain_profit(const Instance& in, int c) {
  Strategy s;
  cold_start(in, s);
  auto solver = make_fast_solver({});
  EXPECT_TRUE(solver->solve(in, s).converged);
  EXPECT_TRUE(verify(in, s).passed);
  Outcome o;
  evaluate(in, s, o);
  return o.profit_chain[c];
}

TEST(MaSueSegmentation, OneOptionRestrictionIsTheOneOptionNetwork) {
  // example3_s2 is example3_s1 with SC1 allowed two options (sigma 0.15 instead of 0.08).
  Instance two = instance("example3_s2.toml");
  two.beta.sigma = 0.08;
  Instance one;
  restrict_options(two, {1, 1}, one);
  one.set_boundaries(nullptr);
  EXPECT_EQ(one.n_options, 2);
  EXPECT_EQ(one.n_slots, 4);
  EXPECT_NEAR(chain_profit(one, 0), 218.4428, 1e-4);  // the verified Scenario 1 value (equilibrium_test)
  EXPECT_NEAR(chain_profit(one, 0), chain_profit(instance("example3_s1.toml"), 0), 1e-9);
}

TEST(MaSueSegmentation, ChosenMenuBeatsTheMenusItWasComparedWith) {
  const Instance full = instance("example3_s2.toml", {{"demand", "mass_weighted"}});
  auto solver = make_fast_solver({});
  const Segmented r = solve_segmented(full, *solver);
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.verification.passed);
  EXPECT_EQ(r.count[0], 2);
  EXPECT_EQ(r.count[1], 1);
  EXPECT_GT(r.profit_by_count[0][1], r.profit_by_count[0][0]);
  // The one-option profit is that of the one-option game, solved independently here.
  Instance one;
  restrict_options(full, {1, 1}, one);
  one.set_boundaries(nullptr);
  EXPECT_NEAR(r.profit_by_count[0][0], chain_profit(one, 0), 1e-9);
  // The chosen boundary does at least as well as the median and as nearby boundaries.
  Instance two;
  restrict_options(full, {2, 1}, two);
  for (double h : {full.beta.quantile(0.5), r.h[0][0] * 0.99, r.h[0][0] * 1.01}) {
    two.set_boundaries(&h);
    EXPECT_LE(chain_profit(two, 0), r.profit_by_count[0][1] + 1e-9) << "h = " << h;
  }
  two.set_boundaries(&r.h[0][0]);
  EXPECT_NEAR(chain_profit(two, 0), r.profit_by_count[0][1], 1e-9);
}

}  // namespace
}  // namespace eqsweep::ma_sue
