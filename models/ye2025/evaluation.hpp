#pragma once
// One scenario evaluated at one point, published or derived, with the verdict on whether the
// numbers describe an equilibrium of the model (stored per scenario as "<scenario>.regime").

#include <cmath>
#include <cstdint>

#include "models/ye2025/parameters.hpp"
#include "models/ye2025/scenario_outputs.hpp"
#include "models/ye2025/scenarios.hpp"

namespace eqsweep::ye2025 {

enum Regime : int {
  kEquilibrium = 0,  // both products sold, no more than the market served, second-order conditions hold
  kOutsideRegion = 1,  // the linear-demand solution sells a non-positive quantity or over-serves the market
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

// The alliance (Y-N-CO) has no wholesale stage: its w, π_R and π_M are not part of its equilibrium.
inline bool defined_finite(int scenario, const ScenarioOutputs& s) {
  if (scenario == kScenarioYNCO) return std::isfinite(s.p_A + s.p_B + s.q_A + s.q_B + s.pi_SC + s.c_B);
  return all_finite(s);
}

// The uncovered-market scenarios measure quantities as λ·M against a capacity M; the others as
// shares of a unit market.
inline bool is_uncovered(int scenario) {
  return scenario == kScenarioYN || scenario == kScenarioYNC || scenario == kScenarioYNCO;
}

inline bool in_region(int scenario, const Point& p, const ScenarioOutputs& s) {
  if (!(s.q_A > 0 && s.q_B > 0)) return false;
  if (is_uncovered(scenario)) return s.q_A <= p.M && s.q_B <= p.M;
  return s.q_A + s.q_B <= 1;
}

Evaluation derived(int scenario, const Point& p);
Evaluation published(int scenario, const Point& p);

}  // namespace eqsweep::ye2025
