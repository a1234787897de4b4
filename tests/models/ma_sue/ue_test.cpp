// UE (eq. (12)): deterministic choice. The closed form of ue_solver.cpp is checked against the
// Bertrand outcome worked out here from the primitives (lead times from -c'(t) = beta_bar/alpha,
// zero-margin utilities S), and every equilibrium against verify_ue (exact best response plus
// explicit deviations). Table 3's UE column and Proposition 1(a) are compared with it.

#include <cmath>

#include <gtest/gtest.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "models/ma_sue/ue_solver.hpp"
#include "models/ma_sue/ue_verification.hpp"
#include "support/test_support.hpp"
#include "network_fixture.hpp"

namespace eqsweep::ma_sue {
namespace {

std::shared_ptr<const MaSueModel> configured(const std::string& file, OptionValues extra = {}) {
  extra.emplace("equilibrium", "ue");
  return testing::configured_model(testing::network_options(file, extra));
}

Instance instance(const std::string& file, OptionValues extra = {}) {
  return testing::default_instance(*configured(file, std::move(extra)));
}

struct Ue {
  Strategy s;
  Outcome o;
  UeVerification v;
};

Ue solve(const Instance& in) {
  Ue r;
  EXPECT_TRUE(solve_ue(in, r.s).converged);
  r.v = verify_ue(in, r.s);
  evaluate_ue(in, r.s, r.o);
  return r;
}

// Zero-margin utility of a one-option chain whose path is one operation link c = a/t (k = 1) plus
// interface cost `iface` and interface time `t0`, worked out by hand: t = sqrt(a alpha / beta).
double capacity_by_hand(const Instance& in, double a, double iface, double t0, double beta) {
  const double t = std::sqrt(a * in.alpha / beta);
  return in.w - beta * (t + t0) - in.alpha * (a / t + iface);
}

TEST(MaSueUe, Example1IsTheBertrandOutcome) {
  const Instance in = instance("example1.toml");
  const Ue r = solve(in);
  EXPECT_TRUE(r.v.passed) << r.v.kkt_residual << " " << r.v.deviation_gain;
  const double b = in.beta_bar[0];
  EXPECT_NEAR(in.beta_bar[1], b, 1e-15);
  const double S1 = capacity_by_hand(in, 10, 1, 0, b), S2 = capacity_by_hand(in, 12, 1, 0, b);
  ASSERT_GT(S1, S2);
  ASSERT_GT(S2, 0);
  EXPECT_NEAR(ue_capacity(in, 0), S1, 1e-12);
  EXPECT_NEAR(ue_capacity(in, 1), S2, 1e-12);
  // Chain 1 wins the whole market at the utility chain 2 can offer at cost; chain 2 sells nothing.
  EXPECT_NEAR(r.s.t[0], std::sqrt(10 * in.alpha / b), 1e-12);
  EXPECT_NEAR(r.s.t[1], std::sqrt(12 * in.alpha / b), 1e-12);
  EXPECT_NEAR(in.w - in.alpha * r.s.p[0] - b * r.o.lead_time[0], S2, 1e-12);
  EXPECT_NEAR(r.o.x[0], in.Q, 1e-12);
  EXPECT_EQ(r.o.x[1], 0.0);
  EXPECT_NEAR(r.o.no_purchase, 0.0, 1e-15);
  EXPECT_NEAR(r.o.profit_chain[0], in.Q * (S1 - S2) / in.alpha, 1e-9);
  EXPECT_NEAR(r.o.profit_chain[1], 0.0, 1e-12);
  EXPECT_LE(r.v.best_response_gain, 1e-12);
}

TEST(MaSueUe, OffEquilibriumMenusFailVerification) {
  const Instance in = instance("example1.toml");
  const Ue r = solve(in);
  Strategy s = r.s;
  s.p[0] -= 0.1;  // the winner gives away margin: raising it back pays
  UeVerification v = verify_ue(in, s);
  EXPECT_FALSE(v.passed);
  EXPECT_GT(v.best_response_gain, 1e-3);
  EXPECT_EQ(v.worst_chain, 0);
  s = r.s;
  s.p[1] += 0.1;  // the runner-up above cost: the winner can now charge more
  v = verify_ue(in, s);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.worst_chain, 0);
  s = r.s;
  s.t[0] *= 1.2;  // the winner's lead time off its FOC, utility kept by the price: the ladder sees it
  s.p[0] -= in.beta_bar[0] * (s.t[0] - r.s.t[0]) / in.alpha;
  v = verify_ue(in, s);
  EXPECT_FALSE(v.passed);
  EXPECT_GT(v.kkt_residual, 0.1);
  EXPECT_GT(v.ladder_gain, 1e-4);
}

TEST(MaSueUe, EqualCapacitiesGiveZeroMarginsAndASplitMarket) {
  Instance in = instance("example1.toml");
  in.slots[1].cost.a = 10;  // chain 2 as efficient as chain 1
  const Ue r = solve(in);
  EXPECT_TRUE(r.v.passed);
  EXPECT_NEAR(r.o.profit_chain[0], 0.0, 1e-9);
  EXPECT_NEAR(r.o.profit_chain[1], 0.0, 1e-9);
  EXPECT_NEAR(r.o.x[0], in.Q / 2, 1e-12);
  EXPECT_NEAR(r.o.x[1], in.Q / 2, 1e-12);
}

TEST(MaSueUe, WithoutAViableRivalTheWinnerChargesTheWholeSurplus) {
  Instance in = instance("example1.toml");
  in.iface_cost_n[1] = in.iface_cost_m[1] = 0;
  in.iface_cost_n[1] = 100;  // chain 2 cannot offer a non-negative utility
  ASSERT_LT(ue_capacity(in, 1), 0);
  const Ue r = solve(in);
  EXPECT_TRUE(r.v.passed);
  const double S1 = ue_capacity(in, 0);
  EXPECT_NEAR(in.w - in.alpha * r.s.p[0] - in.beta_bar[0] * r.o.lead_time[0], 0.0, 1e-12);  // utility 0: customers buy
  EXPECT_NEAR(r.o.x[0], in.Q, 1e-12);
  EXPECT_NEAR(r.o.profit_chain[0], in.Q * S1 / in.alpha, 1e-9);
}

TEST(MaSueUe, PrintedUeColumnOfTable3IsNotAnEquilibrium) {
  const Instance in = instance("example1.toml");
  Strategy s;
  s.p[0] = 12.7, s.p[1] = 10.3;  // Table 3, UE column
  s.t[0] = 6.6, s.t[1] = 10.5;
  Outcome o;
  evaluate_ue(in, s, o);
  // Deterministic choice at the printed menu: V_1 = 0.35 > 0 > V_2 = -0.4, so chain 1 takes all
  // 100 customers (printed supplies: 93.1 and 0.5).
  EXPECT_NEAR(o.x[0], in.Q, 1e-12);
  EXPECT_EQ(o.x[1], 0.0);
  const UeVerification v = verify_ue(in, s);
  EXPECT_FALSE(v.passed);
  EXPECT_GT(v.kkt_residual, 0.5);  // 10/6.6^2 = 0.23 against beta_bar/alpha = 1
  EXPECT_GT(v.deviation_gain, 0.1);
  // The printed "demands" row is the MNL demand at the printed UE menu (45.9, 21.7).
  Instance sue = in;
  sue.readings.equilibrium = Equilibrium::centralized;
  evaluate(sue, s, o);
  EXPECT_NEAR(o.x[0], 45.9, 0.05);
  EXPECT_NEAR(o.x[1], 21.7, 0.05);
}

TEST(MaSueUe, Proposition1aFailsWhereNoChainCanOfferAPositiveUtility) {
  // Example 3 Scenario 1 at the w = 5 that reproduces Table 6: no chain can offer a non-negative
  // utility at cost, so under UE nobody buys, while the SUE equilibrium sells to 22.8 %.
  const Instance in = instance("example3_s1.toml");
  ASSERT_LT(ue_capacity(in, 0), 0);
  ASSERT_LT(ue_capacity(in, 1), 0);
  const Ue r = solve(in);
  EXPECT_TRUE(r.v.passed);
  EXPECT_EQ(r.o.no_purchase, 1.0);
  Instance sue = in;
  sue.readings.equilibrium = Equilibrium::centralized;
  Strategy s;
  cold_start(sue, s);
  ASSERT_TRUE(make_fast_solver({})->solve(sue, s).converged);
  ASSERT_TRUE(verify(sue, s).passed);
  Outcome o;
  evaluate(sue, s, o);
  EXPECT_LT(o.no_purchase, r.o.no_purchase);  // SUE no-purchase share below UE's: 1(a) reversed
  EXPECT_LT(o.no_purchase, 0.8);
}

TEST(MaSueUe, Proposition1aHoldsInExample1) {
  const Instance in = instance("example1.toml");
  const Ue r = solve(in);
  ASSERT_TRUE(r.v.passed);
  Instance sue = in;
  sue.readings.equilibrium = Equilibrium::centralized;
  Strategy s;
  cold_start(sue, s);
  ASSERT_TRUE(make_fast_solver({})->solve(sue, s).converged);
  ASSERT_TRUE(verify(sue, s).passed);
  Outcome o;
  evaluate(sue, s, o);
  EXPECT_GT(o.no_purchase, r.o.no_purchase);
}

TEST(MaSueUe, MultiOptionReadingsVerify) {
  for (const char* choice : {"mnl", "sealed"})
    for (const char* demand : {"printed", "mass_weighted"})
      for (const char* beta : {"conditional", "partial"}) {
        for (const char* file : {"example3_s2.toml", "example3_s3.toml"}) {
          for (double w : {5.0, 9.0, 14.0}) {
            Instance in = instance(file, {{"choice", choice}, {"demand", demand}, {"beta_bar", beta}});
            in.w = w;
            const Ue r = solve(in);
            EXPECT_TRUE(r.v.passed) << file << " " << choice << " " << demand << " " << beta << " w=" << w
                                    << ": kkt " << r.v.kkt_residual << " gain " << r.v.deviation_gain;
          }
        }
      }
}

TEST(MaSueUe, PointSolverWritesTheUeOutputsByName) {
  auto model = configured("example1.toml");
  std::vector<double> params;
  for (const auto& p : model->parameters()) params.push_back(p.default_value);
  auto solver = model->make_solver({"sue", {}, {}});
  std::vector<double> out(model->outputs().size(), 0.0);
  const PointResult pr = solver->solve_point(params.data(), 1, out.data(), 1, {}, {});
  EXPECT_EQ(pr.status, PointStatus::solved);
  Instance in;
  model->instance_at(params.data(), 1, in);
  const Ue r = solve(in);
  auto at = [&](const std::string& name) {
    for (std::size_t k = 0; k < model->outputs().size(); ++k)
      if (model->outputs()[k].name == name) return out[k];
    ADD_FAILURE() << "no output " << name;
    return kNaN;
  };
  EXPECT_EQ(at("p.SC1.1"), r.s.p[0]);
  EXPECT_EQ(at("p.SC2.1"), r.s.p[1]);
  EXPECT_EQ(at("t.s1"), r.s.t[0]);
  EXPECT_EQ(at("x.SC1.1"), r.o.x[0]);
  EXPECT_EQ(at("profit.SC1"), r.o.profit_chain[0]);
  EXPECT_EQ(at("no_purchase"), r.o.no_purchase);
  EXPECT_TRUE(std::isnan(at("profit_m.SC1")));
  EXPECT_LE(at("deviation_gain"), 1e-9);
}

TEST(MaSueUe, OptimalSegmentsAreRefusedUnderUe) {
  EXPECT_THROW(configured("example3_s2.toml", {{"segments", "optimal"}, {"demand", "mass_weighted"}}),
               std::invalid_argument);
}

}  // namespace
}  // namespace eqsweep::ma_sue
