// Claims as predicates: hand-derived differences of the basic model pin the predicates' values,
// and outside a claim's feasible region the predicate is missing.

#include "models/ye2025/propositions.hpp"

#include "models/ye2025/sampling.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <string_view>

#include <gtest/gtest.h>

namespace eqsweep::ye2025 {
namespace {

struct Claims {
  double c[kClaims.size()], w[kWindows.size()];
  Claims(const Point& p, Evaluator e) { evaluate_claims(p, e, c, w); }
  double claim(std::string_view name) const {
    for (std::size_t i = 0; i < kClaims.size(); ++i)
      if (kClaims[i].name == name) return c[i];
    ADD_FAILURE() << "no claim " << name;
    return -1;
  }
  double window(std::string_view name) const {
    for (std::size_t i = 0; i < kWindows.size(); ++i)
      if (kWindows[i].name == name) return w[i];
    ADD_FAILURE() << "no window " << name;
    return -1;
  }
};

Point random_basic(std::mt19937_64& rng) {
  auto u = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  return Point{u(0.3, 0.7), u(0.2, 0.8), u(0.05, 0.25), u(0.2, 1.0), u(0.05, 0.4)};
}

// Prop. 2 by hand: with Var = tσ⁴/(1+tσ²), π_R^N − π_R^Y = 3θVar/16, π_M^Y − π_M^N = θVar/8,
// π_SC^N − π_SC^Y = θVar/16 (the e² coefficients θ/4, θ/16 of π_R and 0, θ/8 of π_M).
TEST(Propositions, SharingMovesExactlyTheVarianceTermsOfProposition2) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 50; ++i) {
    const Point p = random_basic(rng);
    const Evaluation N = derived(kScenarioN, p), Y = derived(kScenarioY, p);
    ASSERT_EQ(N.regime, kEquilibrium);
    ASSERT_EQ(Y.regime, kEquilibrium);
    const double v = p.theta * forecast_variance(p);
    EXPECT_NEAR(N.o.pi_R - Y.o.pi_R, 3 * v / 16, 1e-14);
    EXPECT_NEAR(Y.o.pi_M - N.o.pi_M, v / 8, 1e-14);
    EXPECT_NEAR(N.o.pi_SC - Y.o.pi_SC, v / 16, 1e-14);
    const Claims c(p, &derived);
    EXPECT_EQ(c.claim("prop.P2.R"), 1);
    EXPECT_EQ(c.claim("prop.P2.M"), 1);
    EXPECT_EQ(c.claim("prop.P2.SC"), 1);
  }
}

// Lemma 1(3) claims ∂q_B^N/∂Γ = 0, but the retailer prices on Γ in N too: ∂q_B^N/∂Γ = tσ²/(2(1+tσ²)).
TEST(Propositions, Lemma1ClaimThatTheSignalDoesNotMoveQBInNFailsUnderBothEvaluations) {
  const Point p{0.5, 0.5, 0.2, 0.8, 0.3};
  const double h = 1e-3;
  Point lo = p, hi = p;
  lo.Gamma -= h;
  hi.Gamma += h;
  const double slope = (derived(kScenarioN, hi).o.q_B - derived(kScenarioN, lo).o.q_B) / (2 * h);
  const double s2 = p.sigma * p.sigma;
  EXPECT_NEAR(slope, p.t * s2 / (2 * (1 + p.t * s2)), 1e-10);
  EXPECT_EQ(Claims(p, &derived).claim("prop.L1.dqBN_dGamma"), 0);
  EXPECT_EQ(Claims(p, &published).claim("prop.L1.dqBN_dGamma"), 0);
  EXPECT_EQ(Claims(p, &derived).claim("prop.L1.dwBN_dGamma"), 1);  // w_B^N is set on the prior
}

// The chain loses θVar/16 by sharing, so no split of t² leaves both firms as well off as under N.
TEST(Propositions, CostSharingNeverMakesBothFirmsBetterOffThanNoSharing) {
  std::mt19937_64 rng(4);
  for (int i = 0; i < 30; ++i) {
    Point p = random_basic(rng);
    p.m = std::uniform_real_distribution<double>(0, 1)(rng);
    const Claims c(p, &derived);
    EXPECT_EQ(c.claim("E.Y-C"), 0);
    EXPECT_TRUE(std::isnan(c.window("window.m_lo")));
    EXPECT_TRUE(std::isnan(c.window("window.m_hi")));
    EXPECT_EQ(c.claim("prop.P3.SC"), 1);
    // q_B^{Y-C} = q_B^Y (the split is a lump sum), so the chain's c_B ties (issue 13: a tie is not a
    // failure); the retailer's unit cost m t²/q_B is below Y's t²/q_B wherever m < 1.
    EXPECT_EQ(c.claim("prop.P3.cB"), kTie);
    EXPECT_EQ(c.claim("prop.P3.cB_R"), kHolds);
  }
}

// The printed m bound is 1 − π_M^Y/t²: at it, the manufacturer's Y-C profit is exactly zero.
TEST(Propositions, PrintedCostShareBoundIsWhereTheManufacturersProfitVanishes) {
  Point p{0.5, 0.5, 0.6, 0.8, 0.3};
  p.m = printed_windows(p).m_hi;
  ASSERT_GT(p.m, 0);
  EXPECT_NEAR(derived(kScenarioYC, p).o.pi_M, 0, 1e-14);
}

TEST(Propositions, ClaimsAreMissingWhereTheComparedScenariosAreNoEquilibrium) {
  const Point p{0.5, 0.5, 0.0, 0.8, 0.3};  // t = 0: no customised product in N or Y
  const Claims c(p, &derived);
  EXPECT_TRUE(std::isnan(c.claim("prop.P2.R")));
  EXPECT_TRUE(std::isnan(c.claim("prop.L1.dqBY_dt")));
  EXPECT_TRUE(std::isnan(c.claim("prop.P1.cBN_lt_cBY")));
}

TEST(Propositions, PrintedUnitCostOfYNeverMatchesAndTheComparisonFollowsTheSignal) {
  Point p{0.5, 0.5, 0.2, 0.8, 0.3};
  EXPECT_EQ(Claims(p, &derived).claim("prop.P1.cBN_formula"), 1);
  EXPECT_EQ(Claims(p, &derived).claim("prop.P1.cBY_formula"), 0);
  EXPECT_EQ(Claims(p, &derived).claim("prop.P1.cBN_lt_cBY"), 1);
  p.Gamma = -0.3;  // q_B^N − q_B^Y = E/4 has the sign of Γ
  EXPECT_EQ(Claims(p, &derived).claim("prop.P1.cBN_lt_cBY"), 0);
}

// The tie rule of propositions.hpp: equal to within 64 ulp of max(|a|, |b|, 1), so two closed
// forms of the same number tie, and the rounding noise of one scenario against another that is
// the same model decides nothing.
constexpr double kTieTolerance = kTieUlps * std::numeric_limits<double>::epsilon();

// Derived Y-S is Y: the coupon raises U_B by s, and the retailer's and the manufacturer's per-unit
// terms absorb it, so every profit and c_B of Y-S equals Y's to rounding at every s. Prop. 4's
// strict claims are then ties, not wins or failures, at the point docs/model-y-propositions.md
// once gave as a counter-example and everywhere else.
TEST(PropositionTies, DerivedCouponsLeaveEveryProfitOfYSoProposition4IsATieEverywhere) {
  Point p{0.05, 0.05, 0.01, 0.1, 0.1};
  p.s = 0.025;
  std::mt19937_64 rng(13);
  for (int i = 0; i < 40; ++i) {
    if (i > 0) p = random_interior_point(rng, 0.5);
    const Evaluation Y = derived(kScenarioY, p), YS = derived(kScenarioYS, p);
    if (Y.regime != kEquilibrium || YS.regime != kEquilibrium) continue;
    for (double ScenarioOutputs::*f : {&ScenarioOutputs::pi_R, &ScenarioOutputs::pi_M, &ScenarioOutputs::pi_SC})
      ASSERT_LE(std::abs(YS.o.*f - Y.o.*f), kTieTolerance * std::max({std::abs(YS.o.*f), std::abs(Y.o.*f), 1.0}));
    const Claims c(p, &derived);
    for (const char* claim : {"prop.P4.R", "prop.P4.M", "prop.P4.SC"}) EXPECT_EQ(c.claim(claim), kTie) << claim << " at " << i;
  }
}

// Where a contract's parameter makes it the model Y (m = 1, phi = 1, y = 0, s = 0) the claims
// comparing it with Y are ties under both evaluations: the printed forms of the contract reduce
// to Y's there (docs/model-y-comparison.md: Y-C, Y-D's p, w, q, pi_M, Y-R's w, q_B).
TEST(PropositionTies, ContractsAtTheParameterThatMakesThemYAreTiesWithY) {
  std::mt19937_64 rng(14);
  int checked = 0;
  for (int i = 0; i < 60; ++i) {
    Point p = random_interior_point(rng, 0.3);
    p.m = 1;
    p.phi = 1;
    p.y = 0;
    for (Evaluator e : {&derived, &published}) {
      const Evaluation Y = e(kScenarioY, p);
      if (Y.regime != kEquilibrium) continue;
      const Claims c(p, e);
      const bool published_eval = e == &published;
      if (e(kScenarioYC, p).regime == kEquilibrium) {
        ++checked;
        for (const char* claim : {"prop.P3.R", "prop.P3.M", "prop.P3.cB", "prop.P3.cB_R"}) EXPECT_EQ(c.claim(claim), kTie) << claim;
        EXPECT_EQ(c.claim("prop.P3.SC"), kHolds);
      }
      if (e(kScenarioYD, p).regime == kEquilibrium) {
        // The printed pi_R^{Y-D} is wrong (comparison doc), so only the derived one reduces to Y's.
        EXPECT_EQ(c.claim("prop.P5.M"), kTie);
        EXPECT_EQ(c.claim("prop.P5.cB"), kTie);
        if (!published_eval) EXPECT_EQ(c.claim("prop.P5.R"), kTie);
      }
      if (!published_eval && e(kScenarioYR, p).regime == kEquilibrium)
        for (const char* claim : {"prop.P6.R", "prop.P6.M", "prop.P6.SC", "prop.P6.cB"}) EXPECT_EQ(c.claim(claim), kTie) << claim;
    }
    Point q = p;
    q.s = 0;
    if (derived(kScenarioYS, q).regime == kEquilibrium && derived(kScenarioY, q).regime == kEquilibrium)
      EXPECT_EQ(Claims(q, &derived).claim("prop.P4.cB"), kTie);
  }
  EXPECT_GT(checked, 20);
}

// Prop. 1(2): q_B^N - q_B^Y = E/4 has the sign of Γ, so at Γ = 0 the unit costs are equal: a tie.
TEST(PropositionTies, UnitCostsOfNAndYTieWithoutASignal) {
  const Point p{0.5, 0.5, 0.2, 0.8, 0.0};
  EXPECT_EQ(Claims(p, &derived).claim("prop.P1.cBN_lt_cBY"), kTie);
  EXPECT_EQ(Claims(p, &published).claim("prop.P1.cBN_lt_cBY"), kTie);
}

// Prop. 10(2) at F on its printed bound: pi_M^{Y-NEW} - pi_M^Y = printed bound - F = 0, so the
// strict claim meets its own boundary: a tie, not a failure.
TEST(PropositionTies, Proposition10AtTheFBoundIsATie) {
  Point p{0.5, 0.5, 0.1, 1.5, 4.0};
  p.b = 0;
  p.c = 0.2;
  p.F = printed_windows(p).F_hi * (1 - 1e-15);  // inside the printed window, on the bound to rounding
  ASSERT_LT(p.F, printed_windows(p).F_hi);
  for (Evaluator e : {&derived, &published}) {
    ASSERT_EQ(e(kScenarioYNEW, p).regime, kEquilibrium);
    EXPECT_EQ(Claims(p, e).claim("prop.P10.2.M"), kTie);
    EXPECT_EQ(Claims(p, e).claim("prop.P10.2.R"), kHolds);
  }
}

// Every claim output's description states its codes (the tie code where it can occur).
TEST(PropositionTies, EveryClaimDescriptionStatesItsCodes) {
  for (const auto& c : kClaims) {
    const std::string_view codes = claim_codes(c.kind);
    EXPECT_EQ(codes.find("1 "), 0u) << c.name;
    EXPECT_NE(codes.find("0 "), std::string_view::npos) << c.name;
    const bool can_tie = c.kind != ClaimKind::equality && c.kind != ClaimKind::zero_slope;
    EXPECT_EQ(codes.find("2 ") != std::string_view::npos, can_tie) << c.name;
  }
}

}  // namespace
}  // namespace eqsweep::ye2025
