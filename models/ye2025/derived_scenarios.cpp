// Every scenario of model Y as primitives of the one linear-quadratic Stackelberg game
// (lq_stackelberg.hpp): the consumer choice model gives the demand system, the profit functions
// eqs. (3)-(24) give the unit costs, margins and fixed costs.

#include "models/ye2025/derived_scenarios.hpp"

#include <array>
#include <utility>

#include "models/ye2025/lq_stackelberg.hpp"
#include "models/ye2025/tile_evaluation.hpp"

namespace eqsweep::ye2025 {

namespace {

// Covered market, V ~ U[0,1], U_A = V - p_A + u_A, U_B = θV - d p_B + u_B. Consumers above
// V1 = (p_A - u_A - d p_B + u_B)/(1 - θ) buy A, those between V2 = (d p_B - u_B)/θ and V1 buy B;
// the forecast e is an additive intercept of B's demand (the reading that reproduces A.1 and A.2).
void covered_demand(LqGame& g, double theta, double d, double u_B, double u_A = 0) {
  const double a = 1 / (1 - theta), b = 1 / theta;
  g.Q << -a, d * a, a, -d * (a + b);
  g.q0 << 1 - (u_B - u_A) * a, u_B * (a + b) - u_A * a;  // u_A = 0: the same rounding as without it
  g.g << 0, 1;
}

// Discount coupons (eqs. 8-11): the retailer earns p_B - w_B - kt + s and the manufacturer
// w_B - 2s per unit of B. Where the coupon enters the consumers' choice is the reading: eq. (9)
// adds s to U_B (Y-S); A.4's printed p, w, q are the equilibrium only if it lowers U_A by s
// instead (Y-S-A: it then moves the A/B cut-off V1 but not V2, the cut-off of buying at all).
void coupon_contract(LqGame& g, const Point& p, bool coupon_in_A) {
  if (coupon_in_A) covered_demand(g, p.theta, 1, p.t, -p.s);
  else covered_demand(g, p.theta, 1, p.t + p.s);
  g.r0 << 0, p.k * p.t - p.s;
  g.mc << 0, 2 * p.s;
}

// The paper's demand for the ordering U_B > U_A > 0 (N′, Y′, Y-DE case 2): B is bought by the
// consumers between p_A (where U_A = 0) and V1; A above V1.
void reversed_demand(LqGame& g, double theta, double d, double u_B) {
  const double a = 1 / (1 - theta);
  g.Q << -a, d * a, a - 1, -d * a;
  g.q0 << 1 - u_B * a, u_B * a;
  g.g << 0, 1;
}

// Uncovered market (eqs. 15-16): consumers at distance x from the seller on either side buy while
// U - ρx >= 0, so each product sells λ = 2 U / ρ of its capacity M; the forecast shifts U_B.
void uncovered_demand(LqGame& g, const Point& p) {
  const double h = 2 * p.M / p.rho;
  g.Q << -h, 0, 0, -h;
  g.q0 << h * p.V, h * (p.theta * p.V + p.l * p.t);
  g.g << 0, h;
}

// The scenario's game; always inlined, so that with a constant scenario the switch folds away.
[[gnu::always_inline]] inline LqGame build_game(int scenario, const Point& p) {
  LqGame g;
  const double kt = p.k * p.t;
  g.r0 << 0, kt;
  // The investment t²: the retailer's part from the one place that says who pays it, the
  // manufacturer the rest (m t² / (1-m) t² in Y-C, t² - F / F in Y-N-C and Y-NEW).
  const FixedCosts split = information_cost_split(scenario, p);
  g.fixed_R = split.retailer;
  g.fixed_M = split.manufacturer;
  switch (scenario) {
    case kScenarioN:
      g.leader_sees_signal = false;
      covered_demand(g, p.theta, 1, p.t);
      break;
    case kScenarioY:
      covered_demand(g, p.theta, 1, p.t);
      break;
    case kScenarioYC:  // eqs. (6)-(7); the cost split is set above
      covered_demand(g, p.theta, 1, p.t);
      break;
    case kScenarioYS:  // eqs. (8)-(11), with θV in U_B as in eq. (2)
      coupon_contract(g, p, false);
      break;
    case kScenarioYSA:
      coupon_contract(g, p, true);
      break;
    case kScenarioYD:  // eq. (12): the retailer pays ϕ w_B, the manufacturer's eq. (4) is unchanged
      covered_demand(g, p.theta, 1, p.t);
      g.ra << 1, p.phi;
      break;
    case kScenarioYR:  // eq. (13): the manufacturer is paid for (1 + y) q_B
      covered_demand(g, p.theta, 1, p.t);
      g.beta << 1, 1 + p.y;
      break;
    case kScenarioNp:
      g.leader_sees_signal = false;
      reversed_demand(g, p.theta, 1, p.t);
      break;
    case kScenarioYp:
      reversed_demand(g, p.theta, 1, p.t);
      break;
    case kScenarioYN:
      uncovered_demand(g, p);
      break;
    case kScenarioYNC:  // eqs. (19)-(20); the transfer F is set above
      uncovered_demand(g, p);
      break;
    case kScenarioYNCO:
      uncovered_demand(g, p);
      g.integrated = true;  // pays the whole t² as one firm (fixed_R = t², fixed_M = 0)
      break;
    case kScenarioYDE1:
      covered_demand(g, p.theta, p.delta, p.t);
      break;
    case kScenarioYDE2:
      reversed_demand(g, p.theta, p.delta, p.t);
      break;
    case kScenarioYNEW:  // eqs. (21)-(24)
      covered_demand(g, p.theta, 1, p.t + p.b);
      g.r0 << 0, kt + p.c;  // the transfer F is set above
      break;
    default:
      break;
  }
  return g;
}

template <int S>
Evaluation derived_at(const Point& p) {
  const LqGame g = build_game(S, p);
  const LqPath s = solve_lq(g);
  Evaluation ev;
  if (!s.regular) return ev;
  const double e = forecast(p);
  const Eigen::Vector2d price = s.p(e), q = s.q(e), w = s.w(e);
  const LqProfits pi = lq_expected_profits(g, s, forecast_variance(p));
  ScenarioOutputs& o = ev.o;
  o.p_A = price[0];
  o.p_B = price[1];
  o.q_A = q[0];
  o.q_B = q[1];
  o.w_A = w[0];
  o.w_B = w[1];
  if (g.integrated) {
    o.pi_R = o.pi_M = kNaN;
    o.pi_SC = pi.R;
  } else {
    o.pi_R = pi.R;
    o.pi_M = pi.M;
    o.pi_SC = pi.R + pi.M;
  }
  o.c_B = p.t * p.t / o.q_B;
  o.c_B_R = retailer_unit_information_cost(S, p, o.q_B);
  if (!(s.retailer_soc && s.leader_soc)) ev.regime = kSocFails;
  else if (!in_region(S, p, o)) ev.regime = kOutsideRegion;
  else ev.regime = defined_finite(S, o) ? kEquilibrium : kDegenerate;
  return ev;
}

// Flattened: the game's 2x2 solves are inlined into the loop for this scenario's constant primitives.
template <int S>
[[gnu::flatten]] void tile_at(const TileRows& rows) {
  evaluate_tile(rows, [](const Point& p) { return derived_at<S>(p); });
}

constexpr auto kPointTable = scenario_table<kScenarioCount>([](auto s) { return &derived_at<decltype(s)::value>; });
constexpr auto kTileTable = scenario_table<kScenarioCount>([](auto s) { return &tile_at<decltype(s)::value>; });

}  // namespace

LqGame scenario_game(int scenario, const Point& p) { return build_game(scenario, p); }

Evaluation derived(int scenario, const Point& p) {
  if (scenario < 0 || scenario >= kScenarioCount) return {};
  return kPointTable[static_cast<std::size_t>(scenario)](p);
}

void derived_tile(int scenario, const TileRows& rows) { kTileTable[static_cast<std::size_t>(scenario)](rows); }

}  // namespace eqsweep::ye2025
