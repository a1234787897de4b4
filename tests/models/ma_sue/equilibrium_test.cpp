// Equilibria of model M on the paper's Example 3 network, pinned by their own conditions:
// closed-form first-order conditions worked out independently of the solver, the verification
// (KKT residual and unilateral deviations), and the comparisons of Proposition 1.

#include <cmath>

#include <gtest/gtest.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "support/test_support.hpp"
#include "network_fixture.hpp"

namespace eqsweep::ma_sue {
namespace {

struct Solved {
  std::shared_ptr<const MaSueModel> model;
  Instance in;
  Strategy s;
  SolveSummary summary;
  Outcome out;
};

Solved solve(const std::string& file, OptionValues extra = {}) {
  OptionValues o = testing::network_options(file, extra);
  Solved r;
  r.model = testing::configured_model(o);
  r.in = testing::default_instance(*r.model);
  cold_start(r.in, r.s);
  auto solver = o["solver"] == "projection" ? make_projection_solver(MaSueModel::solver_options(o))
                                            : make_fast_solver(MaSueModel::solver_options(o));
  r.summary = solver->solve(r.in, r.s);
  evaluate(r.in, r.s, r.out);
  return r;
}

TEST(MaSueEquilibrium, CentralizedExample3Scenario1SatisfiesItsOwnConditions) {
  const Solved r = solve("example3_s1.toml");
  ASSERT_TRUE(r.summary.converged) << r.summary.brief();
  const Verification v = verify(r.in, r.s);
  EXPECT_TRUE(v.passed) << v.kkt_residual << " " << v.deviation_gain;
  // -c'(t) = beta_bar/alpha with c = a/t: t = sqrt(a alpha / beta_bar); beta_bar is the mean of
  // N(0.5, 0.08^2) truncated at 0, 0.5 up to ~1e-10.
  EXPECT_NEAR(r.in.beta_bar[0], 0.5, 1e-9);
  const double b = r.in.beta_bar[0];
  EXPECT_NEAR(r.s.t[0], std::sqrt(4.0 * 0.5 / b), 1e-12);
  EXPECT_NEAR(r.s.t[1], std::sqrt(6.0 * 0.5 / b), 1e-12);
  EXPECT_NEAR(r.s.t[2], std::sqrt(5.0 * 0.5 / b), 1e-12);
  EXPECT_NEAR(r.s.t[3], std::sqrt(7.0 * 0.5 / b), 1e-12);
  for (int i = 0; i < 2; ++i)  // MNL markup of a one-option chain: 1 / (alpha (1 - P))
    EXPECT_NEAR(r.s.p[i] - r.out.cost_m[i] - r.out.cost_n[i], 1.0 / (0.5 * (1.0 - r.out.P[i])), 1e-10);
  // The model's values (docs/model-m.md: Table 6 prints x_1 = 95.80, which is not this equilibrium).
  EXPECT_NEAR(r.out.x[0], 98.4667, 1e-4);
  EXPECT_NEAR(r.out.x[1], 129.9613, 1e-4);
  EXPECT_NEAR(r.out.profit_chain[0], 218.4428, 1e-4);
}

TEST(MaSueEquilibrium, DecentralizedExample3Scenario1SatisfiesItsOwnConditions) {
  const Solved r = solve("example3_s1.toml", {{"equilibrium", "decentralized"}});
  ASSERT_TRUE(r.summary.converged) << r.summary.brief();
  const Verification v = verify(r.in, r.s);
  EXPECT_TRUE(v.passed) << v.kkt_residual << " " << v.deviation_gain;
  for (int i = 0; i < 2; ++i) {
    const double P = r.out.P[i];
    EXPECT_NEAR(r.s.p[i] - r.s.wh[i] - r.out.cost_n[i], 1.0 / (0.5 * (1 - P)), 1e-10);  // retailer markup
    EXPECT_NEAR(r.s.wh[i] - r.out.cost_m[i], 1.0 / (0.5 * (1 - P) * (1 - P)), 1e-10);   // leader margin
  }
}

TEST(MaSueEquilibrium, PrintedDecentralizedMenuOfTable6IsNotAnEquilibrium) {
  Solved r = solve("example3_s1.toml", {{"equilibrium", "decentralized"}});
  // Table 6, Scenario 1, DS: retail (10.81, 10.32), wholesale (4.29, 4.56), link lead times.
  r.s.p = {10.81, 10.32};
  r.s.wh = {4.29, 4.56};
  r.s.t[0] = 2.00, r.s.t[1] = 2.45, r.s.t[2] = 2.24, r.s.t[3] = 2.65;
  const Verification v = verify(r.in, r.s);
  EXPECT_FALSE(v.passed);
  EXPECT_GT(v.deviation_gain, 1e-3);
}

TEST(MaSueEquilibrium, DecentralizedChargesMoreAndEarnsLessThanCentralized) {  // Proposition 1(a)-(c)
  const Solved c = solve("example3_s1.toml");
  const Solved d = solve("example3_s1.toml", {{"equilibrium", "decentralized"}});
  for (int i = 0; i < 2; ++i) {
    EXPECT_GT(d.s.p[i], c.s.p[i]);
    EXPECT_LT(d.out.profit_chain[i], c.out.profit_chain[i]);
  }
  EXPECT_GT(d.out.no_purchase, c.out.no_purchase);
}

TEST(MaSueEquilibrium, TwoOptionMenusAndSharedLeadTimesVerify) {
  for (const char* file : {"example3_s2.toml", "example3_s3.toml"})
    for (const char* eq : {"centralized", "decentralized"}) {
      const Solved r = solve(file, {{"equilibrium", eq}});
      ASSERT_TRUE(r.summary.converged) << file << " " << eq << " " << r.summary.brief();
      const Verification v = verify(r.in, r.s);
      EXPECT_TRUE(v.passed) << file << " " << eq << " kkt " << v.kkt_residual << " gain " << v.deviation_gain;
    }
}

TEST(MaSueEquilibrium, SealedAndMassWeightedReadingsVerify) {
  for (const char* choice : {"mnl", "sealed"})
    for (const char* demand : {"printed", "mass_weighted"}) {
      const Solved r = solve("example3_s2.toml", {{"choice", choice}, {"demand", demand}});
      ASSERT_TRUE(r.summary.converged) << choice << demand;
      EXPECT_TRUE(verify(r.in, r.s).passed) << choice << " " << demand;
    }
}

TEST(MaSueEquilibrium, AStrategyOffEquilibriumFailsVerification) {
  Solved r = solve("example3_s1.toml");
  r.s.p[0] *= 1.05;
  EXPECT_FALSE(verify(r.in, r.s).passed);
}

TEST(MaSueEquilibrium, WarmStartReachesTheSameEquilibriumInFewerIterations) {
  const Solved cold = solve("example3_s1.toml");
  Strategy warm = cold.s;
  Instance in = cold.in;
  in.beta.sigma = 0.081;
  in.set_boundaries(nullptr);
  Strategy fresh;
  cold_start(in, fresh);
  auto solver = make_fast_solver({});
  const SolveSummary a = solver->solve(in, warm);
  const SolveSummary b = solver->solve(in, fresh);
  ASSERT_TRUE(a.converged && b.converged);
  EXPECT_LE(a.iterations, b.iterations);
  for (int i = 0; i < in.n_options; ++i) EXPECT_NEAR(warm.p[i], fresh.p[i], 1e-10);
}

TEST(MaSueEquilibrium, ProjectionAtPrintedToleranceStopsShortOfTheEquilibrium) {
  // rho = 1e-3, epsilon = 1e-4 as printed: the stopping rule ||X^k - X^{k-1}|| <= epsilon
  // allows ||F|| up to epsilon / rho = 0.1, and the stopped point fails verification.
  const Solved r = solve("example3_s1.toml", {{"solver", "projection"}, {"phi", "0.1"}});
  ASSERT_TRUE(r.summary.converged) << r.summary.brief();
  EXPECT_FALSE(verify(r.in, r.s).passed);
}

TEST(MaSueEquilibrium, ProjectionWithPrintedMultiplierSignDiverges) {
  const Solved r = solve("example3_s1.toml", {{"solver", "projection"}, {"projection_signs", "printed"},
                                              {"max_iterations", "200000"}});
  EXPECT_FALSE(r.summary.converged);
}

}  // namespace
}  // namespace eqsweep::ma_sue

namespace eqsweep::ma_sue {
namespace {

TEST(MaSueEquilibrium, ProjectionRunToATightToleranceAgreesWithTheFastSolver) {
  const Solved fast = solve("example3_s1.toml");
  const Solved proj = solve("example3_s1.toml", {{"solver", "projection"}, {"phi", "0.1"}, {"epsilon", "1e-9"},
                                                 {"max_iterations", "3000000"}});
  ASSERT_TRUE(proj.summary.converged) << proj.summary.brief();
  for (int i = 0; i < 2; ++i) EXPECT_NEAR(proj.s.p[i], fast.s.p[i], 1e-5);
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(proj.s.t[k], fast.s.t[k], 1e-5);
}

}  // namespace
}  // namespace eqsweep::ma_sue
