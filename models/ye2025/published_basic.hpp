#pragma once
// Scenarios N (no information sharing) and Y (sharing through the blockchain) exactly as
// printed in Appendix A.1 and A.2 of Ye, Wang & Zhao (2025). Inline so a batch loop vectorises.

#include "models/ye2025/parameters.hpp"
#include "models/ye2025/scenario_outputs.hpp"

namespace eqsweep::ye2025 {

// Terms shared by all published scenarios.
struct SignalTerms {
  double E;       // t Γ σ² / (1 + t σ²): the signal's forecast scaled by the accuracy t
  double V;       // t θ σ⁴ / (1 + t σ²): the forecast variance term of the expected profits
  double margin;  // (1 - k) t: the customised product's net accuracy benefit
  double tt_over_theta;  // t² / ((1 - θ) θ)
};

inline SignalTerms signal_terms(const Params& p) {
  const double s2 = p.sigma * p.sigma;
  const double denom = 1 + p.t * s2;
  return {p.t * p.Gamma * s2 / denom, p.t * p.theta * s2 * s2 / denom, (1 - p.k) * p.t,
          p.t * p.t / ((1 - p.theta) * p.theta)};
}

// q_A is the same in N and Y (and in most scenarios).
inline double published_q_A(const Params& p) { return (1 - p.theta - (1 - p.k) * p.t) / (4 * (1 - p.theta)); }

// π_R's t² term, shared by N and Y: t²(1 - (2 - k)k - 16(1 - θ)θ) / ((1 - θ)θ).
inline double published_pi_R_core(const Params& p, const SignalTerms& s) {
  return s.tt_over_theta * (1 - (2 - p.k) * p.k - 16 * (1 - p.theta) * p.theta);
}

inline double published_pi_SC_core(const Params& p, const SignalTerms& s) {
  const double one_minus_k = 1 - p.k;
  return s.tt_over_theta * (3 * one_minus_k * one_minus_k - 16 * (1 - p.theta) * p.theta);
}

inline ScenarioOutputs published_N(const Params& p) {
  const SignalTerms s = signal_terms(p);
  ScenarioOutputs o;
  o.p_A = 0.75 + p.theta * s.E / 2;
  o.p_B = (3 * p.theta + p.t * (3 + p.k) + 2 * p.theta * s.E) / 4;
  o.q_A = published_q_A(p);
  o.q_B = (s.margin / ((1 - p.theta) * p.theta) + 2 * s.E) / 4;
  o.w_A = 0.5;
  o.w_B = (s.margin + p.theta) / 2;
  o.pi_R = (1 + published_pi_R_core(p, s) + 4 * s.V) / 16;
  o.pi_M = (1 + (1 - p.k) * (1 - p.k) * s.tt_over_theta) / 8;
  o.pi_SC = (3 + published_pi_SC_core(p, s) + 4 * s.V) / 16;
  o.c_B = p.t * p.t / o.q_B;
  return o;
}

inline ScenarioOutputs published_Y(const Params& p) {
  const SignalTerms s = signal_terms(p);
  ScenarioOutputs o;
  o.p_A = 0.75 * (1 + p.theta * s.E);
  o.p_B = (3 * p.theta + p.t * (3 + p.k) + 3 * p.theta * s.E) / 4;
  o.q_A = published_q_A(p);
  o.q_B = (s.margin / ((1 - p.theta) * p.theta) + s.E) / 4;
  o.w_A = (1 + p.theta * s.E) / 2;
  o.w_B = (s.margin + p.theta + p.theta * s.E) / 2;
  o.pi_R = (1 + published_pi_R_core(p, s) + s.V) / 16;
  o.pi_M = (1 + (1 - p.k) * (1 - p.k) * s.tt_over_theta + s.V) / 8;
  o.pi_SC = (3 + published_pi_SC_core(p, s) + 3 * s.V) / 16;
  o.c_B = p.t * p.t / o.q_B;
  return o;
}

}  // namespace eqsweep::ye2025
