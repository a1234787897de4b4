// The derived evaluation of every scenario against identities a reader can check by hand, at many
// random interior points. The oracles are written here from the paper's primitives (consumer
// cut-offs, profit functions eqs. 3-24), independently of the solver's matrix form: demand at the
// derived prices, profit = margin x quantity - cost, the retailer's first- and second-order
// conditions, and no profitable unilateral deviation of either firm on a grid.

#include "models/ye2025/sampling.hpp"
#include "models/ye2025/derived_scenarios.hpp"

#include <array>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace eqsweep::ye2025 {
namespace {

struct Prices {
  double A, B;
};

// Demand from the consumers' choices: cut-offs of V ~ U[0,1], or the uncovered market's reach.
Prices demand(int s, const Point& p, Prices price, double e) {
  const double th = p.theta;
  if (is_uncovered(s)) {
    const double reach = 2 * p.M / p.rho;
    return {reach * (p.V - price.A), reach * (th * p.V - price.B + p.l * p.t + e)};
  }
  double d = 1, uB = p.t, uA = 0;  // U_A = V - p_A + uA, U_B = θV - d p_B + uB
  if (s == kScenarioYDE1 || s == kScenarioYDE2) d = p.delta;
  if (s == kScenarioYS) uB += p.s;
  if (s == kScenarioYSA) uA -= p.s;  // the reading of A.4 as printed: the coupon lowers U_A
  if (s == kScenarioYNEW) uB += p.b;
  const double V1 = (price.A - uA - d * price.B + uB) / (1 - th);  // indifferent between A and B
  const double V2 = (d * price.B - uB) / th;                  // U_B = 0
  const bool reversed = s == kScenarioNp || s == kScenarioYp || s == kScenarioYDE2;
  return {1 - V1, V1 - (reversed ? price.A : V2) + e};
}

// Realised profits at forecast e (eqs. 3-5 and each scenario's variant).
struct Profits {
  double R, M;
};
Profits profits(int s, const Point& p, Prices price, Prices w, double e) {
  const Prices q = demand(s, p, price, e);
  const double kt = p.k * p.t, tt = p.t * p.t;
  if (s == kScenarioYNCO) return {price.A * q.A + (price.B - kt) * q.B - tt, 0};
  double R = (price.A - w.A) * q.A + (price.B - w.B - kt) * q.B - tt;
  double M = w.A * q.A + w.B * q.B;
  switch (s) {
    case kScenarioYC: R += (1 - p.m) * tt; M -= (1 - p.m) * tt; break;
    case kScenarioYS:
    case kScenarioYSA: R += p.s * q.B; M -= 2 * p.s * q.B; break;
    case kScenarioYD: R += (1 - p.phi) * w.B * q.B; break;
    case kScenarioYR: M += p.y * w.B * q.B; break;
    case kScenarioYNC: R += p.F; M -= p.F; break;
    case kScenarioYNEW: R += p.F - p.c * q.B; M -= p.F; break;
    default: break;
  }
  return {R, M};
}

// The derived decisions at the Γ whose forecast is e.
ScenarioOutputs at_forecast(int s, const Point& p, double e) {
  Point q = p;
  const double s2 = p.sigma * p.sigma;
  q.Gamma = e * (1 + p.t * s2) / (p.t * s2);
  return derived(s, q).o;
}

Point random_point(std::mt19937_64& rng) { return random_interior_point(rng, 1.0); }

double retailer_objective(int s, const Point& p, Prices price, Prices w, double e) {
  const Profits pi = profits(s, p, price, w, e);
  return pi.R;  // for the alliance, profits() already returns the chain's profit as R
}

// Gradient and Hessian of the retailer's (quadratic) objective by central differences.
struct Local {
  std::array<double, 2> grad;
  std::array<std::array<double, 2>, 2> hess;
};
Local local(int s, const Point& p, Prices price, Prices w, double e) {
  const double h = 1e-4;
  auto f = [&](double a, double b) { return retailer_objective(s, p, {price.A + a, price.B + b}, w, e); };
  Local L;
  L.grad = {(f(h, 0) - f(-h, 0)) / (2 * h), (f(0, h) - f(0, -h)) / (2 * h)};
  L.hess[0][0] = (f(h, 0) - 2 * f(0, 0) + f(-h, 0)) / (h * h);
  L.hess[1][1] = (f(0, h) - 2 * f(0, 0) + f(0, -h)) / (h * h);
  L.hess[0][1] = L.hess[1][0] = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h);
  return L;
}

// The retailer's best reply to w: one Newton step is exact for a quadratic objective.
Prices best_reply(int s, const Point& p, Prices start, Prices w, double e) {
  const Local L = local(s, p, start, w, e);
  const double det = L.hess[0][0] * L.hess[1][1] - L.hess[0][1] * L.hess[1][0];
  return {start.A - (L.hess[1][1] * L.grad[0] - L.hess[0][1] * L.grad[1]) / det,
          start.B - (-L.hess[1][0] * L.grad[0] + L.hess[0][0] * L.grad[1]) / det};
}

constexpr int kPoints = 1500;

class DerivedScenario : public ::testing::TestWithParam<int> {
 protected:
  // Runs `check` at every random point where the scenario is a verified equilibrium, and asks
  // that there were enough of them for the test to mean something.
  template <typename Check>
  void for_equilibria(Check check) {
    std::mt19937_64 rng(1000 + GetParam());
    int n = 0;
    for (int i = 0; i < kPoints; ++i) {
      const Point p = random_point(rng);
      const Evaluation ev = derived(GetParam(), p);
      if (ev.regime != kEquilibrium) continue;
      ++n;
      check(p, ev.o);
    }
    EXPECT_GE(n, 40) << "too few interior points for " << kScenarioNames[GetParam()];
  }
  bool leader_sees_signal() const { return GetParam() != kScenarioN && GetParam() != kScenarioNp; }
};

TEST_P(DerivedScenario, QuantitiesAreTheConsumersDemandAtTheDerivedPrices) {
  const int s = GetParam();
  for_equilibria([&](const Point& p, const ScenarioOutputs& o) {
    const Prices q = demand(s, p, {o.p_A, o.p_B}, forecast(p));
    EXPECT_NEAR(o.q_A, q.A, 1e-12 * (1 + std::abs(q.A)));
    EXPECT_NEAR(o.q_B, q.B, 1e-12 * (1 + std::abs(q.B)));
    EXPECT_DOUBLE_EQ(o.c_B, p.t * p.t / o.q_B);
  });
}

TEST_P(DerivedScenario, ExpectedProfitsAreMarginTimesQuantityMinusCostAveragedOverTheForecast) {
  const int s = GetParam();
  for_equilibria([&](const Point& p, const ScenarioOutputs& o) {
    // E[π] over e with mean 0 and variance v; π is quadratic in e, so two realisations suffice.
    const double sd = std::sqrt(forecast_variance(p));
    double R = 0, M = 0;
    for (double e : {sd, -sd}) {
      const ScenarioOutputs x = at_forecast(s, p, e);
      const Profits pi = profits(s, p, {x.p_A, x.p_B}, {x.w_A, x.w_B}, e);
      R += pi.R / 2;
      M += pi.M / 2;
    }
    if (s == kScenarioYNCO) {
      EXPECT_NEAR(o.pi_SC, R, 1e-12 * (1 + std::abs(R)));
      return;
    }
    EXPECT_NEAR(o.pi_R, R, 1e-12 * (1 + std::abs(R)));
    EXPECT_NEAR(o.pi_M, M, 1e-12 * (1 + std::abs(M)));
    EXPECT_NEAR(o.pi_SC, o.pi_R + o.pi_M, 1e-12 * (1 + std::abs(o.pi_SC)));
  });
}

TEST_P(DerivedScenario, RetailerFirstOrderConditionsVanishAndSecondOrderConditionsHold) {
  const int s = GetParam();
  for_equilibria([&](const Point& p, const ScenarioOutputs& o) {
    const Local L = local(s, p, {o.p_A, o.p_B}, {o.w_A, o.w_B}, forecast(p));
    EXPECT_NEAR(L.grad[0], 0, 1e-7);
    EXPECT_NEAR(L.grad[1], 0, 1e-7);
    EXPECT_LT(L.hess[0][0], 0);
    EXPECT_GT(L.hess[0][0] * L.hess[1][1] - L.hess[0][1] * L.hess[1][0], 0);
  });
}

TEST_P(DerivedScenario, NoPriceOnAGridAroundTheEquilibriumPaysTheRetailerMore) {
  const int s = GetParam();
  for_equilibria([&](const Point& p, const ScenarioOutputs& o) {
    const double e = forecast(p);
    const double best = retailer_objective(s, p, {o.p_A, o.p_B}, {o.w_A, o.w_B}, e);
    for (int i = -6; i <= 6; ++i)
      for (int j = -6; j <= 6; ++j) {
        const Prices dev{o.p_A + 0.01 * i, o.p_B + 0.01 * j};
        EXPECT_LE(retailer_objective(s, p, dev, {o.w_A, o.w_B}, e), best + 1e-13) << i << " " << j;
      }
  });
}

TEST_P(DerivedScenario, NoWholesalePriceOnAGridPaysTheManufacturerMoreGivenTheRetailersReply) {
  const int s = GetParam();
  for_equilibria([&](const Point& p, const ScenarioOutputs& o) {
    if (s == kScenarioYNCO) {  // the alliance sets no wholesale prices and splits no profit
      EXPECT_TRUE(std::isnan(o.w_A) && std::isnan(o.w_B) && std::isnan(o.pi_R) && std::isnan(o.pi_M));
      return;
    }
    // Y-type scenarios: w is set knowing the forecast; N-type: on the prior, so the manufacturer's
    // objective is the expectation over e = ±sd with w fixed.
    const double sd = std::sqrt(forecast_variance(p));
    const std::vector<double> shocks = leader_sees_signal() ? std::vector<double>{forecast(p)} : std::vector<double>{sd, -sd};
    auto manufacturer = [&](Prices w) {
      double M = 0;
      for (double e : shocks) {
        const Prices reply = best_reply(s, p, {o.p_A, o.p_B}, w, e);
        M += profits(s, p, reply, w, e).M / static_cast<double>(shocks.size());
      }
      return M;
    };
    const double best = manufacturer({o.w_A, o.w_B});
    for (int i = -5; i <= 5; ++i)
      for (int j = -5; j <= 5; ++j)
        EXPECT_LE(manufacturer({o.w_A + 0.01 * i, o.w_B + 0.01 * j}), best + 1e-10) << i << " " << j;
  });
}

INSTANTIATE_TEST_SUITE_P(AllScenarios, DerivedScenario, ::testing::Range(0, static_cast<int>(kScenarioCount)),
                         [](const auto& info) {
                           std::string n = kScenarioNames[info.param];
                           for (char& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace eqsweep::ye2025
