// UE (eq. (12)): deterministic choice. The closed form of ue_solver.cpp is checked against the
// Bertrand outcome worked out here from the primitives (lead times from -c'(t) = beta_bar/alpha,
// zero-margin utilities S), and every equilibrium against verify_ue (exact best response plus
// explicit deviations). Table 3's UE column and Proposition 1(a) are compared with it.

#include <bit>
#include <cmath>
#include <string>

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
  const testing::PointOutputs at = testing::solve_default_point(*model);
  EXPECT_EQ(at.result.status, PointStatus::solved);
  const Ue r = solve(testing::default_instance(*model));
  EXPECT_EQ(at["p.SC1.1"], r.s.p[0]);
  EXPECT_EQ(at["p.SC2.1"], r.s.p[1]);
  EXPECT_EQ(at["t.s1"], r.s.t[0]);
  EXPECT_EQ(at["x.SC1.1"], r.o.x[0]);
  EXPECT_EQ(at["profit.SC1"], r.o.profit_chain[0]);
  EXPECT_EQ(at["no_purchase"], r.o.no_purchase);
  EXPECT_TRUE(std::isnan(at["profit_m.SC1"]));
  EXPECT_LE(at["deviation_gain"], 1e-9);
}

TEST(MaSueUe, OptimalSegmentsAreRefusedUnderUe) {
  EXPECT_THROW(configured("example3_s2.toml", {{"segments", "optimal"}, {"demand", "mass_weighted"}}),
               std::invalid_argument);
  OptionValues o = testing::network_options("example3_s2.toml",
                                            {{"segments", "optimal"}, {"demand", "mass_weighted"}});
  o["equilibrium"] = "ue_decentralized";
  EXPECT_THROW(testing::configured_model(o), std::invalid_argument);
}

// ---- Stackelberg chains (equilibrium = "ue_decentralized") ------------------------------------

Instance stackelberg(const std::string& file, OptionValues extra = {}) {
  OptionValues o = testing::network_options(file, extra);
  o["equilibrium"] = "ue_decentralized";
  return testing::default_instance(*testing::configured_model(o));
}

TEST(MaSueUeDecentralized, ReadingIsParsed) {
  const Instance in = stackelberg("example1.toml");
  EXPECT_EQ(in.readings.equilibrium, Equilibrium::ue);
  EXPECT_TRUE(in.readings.ue_decentralized);
  EXPECT_FALSE(instance("example1.toml").readings.ue_decentralized);
}

TEST(MaSueUeDecentralized, Example1ByHand) {
  // Example 1: each chain is one manufacturer link s_k (c = a/t) and an interface link (cost 1,
  // paid by the retailer, the network default); the retailer has no lead time to set.
  const Instance in = stackelberg("example1.toml");
  const Ue r = solve(in);
  EXPECT_TRUE(r.v.passed) << r.v.kkt_residual << " " << r.v.deviation_gain;
  EXPECT_LE(r.v.best_response_gain, 1e-12);
  const double b = in.beta_bar[0], al = in.alpha;
  const double t1 = std::sqrt(10 * al / b), t2 = std::sqrt(12 * al / b);  // -c'(t) = beta/alpha
  const double S1 = in.w - b * t1 - al * (10 / t1 + 1), S2 = in.w - b * t2 - al * (12 / t2 + 1);
  ASSERT_GT(S1, S2);
  // Retail stage: retailer 1 can win at the utility retailer 2 offers at cost; leader 1 raises its
  // wholesale price until its retailer's capacity is exactly that utility, S2.
  const double p1 = (in.w - b * t1 - S2) / al;
  const double wh1 = p1 - 1.0;  // retail margin p - wh - c_b = 0
  EXPECT_NEAR(r.s.t[0], t1, 1e-12);
  EXPECT_NEAR(r.s.t[1], t2, 1e-12);
  EXPECT_NEAR(r.s.p[0], p1, 1e-12);
  EXPECT_NEAR(r.s.wh[0], wh1, 1e-12);
  EXPECT_NEAR(r.s.p[1], 12 / t2 + 1, 1e-12);  // the runner-up: wholesale and retail price at cost
  EXPECT_NEAR(r.s.wh[1], 12 / t2, 1e-12);
  EXPECT_NEAR(r.o.x[0], in.Q, 1e-12);
  EXPECT_EQ(r.o.x[1], 0.0);
  EXPECT_NEAR(r.o.profit_m[0], in.Q * (wh1 - 10 / t1), 1e-9);
  EXPECT_NEAR(r.o.profit_m[0], in.Q * (S1 - S2) / al, 1e-9);
  EXPECT_NEAR(r.o.profit_n[0], 0.0, 1e-9);
  EXPECT_NEAR(r.o.profit_m[1], 0.0, 1e-12);
  EXPECT_NEAR(r.o.profit_n[1], 0.0, 1e-12);
  // The same menu, flows and chain profits as the centralized UE: no double marginalisation.
  const Ue c = solve(instance("example1.toml"));
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(r.s.p[i], c.s.p[i], 1e-12);
    EXPECT_NEAR(r.o.x[i], c.o.x[i], 1e-12);
    EXPECT_NEAR(r.o.profit_chain[i], c.o.profit_chain[i], 1e-9);
  }
  EXPECT_EQ(r.o.no_purchase, c.o.no_purchase);
}

// Example 3 Scenario 1 by hand: chain 1 is a1 (M1, 4/t), b1 (cost 2, time 1, paid by R1),
// a3 (R1, 6/t); chain 2 is a2 (M2, 5/t), b2 (cost 1, time 0.5, paid by R2), a4 (R2, 7/t).
struct Example3ByHand {
  double t[4], S1, S2;
  explicit Example3ByHand(const Instance& in) {
    const double b = in.beta_bar[0], al = in.alpha;
    const double a[4] = {4, 6, 5, 7};
    for (int k = 0; k < 4; ++k) t[k] = std::sqrt(a[k] * al / b);
    S1 = in.w - b * (t[0] + 1.0 + t[1]) - al * (4 / t[0] + 2.0 + 6 / t[1]);
    S2 = in.w - b * (t[2] + 0.5 + t[3]) - al * (5 / t[2] + 1.0 + 7 / t[3]);
  }
};

TEST(MaSueUeDecentralized, Example3Scenario1ByHand) {
  {  // w = 5, the reading that reproduces Table 6: no chain can offer a non-negative utility
    const Instance in = stackelberg("example3_s1.toml");
    const Example3ByHand h(in);
    ASSERT_LT(h.S1, 0);
    ASSERT_LT(h.S2, 0);
    const Ue r = solve(in);
    EXPECT_TRUE(r.v.passed) << r.v.kkt_residual << " " << r.v.deviation_gain;
    EXPECT_EQ(r.o.no_purchase, 1.0);
    EXPECT_NEAR(r.s.wh[0], 4 / h.t[0], 1e-12);  // everyone at cost
    EXPECT_NEAR(r.s.p[0], 4 / h.t[0] + 6 / h.t[1] + 2, 1e-12);
    for (int c = 0; c < 2; ++c) {
      EXPECT_EQ(r.o.profit_m[c], 0.0);
      EXPECT_EQ(r.o.profit_n[c], 0.0);
    }
  }
  Instance in = stackelberg("example3_s1.toml");
  in.w = 9;  // both chains viable; chain 2 is the more efficient
  const Example3ByHand h(in);
  ASSERT_GT(h.S2, h.S1);
  ASSERT_GT(h.S1, 0);
  const Ue r = solve(in);
  EXPECT_TRUE(r.v.passed) << r.v.kkt_residual << " " << r.v.deviation_gain;
  EXPECT_LE(r.v.best_response_gain, 1e-12);
  const double b = in.beta_bar[0], al = in.alpha;
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(r.s.t[k], h.t[k], 1e-12);
  // Chain 1 (loser): manufacturer at cost, retailer at cost, utility S1.
  EXPECT_NEAR(r.s.wh[0], 4 / h.t[0], 1e-12);
  EXPECT_NEAR(r.s.p[0], 4 / h.t[0] + 6 / h.t[1] + 2, 1e-12);
  // Chain 2 (winner): retail price at utility S1; wholesale price leaves R2 zero margin.
  const double p2 = (in.w - b * (h.t[2] + 0.5 + h.t[3]) - h.S1) / al;
  EXPECT_NEAR(r.s.p[1], p2, 1e-12);
  EXPECT_NEAR(r.s.wh[1], p2 - 7 / h.t[3] - 1.0, 1e-12);
  EXPECT_NEAR(r.o.x[1], in.Q, 1e-12);
  EXPECT_EQ(r.o.x[0], 0.0);
  EXPECT_NEAR(r.o.profit_m[1], in.Q * (h.S2 - h.S1) / al, 1e-8);
  EXPECT_NEAR(r.o.profit_n[1], 0.0, 1e-8);
  EXPECT_EQ(r.o.no_purchase, 0.0);
}

TEST(MaSueUeDecentralized, OffEquilibriumProfilesFailVerification) {
  const Instance in = stackelberg("example1.toml");
  const Ue r = solve(in);
  ASSERT_TRUE(r.v.passed);
  auto fails = [&](const Strategy& s, const char* what) {
    const UeVerification v = verify_ue(in, s);
    EXPECT_FALSE(v.passed) << what;
    EXPECT_GT(v.deviation_gain, 1e-6) << what;
    return v;
  };
  Strategy s = r.s;
  s.wh[0] -= 0.1;  // the leader leaves its retailer a margin: raising the wholesale price pays
  UeVerification v = fails(s, "leader leaves margin");
  EXPECT_EQ(v.worst_chain, 0);
  EXPECT_GT(v.best_response_gain, 1e-3);
  EXPECT_GT(v.ladder_gain, 1e-3);  // the explicit wholesale-price ladder sees it too
  s = r.s;
  s.p[0] -= 0.1;  // the winning retailer sells below its cost: pricing at the wholesale price pays
  v = fails(s, "retailer below cost");
  EXPECT_EQ(v.worst_chain, 0);
  s = r.s;
  s.p[0] += 0.1;  // double marginalisation: the retailer marks up and loses the market to chain 2
  fails(s, "retail markup");
  s = r.s;
  s.wh[1] += 0.1, s.p[1] += 0.1;  // the runner-up above cost: leader 1 can then charge more
  v = fails(s, "runner-up above cost");
  EXPECT_EQ(v.worst_chain, 0);
  EXPECT_GT(v.ladder_gain, 1e-4);
  s = r.s;
  s.t[0] *= 1.2;  // leader 1's lead time off its FOC, its retailer's capacity held
  s.wh[0] -= in.beta_bar[0] * (s.t[0] - r.s.t[0]) / in.alpha;
  s.p[0] -= in.beta_bar[0] * (s.t[0] - r.s.t[0]) / in.alpha;
  v = fails(s, "leader lead time");
  EXPECT_GT(v.kkt_residual, 0.1);
  EXPECT_GT(v.ladder_gain, 1e-4);
  // A retailer-owned lead time off its FOC (Example 3 S1, w = 9: a4 is R2's).
  Instance in3 = stackelberg("example3_s1.toml");
  in3.w = 9;
  const Ue r3 = solve(in3);
  ASSERT_TRUE(r3.v.passed);
  s = r3.s;
  s.t[3] *= 1.2;
  s.p[1] -= in3.beta_bar[1] * (s.t[3] - r3.s.t[3]) / in3.alpha;
  v = verify_ue(in3, s);
  EXPECT_FALSE(v.passed);
  EXPECT_GT(v.kkt_residual, 0.1);
}

TEST(MaSueUeDecentralized, MultiOptionReadingsVerify) {
  for (const char* choice : {"mnl", "sealed"})
    for (const char* demand : {"printed", "mass_weighted"})
      for (const char* beta : {"conditional", "partial"})
        for (const char* file : {"example3_s1.toml", "example3_s2.toml", "example3_s3.toml"})
          for (double w : {5.0, 9.0, 14.0}) {
            Instance in = stackelberg(file, {{"choice", choice}, {"demand", demand}, {"beta_bar", beta}});
            in.w = w;
            const Ue r = solve(in);
            EXPECT_TRUE(r.v.passed) << file << " " << choice << " " << demand << " " << beta << " w=" << w
                                    << ": kkt " << r.v.kkt_residual << " gain " << r.v.deviation_gain;
            // Same outcome as the centralized UE; the chain margin goes to the manufacturer.
            Instance cin = in;
            cin.readings.ue_decentralized = false;
            const Ue c = solve(cin);
            for (int i = 0; i < in.n_options; ++i) EXPECT_NEAR(r.o.x[i], c.o.x[i], 1e-9);
            for (int k = 0; k < in.n_chains; ++k) {
              EXPECT_NEAR(r.o.profit_chain[k], c.o.profit_chain[k], 1e-8);
              EXPECT_NEAR(r.o.profit_n[k], -in.fixed_cost[k], 1e-8);
            }
          }
}

TEST(MaSueUeDecentralized, SharedRetailerLinkIsRefused) {
  Instance in = stackelberg("example3_s3.toml");  // a1 (slot 0) is shared by SC1's two options
  ASSERT_GT(std::popcount(in.slots[0].options), 1);
  in.slots[0].retailer = true;
  Strategy s;
  const SolveSummary sum = solve_ue(in, s);
  EXPECT_FALSE(sum.converged);
  EXPECT_NE(sum.message.find("retailer"), std::string::npos);
}

TEST(MaSueUeDecentralized, PointSolverWritesBothFirmsProfits) {
  OptionValues o = testing::network_options("example1.toml", {});
  o["equilibrium"] = "ue_decentralized";
  auto model = testing::configured_model(o);
  const testing::PointOutputs at = testing::solve_default_point(*model);
  EXPECT_EQ(at.result.status, PointStatus::solved);
  const Ue r = solve(testing::default_instance(*model));
  EXPECT_EQ(at["wp.SC1.1"], r.s.wh[0]);
  EXPECT_EQ(at["profit_m.SC1"], r.o.profit_m[0]);
  EXPECT_EQ(at["profit_n.SC1"], r.o.profit_n[0]);
  EXPECT_EQ(at["profit.SC1"], r.o.profit_chain[0]);
  EXPECT_LE(at["deviation_gain"], 1e-9);
}

TEST(MaSueUeDecentralized, Proposition1aInBothDirections) {
  // Example 1: UE (Stackelberg chains) sells to everyone, the decentralized SUE does not.
  // Example 3 S1 (w = 5): UE sells to nobody, the decentralized SUE does: 1(a) reversed.
  for (const char* file : {"example1.toml", "example3_s1.toml"}) {
    const Instance in = stackelberg(file);
    const Ue r = solve(in);
    ASSERT_TRUE(r.v.passed) << file;
    Instance sue = in;
    sue.readings.equilibrium = Equilibrium::decentralized;
    sue.readings.ue_decentralized = false;
    Strategy s;
    cold_start(sue, s);
    ASSERT_TRUE(make_fast_solver({})->solve(sue, s).converged) << file;
    ASSERT_TRUE(verify(sue, s).passed) << file;
    Outcome o;
    evaluate(sue, s, o);
    if (std::string(file) == "example1.toml") {
      EXPECT_EQ(r.o.no_purchase, 0.0);
      EXPECT_GT(o.no_purchase, r.o.no_purchase);
    } else {
      EXPECT_EQ(r.o.no_purchase, 1.0);
      EXPECT_LT(o.no_purchase, r.o.no_purchase);
    }
  }
}

}  // namespace
}  // namespace eqsweep::ma_sue
