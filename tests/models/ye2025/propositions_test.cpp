// Claims as predicates: hand-derived differences of the basic model pin the predicates' values,
// and outside a claim's feasible region the predicate is missing.

#include "models/ye2025/propositions.hpp"

#include <cmath>
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
    EXPECT_EQ(c.claim("prop.P3.cB"), 0);  // q_B^{Y-C} = q_B^Y: the split is a lump sum
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

}  // namespace
}  // namespace eqsweep::ye2025
