// Table 6 Scenarios 2-3 (Example 3) and Table 4 (Example 2) of Ma, Nault & Tu against model M
// (docs/model-m.md, "Table 6, Scenarios 2 and 3" and "Example 2"). The model's equilibria are
// pinned by their own conditions: solved, verified (KKT residual and deviation gain below the
// verifier's tolerances), and the closed-form first-order identities (-c'(t) = beta_bar / alpha
// for a slot serving one option, the beta-weighted mean over the options for a shared slot, equal
// markups 1/(alpha (1 - S)) across a centralized chain's options under MNL with printed demand).
// Printed values appear only as candidates that the verification must reject.

#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "models/ma_sue/segmentation.hpp"
#include "support/test_support.hpp"
#include "network_fixture.hpp"

namespace eqsweep::ma_sue {
namespace {

const VerifyOptions kTol{};  // the verifier's own tolerances (kkt 1e-6, deviation gain 1e-9)

Instance instance(const std::string& file, OptionValues extra = {}) { return testing::network_instance(file, extra); }

struct Eq {
  Strategy s;
  Outcome out;
  Verification v;
  bool converged = false;
};

Eq solve(const Instance& in) {
  Eq r;
  cold_start(in, r.s);
  r.converged = make_fast_solver({})->solve(in, r.s).converged;
  r.v = verify(in, r.s);
  evaluate(in, r.s, r.out);
  return r;
}

void expect_verified(const Eq& r, const std::string& what) {
  EXPECT_TRUE(r.converged) << what;
  EXPECT_TRUE(r.v.passed) << what;
  EXPECT_LT(r.v.kkt_residual, kTol.kkt_tolerance) << what;
  EXPECT_LT(r.v.deviation_gain, kTol.deviation_tolerance) << what;
}

// -c'(t) of every slot equals the beta-weighted mean beta_bar / alpha of the options it serves
// (one option: beta_bar_i / alpha).
void expect_lead_time_focs(const Instance& in, const Eq& r, const std::string& what) {
  for (int k = 0; k < in.n_slots; ++k) {
    double num = 0, den = 0;
    for (int i = 0; i < in.n_options; ++i)
      if (in.slots[k].options >> i & 1u) num += in.beta_bar[i] * r.out.x[i], den += r.out.x[i];
    EXPECT_NEAR(marginal_saving(in.slots[k].cost, r.s.t[k]), num / (in.alpha * den), 1e-8) << what << " slot " << k;
  }
}

void set_h(Instance& in, double h) { in.set_boundaries(&h); }

// Fitted boundaries: the conditional-mean boundary at which the model's lead times are closest to
// Table 6's (docs/model-m.md explains the fit). They are readings, not truths.
constexpr double kS2CentralH = 0.4777, kS2DecentralH = 0.4734;

TEST(MaSueTable6, Scenario2CentralizedEquilibriumSatisfiesItsConditions) {
  for (const char* choice : {"mnl", "sealed"})
    for (const char* demand : {"printed", "mass_weighted"}) {
      Instance in = instance("example3_s2.toml", {{"choice", choice}, {"demand", demand}});
      set_h(in, kS2CentralH);
      const Eq r = solve(in);
      const std::string what = std::string(choice) + " " + demand;
      expect_verified(r, what);
      expect_lead_time_focs(in, r, what);
    }
  // MNL, printed demand: one markup over SC1's two options, 1 / (alpha (1 - S_SC1)).
  Instance in = instance("example3_s2.toml");
  set_h(in, kS2CentralH);
  const Eq r = solve(in);
  const double S = r.out.P[0] + r.out.P[1];
  for (int i = 0; i < 2; ++i)
    EXPECT_NEAR(r.s.p[i] - r.out.cost_m[i] - r.out.cost_n[i], 1.0 / (in.alpha * (1.0 - S)), 1e-8);
}

TEST(MaSueTable6, Scenario2DecentralizedEquilibriumSatisfiesItsConditions) {
  for (const char* choice : {"mnl", "sealed"}) {
    Instance in = instance("example3_s2.toml", {{"equilibrium", "decentralized"}, {"choice", choice}});
    set_h(in, kS2DecentralH);
    const Eq r = solve(in);
    expect_verified(r, choice);
    expect_lead_time_focs(in, r, choice);  // the lead-time FOC is that of the centralized chain
    // Retailer's markup over wholesale and its own costs: 1 / (alpha (1 - S)) per option (MNL: S the
    // chain's share, sealed: the option's own probability).
    for (int i = 0; i < 3; ++i) {
      const int c = in.chain[i];
      double S = 0;
      for (int j = in.first_option[c]; j < in.first_option[c] + in.option_count[c]; ++j) S += r.out.P[j];
      if (in.readings.choice == ChoiceReading::sealed) S = r.out.P[i];
      EXPECT_NEAR(r.s.p[i] - r.s.wh[i] - r.out.cost_n[i], 1.0 / (in.alpha * (1.0 - S)), 1e-7) << choice << i;
    }
  }
}

TEST(MaSueTable6, Scenario3SharedLinkEquilibriumSatisfiesItsConditions) {
  for (const char* eq : {"centralized", "decentralized"})
    for (const char* choice : {"mnl", "sealed"}) {
      const Instance in = instance("example3_s3.toml", {{"equilibrium", eq}, {"choice", choice}});
      ASSERT_EQ(in.n_slots, 5);  // a1 shared, a3 per option, a2, a4
      const Eq r = solve(in);
      const std::string what = std::string(eq) + " " + choice;
      expect_verified(r, what);
      expect_lead_time_focs(in, r, what);  // slot 0: -c'(t_a1) = sum beta x / (alpha sum x)
    }
}

// Every reading (segment beta, option demand, choice; the decentralized game has no MNL with
// mass-weighted demand) at every boundary h on a grid: the printed menu is never an equilibrium.
// Returns the smallest deviation gain over all of them (printed for docs/model-m.md).
double smallest_gain_at_printed(const char* file, const char* eq, const Strategy& printed) {
  double least = INFINITY;
  std::string where;
  for (const char* beta : {"conditional", "partial"})
    for (const char* demand : {"printed", "mass_weighted"})
      for (const char* choice : {"mnl", "sealed"}) {
        if (std::string(eq) == "decentralized" && std::string(demand) == "mass_weighted" &&
            std::string(choice) == "mnl")
          continue;
        Instance in = instance(file, {{"equilibrium", eq}, {"beta_bar", beta}, {"demand", demand}, {"choice", choice}});
        for (double h = 0.30; h <= 0.701; h += 0.01) {
          set_h(in, h);
          const Verification v = verify(in, printed);
          EXPECT_FALSE(v.passed) << file << " " << eq << " " << beta << " " << demand << " " << choice << " h " << h;
          if (v.deviation_gain < least) {
            least = v.deviation_gain;
            where = std::string(beta) + " " + demand + " " + choice + " h=" + std::to_string(h) +
                    " kkt=" + std::to_string(v.kkt_residual);
          }
        }
      }
  std::printf("%s %s: smallest deviation gain at the printed menu %.4g (%s)\n", file, eq, least, where.c_str());
  return least;
}

TEST(MaSueTable6, PrintedScenario2And3MenusAreNotEquilibria) {
  Strategy s{};
  // Scenario 2, CS: SC1 (8.23, 9.02), SC2 8.14; slots a1.1 a1.2 a3.1 a3.2 a2 a4.
  s.p = {8.23, 9.02, 8.14};
  s.t[0] = 2.34, s.t[1] = 1.82, s.t[2] = 2.86, s.t[3] = 2.22, s.t[4] = 2.23, s.t[5] = 2.71;
  EXPECT_GT(smallest_gain_at_printed("example3_s2.toml", "centralized", s), 1e-4);
  // Scenario 2, DS: retail (10.32, 11.07), 10.43; wholesale (4.06, 4.68), 4.69.
  s.p = {10.32, 11.07, 10.43};
  s.wh = {4.06, 4.68, 4.69};
  s.t[0] = 2.35, s.t[1] = 1.82, s.t[2] = 2.87, s.t[3] = 2.23, s.t[4] = 2.24, s.t[5] = 2.65;
  EXPECT_GT(smallest_gain_at_printed("example3_s2.toml", "decentralized", s), 1e-4);
  // Scenario 3, CS: SC1 (9.24, 10.16), SC2 7.85; slots a1 (shared) a3.1 a3.2 a2 a4.
  Strategy s3{};
  s3.p = {9.24, 10.16, 7.85};
  s3.t[0] = 1.75, s3.t[1] = 3.16, s3.t[2] = 2.07, s3.t[3] = 2.25, s3.t[4] = 2.66;
  EXPECT_GT(smallest_gain_at_printed("example3_s3.toml", "centralized", s3), 1e-4);
  // Scenario 3, DS: retail (11.16, 12.03), 7.79; wholesale 5.24 (one for both options), 4.63.
  s3.p = {11.16, 12.03, 7.79};
  s3.wh = {5.24, 5.24, 4.63};
  s3.t[0] = 2.05, s3.t[1] = 2.88, s3.t[2] = 1.67, s3.t[3] = 2.24, s3.t[4] = 2.65;
  EXPECT_GT(smallest_gain_at_printed("example3_s3.toml", "decentralized", s3), 1e-4);
}

TEST(MaSueTable6, OptimalBoundaryKeepsTwoOptionsInScenarios2And3) {
  // Table 6 prints |T_s| = 2 for SC1 in Scenarios 2 and 3; the optimal-count reading agrees
  // (mass-weighted demand; the decentralized game with sealed segments).
  for (const char* file : {"example3_s2.toml", "example3_s3.toml"})
    for (const char* eq : {"centralized", "decentralized"}) {
      const Instance full = instance(file, {{"equilibrium", eq},
                                            {"demand", "mass_weighted"},
                                            {"choice", std::string(eq) == "centralized" ? "mnl" : "sealed"}});
      auto solver = make_fast_solver({});
      const Segmented r = solve_segmented(full, *solver);
      ASSERT_TRUE(r.ok) << file << " " << eq;
      EXPECT_TRUE(r.verification.passed) << file << " " << eq;
      EXPECT_EQ(r.count[0], 2) << file << " " << eq;
      EXPECT_GT(r.profit_by_count[0][1], r.profit_by_count[0][0]) << file << " " << eq;
    }
}

// ---------------------------------------------------------------- Example 2 (Table 4)

TEST(MaSueTable4, MonopolyEquilibriumSatisfiesItsConditions) {
  for (const char* file : {"example2_s1.toml", "example2_s2.toml"}) {
    const Instance two = instance(file);
    Instance one;
    restrict_options(two, {1}, one);
    one.set_boundaries(nullptr);
    for (const Instance* in : {static_cast<const Instance*>(&one), &two}) {
      const Eq r = solve(*in);
      const std::string what = std::string(file) + " options " + std::to_string(in->n_options);
      expect_verified(r, what);
      expect_lead_time_focs(*in, r, what);
      double S = 0;
      for (int i = 0; i < in->n_options; ++i) S += r.out.P[i];
      for (int i = 0; i < in->n_options; ++i)  // monopoly markup over the unit cost 3/t (no interface unit cost)
        EXPECT_NEAR(r.s.p[i] - r.out.cost_m[i] - r.out.cost_n[i], 1.0 / (in->alpha * (1.0 - S)), 1e-8) << what;
      // The fixed cost of 50 per offered option enters the profit, not the margins.
      double gross = 0;
      for (int i = 0; i < in->n_options; ++i) gross += (r.s.p[i] - r.out.cost_m[i] - r.out.cost_n[i]) * r.out.x[i];
      EXPECT_NEAR(r.out.profit_chain[0], gross - 50.0 * in->n_options, 1e-9) << what;
    }
  }
}

TEST(MaSueTable4, PrintedOneOptionColumnIsNotAnEquilibrium) {
  // Table 4, Scenario 1, |T_s| = 1: p = 7.1, t = 1.8. The lead-time FOC (t = sqrt(3 alpha / beta_bar))
  // and the markup 1/(alpha (1 - P)) do not involve w, so no intrinsic value makes it one.
  for (const char* beta : {"conditional", "partial"}) {
    const Instance two = instance("example2_s1.toml", {{"beta_bar", beta}});
    Instance one;
    restrict_options(two, {1}, one);
    one.set_boundaries(nullptr);
    for (double w : {5.0, 7.5, 10.0}) {
      one.w = w;
      Strategy s{};
      s.p[0] = 7.1;
      s.t[0] = 1.8;
      const Verification v = verify(one, s);
      EXPECT_FALSE(v.passed) << beta << " w " << w;
      EXPECT_GT(v.deviation_gain, 1e-3) << beta << " w " << w;
    }
  }
}

TEST(MaSueTable4, SecondOptionDoesNotPayAtAFixedCostOf50) {
  // The optimal-count reading (mass-weighted demand, MNL or sealed): one option at sigma = 0.2 and at
  // sigma = 0.5, because the best two-option menu gains less than the second option's cost.
  for (const char* file : {"example2_s1.toml", "example2_s2.toml"})
    for (const char* choice : {"mnl", "sealed"}) {
      const Instance full = instance(file, {{"demand", "mass_weighted"}, {"choice", choice}});
      auto solver = make_fast_solver({});
      const Segmented r = solve_segmented(full, *solver);
      ASSERT_TRUE(r.ok) << file << " " << choice;
      EXPECT_TRUE(r.verification.passed);
      EXPECT_EQ(r.count[0], 1) << file << " " << choice;
      EXPECT_LT(r.profit_by_count[0][1], r.profit_by_count[0][0]) << file << " " << choice;
    }
}

}  // namespace
}  // namespace eqsweep::ma_sue
