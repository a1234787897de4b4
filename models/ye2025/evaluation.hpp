#pragma once
// One scenario evaluated at one point, published or derived, with the verdict on whether the
// numbers describe an equilibrium of the model (stored per scenario as "<scenario>.regime").

#include <cmath>
#include <cstdint>
#include <limits>

#include "models/ye2025/parameters.hpp"
#include "models/ye2025/scenario_outputs.hpp"
#include "models/ye2025/scenarios.hpp"

namespace eqsweep::ye2025 {

enum Regime : int {
  kEquilibrium = 0,  // both products sold, no more than the market served, second-order conditions hold
  kOutsideRegion = 1,  // a non-positive quantity or price, or more than the market served (in_region)
  kSocFails = 2,       // a stage problem has no interior maximum (derived only)
  kDegenerate = 3,     // singular stage problem or non-finite numbers
  kNotPrinted = 4,     // the paper prints no closed form for this scenario's outputs (published only)
};

struct Evaluation {
  ScenarioOutputs o;
  int regime = kDegenerate;
};

// The shock's forecast e = t σ² Γ / (1 + t σ²) and its ex-ante variance t σ⁴ / (1 + t σ²).
inline double forecast(const Point& p) { return p.t * p.sigma * p.sigma * p.Gamma / (1 + p.t * p.sigma * p.sigma); }
inline double forecast_variance(const Point& p) {
  const double s2 = p.sigma * p.sigma;
  return p.t * s2 * s2 / (1 + p.t * s2);
}

inline bool all_finite(const ScenarioOutputs& s) {
  for (double x : quantity_values(s))
    if (!std::isfinite(x)) return false;
  return true;
}

// The alliance (Y-N-CO) has no wholesale stage: its w, π_R, π_M and the retailer's c_B_R are not
// part of its equilibrium.
inline bool defined_finite(int scenario, const ScenarioOutputs& s) {
  if (scenario == kScenarioYNCO) return std::isfinite(s.p_A + s.p_B + s.q_A + s.q_B + s.pi_SC + s.c_B);
  return all_finite(s);
}

// The uncovered-market scenarios measure quantities as λ·M against a capacity M; the others as
// shares of a unit market.
inline bool is_uncovered(int scenario) {
  return scenario == kScenarioYN || scenario == kScenarioYNC || scenario == kScenarioYNCO;
}

// The one test, for the derived and the printed forms alike, of whether a scenario's numbers can
// describe an equilibrium of the model: both products sold in positive amounts at positive prices,
// and no more than the market served (the unit market, or each product's capacity M in the
// uncovered market). Outside it the closed forms describe nothing (regime kOutsideRegion).
// Written with '&', not '&&', so that the tile loops (tile_evaluation.hpp) if-convert it.
inline bool in_region(int scenario, double M, const ScenarioOutputs& s) {
  const bool sold = (s.q_A > 0) & (s.q_B > 0);
  const bool priced = (s.p_A > 0) & (s.p_B > 0);
  const bool within = is_uncovered(scenario) ? (s.q_A <= M) & (s.q_B <= M) : s.q_A + s.q_B <= 1;
  return sold & priced & within;
}
inline bool in_region(int scenario, const Point& p, const ScenarioOutputs& s) { return in_region(scenario, p.M, s); }

// Who pays the blockchain investment t² (Section 4.2, eqs. 3-24): the fixed costs in the
// scenario's profit functions, the retailer's net of fixed transfers to it. The retailer pays m t²
// in Y-C (eq. 6) and the manufacturer (1 - m) t² (eq. 7); in Y-N-C and Y-NEW the retailer pays
// t² - F and the manufacturer F (eqs. 19-20, 23-24: F is a transfer to the retailer); everywhere
// else the retailer pays t². The alliance Y-N-CO pays t² as one firm (here: "retailer").
// The derived games take their fixed costs from here (derived_scenarios.cpp), and
// c_B_R = retailer / q_B in both evaluations.
struct FixedCosts {
  double retailer, manufacturer;
};
inline FixedCosts information_cost_split(int scenario, const Point& p) {
  const double tt = p.t * p.t;
  switch (scenario) {
    case kScenarioYC: return {p.m * tt, (1 - p.m) * tt};
    case kScenarioYNC:
    case kScenarioYNEW: return {tt - p.F, p.F};
    default: return {tt, 0};
  }
}

// c_B_R of a scenario whose q_B is known: NaN for the alliance (no retailer).
inline double retailer_unit_information_cost(int scenario, const Point& p, double q_B) {
  return scenario == kScenarioYNCO ? std::numeric_limits<double>::quiet_NaN()
                                    : information_cost_split(scenario, p).retailer / q_B;
}

Evaluation derived(int scenario, const Point& p);
Evaluation published(int scenario, const Point& p);

}  // namespace eqsweep::ye2025
