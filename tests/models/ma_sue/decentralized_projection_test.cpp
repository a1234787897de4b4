// The paper's modified projection method on the decentralized VI (G1) (issue 13 item 5;
// models/ma_sue/decentralized_projection.hpp): its answer is checked by the same verification as
// every other solver's, and compared with the fast solver's verified equilibrium.

#include <cmath>

#include <gtest/gtest.h>

#include "network_fixture.hpp"

namespace eqsweep::ma_sue {
namespace {

struct Solved {
  Instance in;
  Strategy s;
  SolveSummary summary;
};

Solved solve(const std::string& file, OptionValues extra) {
  OptionValues o = testing::network_options(file, extra);
  Solved r;
  r.in = testing::default_instance(*testing::configured_model(o));
  cold_start(r.in, r.s);
  auto solver = o["solver"] == "projection" ? make_projection_solver(MaSueModel::solver_options(o))
                                            : make_fast_solver(MaSueModel::solver_options(o));
  r.summary = solver->solve(r.in, r.s);
  return r;
}

const OptionValues kTight = {{"equilibrium", "decentralized"}, {"solver", "projection"}, {"phi", "0.1"},
                             {"epsilon", "1e-10"}, {"max_iterations", "3000000"}};

// Run to a tight tolerance, the projection's answer passes verification and is the fast solver's
// equilibrium (retail and wholesale prices, lead times).
TEST(MaSueDecentralizedProjection, TightToleranceGivesTheVerifiedEquilibriumOnScenarioOne) {
  const Solved fast = solve("example3_s1.toml", {{"equilibrium", "decentralized"}});
  const Solved proj = solve("example3_s1.toml", kTight);
  ASSERT_TRUE(proj.summary.converged) << proj.summary.brief();
  const Verification v = verify(proj.in, proj.s);
  EXPECT_TRUE(v.passed) << "kkt " << v.kkt_residual << " gain " << v.deviation_gain;
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(proj.s.p[i], fast.s.p[i], 1e-5);
    EXPECT_NEAR(proj.s.wh[i], fast.s.wh[i], 1e-5);
  }
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(proj.s.t[k], fast.s.t[k], 1e-5);
}

// The printed step rules (rho = 1e-3, epsilon = 1e-4): the stop bounds ||F|| only by
// epsilon / rho = 0.1, and the stopped point is not an equilibrium.
TEST(MaSueDecentralizedProjection, PrintedToleranceStopsShortOfTheEquilibrium) {
  const Solved r = solve("example3_s1.toml", {{"equilibrium", "decentralized"}, {"solver", "projection"}, {"phi", "0.1"}});
  ASSERT_TRUE(r.summary.converged) << r.summary.brief();
  EXPECT_FALSE(verify(r.in, r.s).passed);
}

// Collusive leaders: one Lagrangian over all chains; the answer is the fast solver's joint equilibrium.
TEST(MaSueDecentralizedProjection, CollusiveLeadersGiveTheVerifiedJointEquilibrium) {
  OptionValues joint = kTight;
  joint["leader_objective"] = "joint";
  const Solved fast = solve("example3_s1.toml", {{"equilibrium", "decentralized"}, {"leader_objective", "joint"}});
  const Solved proj = solve("example3_s1.toml", joint);
  ASSERT_TRUE(proj.summary.converged) << proj.summary.brief();
  const Verification v = verify(proj.in, proj.s);
  EXPECT_TRUE(v.passed) << "kkt " << v.kkt_residual << " gain " << v.deviation_gain;
  for (int i = 0; i < 2; ++i) EXPECT_NEAR(proj.s.wh[i], fast.s.wh[i], 1e-5);
}

TEST(MaSueDecentralizedProjection, RetailEquilibriumAnticipationIsRefused) {
  EXPECT_THROW(testing::configured_model(testing::network_options(
                   "example3_s1.toml", {{"equilibrium", "decentralized"}, {"solver", "projection"},
                                        {"anticipation", "retail_equilibrium"}})),
               std::invalid_argument);
}

}  // namespace
}  // namespace eqsweep::ma_sue
