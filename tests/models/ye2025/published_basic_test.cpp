// Model Y (Ye, Wang & Zhao 2025), scenarios N and Y as printed in Appendix A.1/A.2.
//
// The oracles here are numbers worked out by hand from the printed formulas (arithmetic in the
// comments) and identities the printed forms must satisfy (profit accounting, the consumer
// demand model of Section 3.2, Proposition 1); none of the model's own expressions is copied.

#include "models/ye2025/published_basic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/ye2025/ye2025_model.hpp"

namespace eqsweep::ye2025 {
namespace {

// Tight relative comparison for hand-computed numbers.
void expect_rel(double actual, double expected, const char* what) {
  EXPECT_NEAR(actual, expected, 1e-12 * std::max(std::abs(expected), 1e-300)) << what;
}

struct Expected {
  double p_A, p_B, q_A, q_B, w_A, w_B, pi_R, pi_M, pi_SC, c_B;
};

void expect_outputs(const ScenarioOutputs& o, const Expected& e) {
  expect_rel(o.p_A, e.p_A, "p_A");
  expect_rel(o.p_B, e.p_B, "p_B");
  expect_rel(o.q_A, e.q_A, "q_A");
  expect_rel(o.q_B, e.q_B, "q_B");
  expect_rel(o.w_A, e.w_A, "w_A");
  expect_rel(o.w_B, e.w_B, "w_B");
  expect_rel(o.pi_R, e.pi_R, "pi_R");
  expect_rel(o.pi_M, e.pi_M, "pi_M");
  expect_rel(o.pi_SC, e.pi_SC, "pi_SC");
  expect_rel(o.c_B, e.c_B, "c_B");
}

// ---------------------------------------------------------------------------------------------
// Point P0: theta = 1/2, k = 1/2, t = 1/5, sigma = 1, Gamma = 0.
//   (1-theta) theta = 1/4, (1-k) t = 1/10, t^2 = 1/25, 1 + t sigma^2 = 6/5,
//   signal forecast t Gamma sigma^2/(1+t sigma^2) = 0, variance term t theta sigma^4/(1+t sigma^2) = (1/10)/(6/5) = 1/12.
// N: p_A = 3/4;  p_B = (3/2 + (1/5)(3 + 1/2 + 0))/4 = (3/2 + 7/10)/4 = 11/20 = 0.55
//    q_A = (1 - 1/2 - 1/10)/(4 * 1/2) = (2/5)/2 = 1/5;  q_B = ((1/10)/(1/4) + 0)/4 = 1/10
//    w_A = 1/2;  w_B = (1/10 + 1/2)/2 = 3/10
//    pi_R = (1 + (1/25)(1 - (3/2)(1/2) - 16/4)/(1/4) + 4/12)/16 = (1 - 3/5 + 1/3)/16 = (11/15)/16 = 11/240
//    pi_M = (1 + (1/4)(1/25)/(1/4))/8 = (26/25)/8 = 13/100
//    pi_SC = (3 + (1/25)(3/4 - 4)/(1/4) + 1/3)/16 = (3 - 13/25 + 1/3)/16 = (211/75)/16 = 211/1200
//    c_B = t^2/q_B = (1/25)/(1/10) = 2/5
// Y: prices, quantities and wholesale prices as in N (the forecast is 0);
//    pi_R = (1 - 3/5 + 1/12)/16 = (29/60)/16 = 29/960;  pi_M = (1 + 1/25 + 1/12)/8 = (337/300)/8 = 337/2400
//    pi_SC = (3 - 13/25 + 3/12)/16 = (273/100)/16 = 273/1600;  c_B = 2/5
const Params kP0{0.5, 0.5, 0.2, 1.0, 0.0};

TEST(PublishedBasic, HandCalculationWithoutSignalScenarioN) {
  expect_outputs(published_N(kP0), {0.75, 0.55, 0.2, 0.1, 0.5, 0.3, 11.0 / 240, 0.13, 211.0 / 1200, 0.4});
}

TEST(PublishedBasic, HandCalculationWithoutSignalScenarioY) {
  expect_outputs(published_Y(kP0), {0.75, 0.55, 0.2, 0.1, 0.5, 0.3, 29.0 / 960, 337.0 / 2400, 273.0 / 1600, 0.4});
}

// Point P1: as P0 but Gamma = 3/5. Forecast E = t Gamma sigma^2/(1+t sigma^2) = (3/25)/(6/5) = 1/10.
// N: p_A = 3/4 + t Gamma theta sigma^2/(2 + 2 t sigma^2) = 3/4 + (3/50)/(12/5) = 3/4 + 1/40 = 31/40
//    p_B = (3/2 + (1/5)(7/2 + 2 (3/5)(1/2)/(6/5)))/4 = (3/2 + (1/5)(7/2 + 1/2))/4 = (3/2 + 4/5)/4 = 23/40
//    q_A = 1/5 (no Gamma);  q_B = (2/5 + 2 (3/25)/(6/5))/4 = (2/5 + 1/5)/4 = 3/20
//    w_A = 1/2, w_B = 3/10;  pi_R, pi_M, pi_SC as in P0 (Gamma enters no printed N profit)
//    c_B = (1/25)/(3/20) = 4/15
// Y: p_A = (3/4)(1 + (3/50)/(6/5)) = (3/4)(21/20) = 63/80
//    p_B = (3/2 + (1/5)(7/2 + 3 (3/10)/(6/5)))/4 = (3/2 + (1/5)(7/2 + 3/4))/4 = (3/2 + 17/20)/4 = 47/80
//    q_A = 1/5;  q_B = (2/5 + (3/25)/(6/5))/4 = (2/5 + 1/10)/4 = 1/8
//    w_A = (1 + 1/20)/2 = 21/40;  w_B = (1/10 + 1/2 + 1/20)/2 = 13/40
//    pi_R, pi_M, pi_SC as in P0;  c_B = (1/25)/(1/8) = 8/25
const Params kP1{0.5, 0.5, 0.2, 1.0, 0.6};

TEST(PublishedBasic, HandCalculationWithPositiveSignalScenarioN) {
  expect_outputs(published_N(kP1), {31.0 / 40, 23.0 / 40, 0.2, 0.15, 0.5, 0.3, 11.0 / 240, 0.13, 211.0 / 1200, 4.0 / 15});
}

TEST(PublishedBasic, HandCalculationWithPositiveSignalScenarioY) {
  expect_outputs(published_Y(kP1),
                 {63.0 / 80, 47.0 / 80, 0.2, 0.125, 21.0 / 40, 13.0 / 40, 29.0 / 960, 337.0 / 2400, 273.0 / 1600, 0.32});
}

// Point P2: theta = 1/5, k = 1/4, t = 1/5, sigma = 1/2, Gamma = -1 (every parameter away from P0).
//   sigma^2 = 1/4, t sigma^2 = 1/20, 1 + t sigma^2 = 21/20, (1-theta) theta = 4/25, (1-k) t = 3/20,
//   t^2/((1-theta) theta) = (1/25)/(4/25) = 1/4,
//   E = t Gamma sigma^2/(1+t sigma^2) = (-1/20)/(21/20) = -1/21,
//   V = t theta sigma^4/(1+t sigma^2) = (1/5)(1/5)(1/16)/(21/20) = (1/400)(20/21) = 1/420.
// N: p_A = 3/4 + theta E/2 = 3/4 - 1/210 = 313/420
//    p_B = (3/5 + (1/5)(13/4 + 2 (-1)(1/5)(1/4)/(21/20)))/4 = (3/5 + (1/5)(13/4 - 2/21))/4
//        = (3/5 + 13/20 - 2/105)/4 = (5/4 - 2/105)/4 = (517/420)/4 = 517/1680
//    q_A = (1 - 1/5 - 3/20)/(4 * 4/5) = (13/20)/(16/5) = 13/64
//    q_B = ((3/20)/(4/25) + 2 E)/4 = (15/16 - 2/21)/4 = (283/336)/4 = 283/1344
//    w_A = 1/2;  w_B = (3/20 + 1/5)/2 = 7/40
//    pi_R = (1 + (1/4)(1 - (7/4)(1/4) - 16 (4/25)) + 4/420)/16 = (1 + (1/4)(-799/400) + 1/105)/16
//         = (801/1600 + 1/105)/16 = (17141/33600)/16 = 17141/537600
//    pi_M = (1 + (9/16)(1/4))/8 = (73/64)/8 = 73/512
//    pi_SC = (3 + (1/4)(27/16 - 64/25) + 1/105)/16 = (3 - 349/1600 + 1/105)/16 = (93791/33600)/16 = 93791/537600
//    c_B = (1/25)/(283/1344) = 1344/7075
// Y: p_A = (3/4)(1 + theta E) = (3/4)(1 - 1/105) = (3/4)(104/105) = 26/35
//    p_B = (3/5 + (1/5)(13/4 - 3 (1/20)/(21/20)))/4 = (5/4 - 1/35)/4 = (171/140)/4 = 171/560
//    q_A = 13/64;  q_B = (15/16 - 1/21)/4 = (299/336)/4 = 299/1344
//    w_A = (1 - 1/105)/2 = 52/105;  w_B = (3/20 + 1/5 - 1/105)/2 = (143/420)/2 = 143/840
//    pi_R = (801/1600 + 1/420)/16 = (16901/33600)/16 = 16901/537600
//    pi_M = (73/64 + 1/420)/8 = (7681/6720)/8 = 7681/53760
//    pi_SC = (4451/1600 + 3/420)/16 = (31237/11200)/16 = 31237/179200
//    c_B = (1/25)/(299/1344) = 1344/7475
const Params kP2{0.2, 0.25, 0.2, 0.5, -1.0};

TEST(PublishedBasic, HandCalculationWithNegativeSignalScenarioN) {
  expect_outputs(published_N(kP2), {313.0 / 420, 517.0 / 1680, 13.0 / 64, 283.0 / 1344, 0.5, 7.0 / 40,
                                    17141.0 / 537600, 73.0 / 512, 93791.0 / 537600, 1344.0 / 7075});
}

TEST(PublishedBasic, HandCalculationWithNegativeSignalScenarioY) {
  expect_outputs(published_Y(kP2), {26.0 / 35, 171.0 / 560, 13.0 / 64, 299.0 / 1344, 52.0 / 105, 143.0 / 840,
                                    16901.0 / 537600, 7681.0 / 53760, 31237.0 / 179200, 1344.0 / 7475});
}

// ---------------------------------------------------------------------------------------------
// Identities of the printed forms over a grid of parameter points.

std::vector<Params> parameter_grid() {
  std::vector<Params> grid;
  for (double theta : {0.1, 0.35, 0.5, 0.8, 0.95})
    for (double k : {0.05, 0.5, 0.9})
      for (double t : {0.01, 0.2, 0.6})
        for (double sigma : {0.0, 0.5, 1.5})
          for (double Gamma : {-1.0, 0.0, 0.3, 2.0}) grid.push_back({theta, k, t, sigma, Gamma});
  return grid;
}

std::string describe(const Params& p) {
  return "theta=" + std::to_string(p.theta) + " k=" + std::to_string(p.k) + " t=" + std::to_string(p.t) +
         " sigma=" + std::to_string(p.sigma) + " Gamma=" + std::to_string(p.Gamma);
}

// Eq. (5): the supply chain's profit is the sum of the firms' profits.
TEST(PublishedBasicIdentities, SupplyChainProfitIsManufacturerPlusRetailer) {
  for (const Params& p : parameter_grid()) {
    for (const ScenarioOutputs& o : {published_N(p), published_Y(p)}) {
      const double scale = std::abs(o.pi_M) + std::abs(o.pi_R);
      EXPECT_NEAR(o.pi_SC, o.pi_M + o.pi_R, 1e-12 * scale) << describe(p);
    }
  }
}

// Eq. (4) at Gamma = 0 (no signal term in any price or quantity): pi_M = w_A q_A + w_B q_B.
TEST(PublishedBasicIdentities, ManufacturerProfitIsWholesaleRevenueWithoutSignal) {
  for (Params p : parameter_grid()) {
    p.Gamma = 0;
    const ScenarioOutputs n = published_N(p);
    const double revenue = n.w_A * n.q_A + n.w_B * n.q_B;
    EXPECT_NEAR(n.pi_M, revenue, 1e-12 * std::abs(revenue)) << describe(p);
  }
}

TEST(PublishedBasicIdentities, StandardProductQuantityIsTheSameInNAndY) {
  for (const Params& p : parameter_grid()) EXPECT_EQ(published_N(p).q_A, published_Y(p).q_A) << describe(p);
}

// Section 4.2: c_B = t^2 / q_B in both scenarios.
TEST(PublishedBasicIdentities, UnitInformationCostIsInvestmentPerUnit) {
  for (const Params& p : parameter_grid()) {
    for (const ScenarioOutputs& o : {published_N(p), published_Y(p)})
      EXPECT_DOUBLE_EQ(o.c_B, p.t * p.t / o.q_B) << describe(p);
  }
}

// Proposition 1(1), printed independently of Appendix A:
// c_B^N = 4 t (1-theta) theta (1 + t sigma^2) / (1 - k + ((1-k) t + 2 Gamma (1-theta) theta) sigma^2).
TEST(PublishedBasicIdentities, UnitInformationCostOfNMatchesProposition1) {
  for (const Params& p : parameter_grid()) {
    const double s2 = p.sigma * p.sigma, tq = (1 - p.theta) * p.theta;
    const double prop1 = 4 * p.t * tq * (1 + p.t * s2) / (1 - p.k + ((1 - p.k) * p.t + 2 * p.Gamma * tq) * s2);
    const ScenarioOutputs n = published_N(p);
    if (!(n.q_B > 0)) continue;  // Proposition 1 is stated where product B is sold
    EXPECT_NEAR(n.c_B, prop1, 1e-12 * std::abs(prop1)) << describe(p);
  }
}

// The demand model of Section 3.2: U_A = V - p_A, U_B = theta V - p_B + t with V ~ U[0, 1].
// A consumer buys A when U_A >= U_B, i.e. V >= (p_A - p_B + t)/(1 - theta), and B when
// U_B > U_A and U_B >= 0, i.e. (p_B - t)/theta <= V < (p_A - p_B + t)/(1 - theta). Without a
// signal (Gamma = 0) the published N quantities are these market shares at the published prices.
TEST(PublishedBasicIdentities, QuantitiesAreTheDemandAtThePublishedPrices) {
  std::size_t checked = 0;
  for (Params p : parameter_grid()) {
    p.Gamma = 0;
    const ScenarioOutputs n = published_N(p);
    const double v_ab = (n.p_A - n.p_B + p.t) / (1 - p.theta);  // indifferent between A and B
    const double v_b = (n.p_B - p.t) / p.theta;                   // indifferent between B and nothing
    if (!(0 <= v_b && v_b <= v_ab && v_ab <= 1)) continue;        // both products sold, market inside [0, 1]
    EXPECT_NEAR(n.q_A, 1 - v_ab, 1e-12) << describe(p);
    EXPECT_NEAR(n.q_B, v_ab - v_b, 1e-12) << describe(p);
    ++checked;
  }
  EXPECT_GT(checked, 40u);  // the identity is exercised on most of the grid
}

TEST(PublishedBasicIdentities, DemandModelAtTheWorkedPoint) {
  // p_A - p_B + t = 0.75 - 0.55 + 0.2 = 0.4, so V_AB = 0.4/0.5 = 0.8 and q_A = 0.2;
  // (p_B - t)/theta = 0.35/0.5 = 0.7, so q_B = 0.8 - 0.7 = 0.1.
  const ScenarioOutputs n = published_N(kP0);
  expect_rel(1 - (n.p_A - n.p_B + kP0.t) / (1 - kP0.theta), 0.2, "1 - V_AB");
  expect_rel((n.p_A - n.p_B + kP0.t) / (1 - kP0.theta) - (n.p_B - kP0.t) / kP0.theta, 0.1, "V_AB - V_B");
}

// Without a signal, sharing it changes nothing but the variance terms of the expected profits:
// pi_M^Y - pi_M^N = V/8 and pi_R^N - pi_R^Y = 3V/16 with V = t theta sigma^4/(1 + t sigma^2).
TEST(PublishedBasicIdentities, WithoutSignalNAndYDifferOnlyInTheVarianceTerm) {
  for (Params p : parameter_grid()) {
    p.Gamma = 0;
    const ScenarioOutputs n = published_N(p), y = published_Y(p);
    EXPECT_EQ(n.p_A, y.p_A) << describe(p);
    EXPECT_DOUBLE_EQ(n.p_B, y.p_B) << describe(p);
    EXPECT_DOUBLE_EQ(n.q_B, y.q_B) << describe(p);
    EXPECT_EQ(n.w_A, y.w_A) << describe(p);
    EXPECT_DOUBLE_EQ(n.w_B, y.w_B) << describe(p);
    const double v = p.t * p.theta * std::pow(p.sigma, 4) / (1 + p.t * p.sigma * p.sigma);
    EXPECT_NEAR(y.pi_M - n.pi_M, v / 8, 1e-12 * (std::abs(n.pi_M) + std::abs(y.pi_M))) << describe(p);
    EXPECT_NEAR(n.pi_R - y.pi_R, 3 * v / 16, 1e-12 * (std::abs(n.pi_R) + std::abs(y.pi_R))) << describe(p);
  }
}

// ---------------------------------------------------------------------------------------------
// The model as the engine sees it: declarations and the solver's point status.

TEST(Ye2025Model, DeclaresParametersOutputsAndVariant) {
  const Ye2025Model model;
  const Model& m = model;
  EXPECT_EQ(m.name(), "ye2025");
  const auto params = m.parameters();
  ASSERT_GE(params.size(), 5u);
  const char* names[] = {"theta", "k", "t", "sigma", "Gamma"};  // the basic model, in Param order
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(params[i].name, names[i]);
    EXPECT_TRUE(std::isnan(params[i].default_value)) << names[i] << " must be given by every spec";
  }
  EXPECT_EQ(params[0].domain.describe(), "(0, 1)");
  EXPECT_EQ(params[1].domain.describe(), "(0, 1)");
  EXPECT_EQ(params[2].domain.describe(), "[0, inf)");
  EXPECT_EQ(params[3].domain.describe(), "[0, inf)");
  EXPECT_EQ(params[4].domain.describe(), "(-inf, inf)");
  const char* quantities[] = {"p_A", "p_B", "q_A", "q_B", "w_A", "w_B", "pi_R", "pi_M", "pi_SC", "c_B"};
  for (const char* scenario : {"N", "Y"})
    for (const char* q : quantities)
      EXPECT_GE(m.output_index(std::string(scenario) + "." + q), 0) << scenario << "." << q;
  EXPECT_LT(m.output_index("N.p_A"), m.output_index("N.c_B"));
  EXPECT_LT(m.output_index("N.c_B"), m.output_index("Y.p_A"));
  bool has_published = false;
  for (const auto& v : m.variants()) has_published = has_published || v.name == "published";
  EXPECT_TRUE(has_published);
  EXPECT_EQ(m.warm_start_size(), 0u);
  EXPECT_THROW(m.make_solver({"no-such-variant"}), std::invalid_argument);
}

// Solves a few points through the model's batch solver (SoA layout with a stride larger than the
// batch, as the engine uses for edge tiles). Parameters beyond the basic five keep their defaults.
struct BatchRun {
  static constexpr std::size_t kStride = 7;
  const Ye2025Model model;
  std::vector<double> params, outputs;
  std::vector<PointResult> results = std::vector<PointResult>(kStride);

  explicit BatchRun(const std::vector<Params>& points) {
    const auto declared = model.parameters();
    const std::size_t n_params = declared.size(), n_outputs = model.outputs().size();
    params.assign(n_params * kStride, std::numeric_limits<double>::quiet_NaN());
    outputs.assign(n_outputs * kStride, -12345.0);
    for (std::size_t i = 0; i < points.size(); ++i) {
      for (std::size_t j = 5; j < n_params; ++j) params[j * kStride + i] = declared[j].default_value;
      const Params& p = points[i];
      const double v[5] = {p.theta, p.k, p.t, p.sigma, p.Gamma};
      for (std::size_t j = 0; j < 5; ++j) params[j * kStride + i] = v[j];
    }
    auto solver = model.make_solver({"published"});
    BatchView b;
    b.size = points.size();
    b.stride = kStride;
    b.params = params.data();
    b.outputs = outputs.data();
    b.results = results.data();
    solver->solve_batch(b);
  }
  // The ten quantities of Appendix A that a scenario reports.
  static std::vector<std::string> scenario_outputs(const char* scenario) {
    std::vector<std::string> names;
    for (const char* q : {"p_A", "p_B", "q_A", "q_B", "w_A", "w_B", "pi_R", "pi_M", "pi_SC", "c_B"})
      names.push_back(std::string(scenario) + "." + q);
    return names;
  }
  double output(const std::string& name, std::size_t i) const {
    const int o = static_cast<const Model&>(model).output_index(name);
    EXPECT_GE(o, 0) << name;
    return o < 0 ? 0.0 : outputs[static_cast<std::size_t>(o) * kStride + i];
  }
};

TEST(Ye2025Model, InteriorPointIsSolvedWithTheHandValues) {
  const BatchRun run({kP0, kP1});
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(run.results[i].status, PointStatus::solved) << i;
    EXPECT_EQ(run.results[i].iterations, 0) << i;
    EXPECT_TRUE(std::isnan(run.results[i].residual)) << i;
  }
  expect_rel(run.output("N.p_B", 0), 0.55, "N.p_B at P0");
  expect_rel(run.output("N.pi_R", 0), 11.0 / 240, "N.pi_R at P0");
  expect_rel(run.output("Y.pi_M", 0), 337.0 / 2400, "Y.pi_M at P0");
  expect_rel(run.output("N.q_B", 1), 0.15, "N.q_B at P1");
  expect_rel(run.output("Y.c_B", 1), 0.32, "Y.c_B at P1");
  // Cells beyond the batch are left alone.
  for (std::size_t i = 2; i < BatchRun::kStride; ++i) EXPECT_EQ(run.output("N.p_A", i), -12345.0);
}

TEST(Ye2025Model, NoAccuracyMeansNoCustomisedProductAndIsInfeasible) {
  // t = 0: q_B = 0 in both scenarios (and c_B = 0/0).
  const BatchRun run({{0.5, 0.5, 0.0, 1.0, 0.3}});
  EXPECT_EQ(run.results[0].status, PointStatus::infeasible);
  for (const char* scenario : {"N", "Y"})
    for (const auto& name : run.scenario_outputs(scenario)) EXPECT_TRUE(std::isnan(run.output(name, 0))) << name;
}

TEST(Ye2025Model, NegativeStandardQuantityIsInfeasibleWithNaNOutputs) {
  // theta = 0.9, k = 0.1, t = 0.5: q_A = (1 - 0.9 - 0.45)/(4 * 0.1) = -0.875 < 0.
  const Params p{0.9, 0.1, 0.5, 0.5, 0.2};
  ASSERT_LT(published_N(p).q_A, 0);
  const BatchRun run({p});
  EXPECT_EQ(run.results[0].status, PointStatus::infeasible);
  for (const char* scenario : {"N", "Y"})
    for (const auto& name : run.scenario_outputs(scenario)) EXPECT_TRUE(std::isnan(run.output(name, 0))) << name;
}

TEST(Ye2025Model, ServingMoreThanTheWholeMarketIsInfeasible) {
  // theta = 1/2, k = 0, t = 2/5, sigma = 1, Gamma = 49/10: E = (49/25)/(7/5) = 7/5, q_A = (1/10)/2 = 1/20.
  // N: q_B = ((2/5)/(1/4) + 14/5)/4 = 11/10, q_A + q_B = 23/20 > 1: no equilibrium of the model.
  // Y: q_B = (8/5 + 7/5)/4 = 3/4, q_A + q_B = 4/5 <= 1: Y alone is in the two-product region, so its
  //    values are kept while the point as a whole is infeasible; p_A^Y = (3/4)(1 + 7/10) = 51/40.
  const BatchRun run({{0.5, 0.0, 0.4, 1.0, 4.9}});
  EXPECT_EQ(run.results[0].status, PointStatus::infeasible);
  for (const auto& name : run.scenario_outputs("N")) EXPECT_TRUE(std::isnan(run.output(name, 0))) << name;
  expect_rel(run.output("Y.q_B", 0), 0.75, "Y.q_B");
  expect_rel(run.output("Y.q_A", 0), 0.05, "Y.q_A");
  expect_rel(run.output("Y.p_A", 0), 51.0 / 40, "Y.p_A");
}

TEST(Ye2025Model, MixedBatchKeepsEveryPointInItsOwnCell) {
  const BatchRun run({kP2, {0.5, 0.5, 0.0, 1.0, 0.3}, kP0});
  EXPECT_EQ(run.results[0].status, PointStatus::solved);
  EXPECT_EQ(run.results[1].status, PointStatus::infeasible);
  EXPECT_EQ(run.results[2].status, PointStatus::solved);
  expect_rel(run.output("N.p_A", 0), 313.0 / 420, "N.p_A at P2");
  expect_rel(run.output("Y.pi_SC", 0), 31237.0 / 179200, "Y.pi_SC at P2");
  EXPECT_TRUE(std::isnan(run.output("Y.pi_SC", 1)));
  expect_rel(run.output("N.pi_SC", 2), 211.0 / 1200, "N.pi_SC at P0");
}

}  // namespace
}  // namespace eqsweep::ye2025
