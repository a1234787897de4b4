// The printed closed forms of Appendix A against the derived equilibrium, output by output, at
// random interior points: equal to rounding where docs/model-y-comparison.md says they agree, and
// measurably different where it says the print is wrong (so the table cannot silently go stale).

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "models/ye2025/sampling.hpp"
#include "models/ye2025/evaluation.hpp"
#include "models/ye2025/published_scenarios.hpp"
#include "models/ye2025/propositions.hpp"

namespace eqsweep::ye2025 {
namespace {

enum Q { pA, pB, qA, qB, wA, wB, piR, piM, piSC, cB, cBR };
static_assert(cBR + 1 == kScenarioOutputCount);

double get(const ScenarioOutputs& o, int q) { return o.*kQuantities[static_cast<std::size_t>(q)].value; }

// The outputs docs/model-y-comparison.md reports as misprinted, per scenario.
const std::set<std::pair<int, int>> kMisprinted = {
    {kScenarioYS, pA},   {kScenarioYS, pB},   {kScenarioYS, qB},    {kScenarioYS, wA},    {kScenarioYS, wB},
    {kScenarioYS, piR},  {kScenarioYS, piM},  {kScenarioYS, piSC},  {kScenarioYS, cB},    {kScenarioYD, piR},
    {kScenarioYD, piSC}, {kScenarioYR, pB},   {kScenarioYR, qA},    {kScenarioYR, piR},   {kScenarioYR, piM},
    {kScenarioYR, piSC}, {kScenarioNp, piR},  {kScenarioNp, piSC},  {kScenarioYp, piM},   {kScenarioYp, piSC},
    {kScenarioYDE1, pB}, {kScenarioYDE2, pB}, {kScenarioYDE2, qA},  {kScenarioYDE2, qB},  {kScenarioYDE2, wA},
    {kScenarioYDE2, wB}, {kScenarioYDE2, piR}, {kScenarioYDE2, piM}, {kScenarioYDE2, piSC}, {kScenarioYDE2, cB},
    {kScenarioYS, cBR},  {kScenarioYDE2, cBR},  // c_B_R = (the retailer's part of t²)/q_B follows q_B
    {kScenarioYSA, piR},  // A.4 read with the coupon in U_A: everything else is that reading's equilibrium
};

Point random_point(std::mt19937_64& rng) { return random_interior_point(rng, 1.0); }

class PublishedAgainstDerived : public ::testing::TestWithParam<int> {};

TEST_P(PublishedAgainstDerived, PrintedFormsEqualTheDerivedEquilibriumExceptTheDocumentedMisprints) {
  const int s = GetParam();
  std::mt19937_64 rng(77 + s);
  double worst[kScenarioOutputCount] = {};
  int n = 0;
  for (int i = 0; i < 3000; ++i) {
    const Point p = random_point(rng);
    const Evaluation d = derived(s, p), pub = published(s, p);
    if (d.regime != kEquilibrium) continue;
    ++n;
    for (int q = 0; q < kScenarioOutputCount; ++q) {
      // c_B = t²/q_B and c_B_R = x/q_B magnify q_B's rounding by 1/q_B: compare the q_B·x they imply.
      const double x = q == cB ? p.t * p.t : information_cost_split(s, p).retailer;
      const bool unit_cost = q == cB || q == cBR;
      if (std::isnan(get(d.o, q))) continue;  // the alliance's w, π_R, π_M, c_B_R are not part of its equilibrium
      const double a = unit_cost ? x / get(pub.o, q) : get(pub.o, q);
      const double b = unit_cost ? d.o.q_B : get(d.o, q);
      const double diff = std::abs(a - b) / std::max(1.0, std::abs(a) + std::abs(b));
      worst[q] = std::max(worst[q], std::isnan(diff) ? 1.0 : diff);
    }
  }
  ASSERT_GE(n, 100) << kScenarioNames[s];
  for (int q = 0; q < kScenarioOutputCount; ++q) {
    if (kMisprinted.count({s, q})) EXPECT_GT(worst[q], 1e-4) << kScenarioNames[s] << " " << kQuantities[q].name;
    else EXPECT_LE(worst[q], 1e-12) << kScenarioNames[s] << " " << kQuantities[q].name;
  }
}

INSTANTIATE_TEST_SUITE_P(AllScenarios, PublishedAgainstDerived, ::testing::Range(0, static_cast<int>(kScenarioCount)),
                         [](const auto& info) {
                           std::string n = kScenarioNames[info.param];
                           for (char& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

// Proposition 1(1): the printed c_B^N is t²/q_B^N; the printed c_B^Y has the sign of its σ² term
// flipped (t²/q_B^Y has 1 - k + ((1-k)t + Γ(1-θ)θ)σ² in the denominator).
TEST(PublishedProposition1, PrintedUnitCostOfNMatchesAndOfYHasASignTypo) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200; ++i) {
    Point p = random_point(rng);
    const Evaluation N = derived(kScenarioN, p), Y = derived(kScenarioY, p);
    if (N.regime != kEquilibrium || Y.regime != kEquilibrium) continue;
    EXPECT_NEAR(printed_prop1_c_B_N(p), N.o.c_B, 1e-12 * N.o.c_B);
    const double th = p.theta, k = p.k, t = p.t, s2 = p.sigma * p.sigma;
    const double corrected = 4 * t * (1 - th) * th * (1 + t * s2) / (1 - k + ((1 - k) * t + p.Gamma * (1 - th) * th) * s2);
    EXPECT_NEAR(corrected, Y.o.c_B, 1e-12 * Y.o.c_B);
    EXPECT_GT(std::abs(printed_prop1_c_B_Y(p) - Y.o.c_B), 1e-6 * Y.o.c_B);
  }
}

// The typo fixes of docs/model-y-comparison.md: each printed form with its change equals the
// derived value (to 1e-12 in the comparison's measure |a-b|/max(1, |a|+|b|)), and without it does
// not, at random interior points where the derived scenario is an equilibrium.
struct TypoFix {
  int scenario;
  double (*printed)(const Point&), (*fixed)(const Point&);
  double ScenarioOutputs::*derived;
};

class PrintedTypoFix : public ::testing::TestWithParam<TypoFix> {};

TEST_P(PrintedTypoFix, FixedFormEqualsTheDerivedValueAndThePrintedFormDoesNot) {
  const TypoFix f = GetParam();
  std::mt19937_64 rng(41 + f.scenario);
  double worst_fixed = 0, worst_printed = 0;
  int n = 0;
  for (int i = 0; i < 3000; ++i) {
    const Point p = random_point(rng);
    const Evaluation d = derived(f.scenario, p);
    if (d.regime != kEquilibrium) continue;
    ++n;
    const double b = d.o.*f.derived;
    auto rel = [&](double a) { return std::abs(a - b) / std::max(1.0, std::abs(a) + std::abs(b)); };
    worst_fixed = std::max(worst_fixed, rel(f.fixed(p)));
    worst_printed = std::max(worst_printed, rel(f.printed(p)));
  }
  ASSERT_GE(n, 100) << kScenarioNames[f.scenario];
  EXPECT_LE(worst_fixed, 1e-12) << kScenarioNames[f.scenario];
  EXPECT_GT(worst_printed, 1e-4) << kScenarioNames[f.scenario];
}

INSTANTIATE_TEST_SUITE_P(
    Verdicts, PrintedTypoFix,
    ::testing::Values(
        TypoFix{kScenarioYSA, [](const Point& p) { return published_ys_pi_R(p, Print::as_printed); },
                [](const Point& p) { return published_ys_pi_R(p, Print::fixed); }, &ScenarioOutputs::pi_R},
        TypoFix{kScenarioYR, [](const Point& p) { return published_yr_pi_R_terms(p, YrPiR::bar_as_plus); },
                [](const Point& p) { return published_yr_pi_R_terms(p, YrPiR::fixed); }, &ScenarioOutputs::pi_R},
        TypoFix{kScenarioNp, [](const Point& p) { return published_nprime_pi_R(p, Print::as_printed); },
                [](const Point& p) { return published_nprime_pi_R(p, Print::fixed); }, &ScenarioOutputs::pi_R},
        TypoFix{kScenarioYp, [](const Point& p) { return published_yprime_pi_M(p, Print::as_printed); },
                [](const Point& p) { return published_yprime_pi_M(p, Print::fixed); }, &ScenarioOutputs::pi_M}),
    [](const auto& info) {
      std::string n = kScenarioNames[info.param.scenario];
      for (char& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

// The fixed π_R of A.4 is the retailer's profit of the reading Y-S-A (coupon in U_A), not of Y-S
// (coupon in U_B, eq. 9): there it stays off by more than rounding.
TEST(PrintedTypoFix, FixedCouponProfitIsNotTheRetailersProfitUnderTheCouponInUB) {
  std::mt19937_64 rng(43);
  double worst = 0;
  for (int i = 0; i < 2000; ++i) {
    const Point p = random_point(rng);
    const Evaluation d = derived(kScenarioYS, p);
    if (d.regime != kEquilibrium) continue;
    worst = std::max(worst, std::abs(published_ys_pi_R(p, Print::fixed) - d.o.pi_R));
  }
  EXPECT_GT(worst, 1e-4);
}

// Both coupon readings are Y at s = 0: they differ only in where the coupon enters.
TEST(CouponReadings, BothReadingsAreTheBasicSharingModelWithoutACoupon) {
  std::mt19937_64 rng(44);
  for (int i = 0; i < 300; ++i) {
    Point p = random_point(rng);
    p.s = 0;
    const Evaluation Y = derived(kScenarioY, p);
    for (int s : {kScenarioYS, kScenarioYSA}) {
      const Evaluation e = derived(s, p);
      ASSERT_EQ(e.regime, Y.regime) << kScenarioNames[s];
      if (Y.regime != kEquilibrium) continue;
      for (int q = 0; q < kScenarioOutputCount; ++q)
        EXPECT_NEAR(get(e.o, q), get(Y.o, q), 1e-13 * (1 + std::abs(get(Y.o, q)))) << kScenarioNames[s] << " " << q;
    }
  }
}

// Issue 13: the printed forms pass the same test as the derived ones (in_region: positive
// quantities and prices within the market). Published Y-DE1 prints a p_B that is negative at
// ordinary points where its quantities are inside the region: there it is no equilibrium.
TEST(PublishedRegime, PrintedFormsWithANonPositivePriceAreNoEquilibrium) {
  std::mt19937_64 rng(31);
  int negative_price_inside = 0;
  for (int i = 0; i < 20000; ++i) {
    const Point p = random_point(rng);
    for (int s = 0; s < kScenarioCount; ++s) {
      const Evaluation e = published(s, p);
      const ScenarioOutputs& o = e.o;
      const bool priced = o.p_A > 0 && o.p_B > 0;
      if (!priced) EXPECT_NE(e.regime, kEquilibrium) << kScenarioNames[s] << " p_A " << o.p_A << " p_B " << o.p_B;
      const bool sold_within = o.q_A > 0 && o.q_B > 0 && (is_uncovered(s) ? o.q_A <= p.M && o.q_B <= p.M : o.q_A + o.q_B <= 1);
      if (s == kScenarioYDE1 && sold_within && o.p_B < 0) {
        ++negative_price_inside;
        EXPECT_EQ(e.regime, kOutsideRegion);
      }
    }
  }
  EXPECT_GT(negative_price_inside, 0) << "no printed Y-DE1 with a negative p_B inside the quantity region sampled";
}

// Issue 13, item 4: c_B = t²/q_B is the chain's unit information cost (the whole investment t²),
// c_B_R the retailer's (its part of t² in its profit function): m t² in Y-C (eq. 6), t² - F in
// Y-N-C and Y-NEW (eqs. 19, 23), t² elsewhere; the alliance Y-N-CO has no retailer.
TEST(UnitInformationCost, ChainAndRetailerUnitCostsFollowEachScenariosCostSplit) {
  std::mt19937_64 rng(32);
  for (int i = 0; i < 300; ++i) {
    const Point p = random_point(rng);
    const double tt = p.t * p.t;
    for (Evaluator e : {&derived, &published}) {
      for (int s = 0; s < kScenarioCount; ++s) {
        const ScenarioOutputs o = e(s, p).o;
        if (!(o.q_B > 0)) continue;
        EXPECT_NEAR(o.c_B * o.q_B, tt, 1e-14) << kScenarioNames[s];
        const double retailer = s == kScenarioYC ? p.m * tt : s == kScenarioYNC || s == kScenarioYNEW ? tt - p.F : tt;
        if (s == kScenarioYNCO) EXPECT_TRUE(std::isnan(o.c_B_R));
        else EXPECT_NEAR(o.c_B_R * o.q_B, retailer, 1e-14) << kScenarioNames[s];
      }
    }
    // The derived Y-C game charges the retailer m t² and the manufacturer (1 - m) t²: against Y the
    // profits move by exactly those lump sums.
    const Evaluation Y = derived(kScenarioY, p), YC = derived(kScenarioYC, p);
    if (Y.regime != kEquilibrium || YC.regime != kEquilibrium) continue;
    EXPECT_NEAR(YC.o.pi_R - Y.o.pi_R, (1 - p.m) * tt, 1e-14);
    EXPECT_NEAR(Y.o.pi_M - YC.o.pi_M, (1 - p.m) * tt, 1e-14);
  }
}

}  // namespace
}  // namespace eqsweep::ye2025
