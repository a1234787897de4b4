// The paper's modified projection method on the decentralized VI (G1) (issue 13 item 5;
// models/ma_sue/decentralized_projection.hpp): its answer is checked by the same verification as
// every other solver's, and compared with the fast solver's verified equilibrium.

#include <cmath>

#include <gtest/gtest.h>

#include "models/ma_sue/decentralized_projection.hpp"
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

std::string describe_options(const OptionValues& o) {
  std::string s;
  for (const auto& [k, v] : o) s += k + "=" + v + " ";
  return s;
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

// R_i = sum_j x_j dr_j/dV_i (x held) against central differences of sum_j x_j r_j(P(V)) through the
// choice model, on a two-option chain, for every reading (G1) is derived for; one Lagrangian per
// chain or, for collusive leaders, over all chains.
TEST(MaSueDecentralizedProjection, RetailerTermsAreTheDerivativesOfTheSubstitutedMarkups) {
  const std::vector<OptionValues> readings = {{{"equilibrium", "decentralized"}},
                                              {{"equilibrium", "decentralized"}, {"demand", "mass_weighted"}},
                                              {{"equilibrium", "decentralized"}, {"choice", "sealed"}},
                                              {{"equilibrium", "decentralized"}, {"leader_objective", "joint"}}};
  for (const OptionValues& extra : readings) {
    const Solved r = solve("example3_s2.toml", extra);
    const Instance& in = r.in;
    const bool joint = extra.count("leader_objective") > 0;
    Outcome o;
    evaluate(in, r.s, o);
    OptionArray<double> V{};
    for (int i = 0; i < in.n_options; ++i) V[i] = in.w - in.alpha * r.s.p[i] - in.beta_bar[i] * o.lead_time[i];
    double x[kMaxOptions];
    for (int i = 0; i < in.n_options; ++i) x[i] = o.x[i] * (1.0 + 0.1 * i);  // flows off the demand: x is a variable
    RetailerTerms at;
    retailer_terms(in, o.P, x, joint, at);
    for (int i = 0; i < in.n_options; ++i) {
      auto weighted_markups = [&](double dv) {
        OptionArray<double> W = V, P{};
        W[i] += dv;
        choice_probabilities(in, W, P);
        RetailerTerms t;
        retailer_terms(in, P, x, joint, t);
        double sum = 0;
        for (int j = 0; j < in.n_options; ++j)
          if (joint || in.chain[j] == in.chain[i]) sum += x[j] * t.r[j];
        return sum;
      };
      const double h = 1e-5, numeric = (weighted_markups(h) - weighted_markups(-h)) / (2 * h);
      EXPECT_NEAR(at.R[i], numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << describe_options(extra) << " option " << i;
    }
  }
}

// One option per chain, printed MNL: R_i = x_i P_i / (alpha (1 - P_i)), so the price row
// -x_i - alpha R_i + alpha Z_i is (G1)'s printed -x_i / (1 - P_i) + alpha Z_i.
TEST(MaSueDecentralizedProjection, OneOptionChainsGiveThePrintedPriceRow) {
  const Solved r = solve("example3_s1.toml", {{"equilibrium", "decentralized"}});
  Outcome o;
  evaluate(r.in, r.s, o);
  double x[kMaxOptions] = {30.0, 70.0};
  RetailerTerms t;
  retailer_terms(r.in, o.P, x, false, t);
  for (int i = 0; i < 2; ++i) {
    const double P = o.P[i], a = r.in.alpha;
    EXPECT_NEAR(-x[i] - a * t.R[i], -x[i] / (1 - P), 1e-12 * x[i]);
    EXPECT_NEAR(t.r[i], 1 / (a * (1 - P)), 1e-12);
  }
}

TEST(MaSueDecentralizedProjection, RetailEquilibriumAnticipationIsRefused) {
  EXPECT_THROW(testing::configured_model(testing::network_options(
                   "example3_s1.toml", {{"equilibrium", "decentralized"}, {"solver", "projection"},
                                        {"anticipation", "retail_equilibrium"}})),
               std::invalid_argument);
}

}  // namespace
}  // namespace eqsweep::ma_sue
