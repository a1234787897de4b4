#pragma once
// Parameters of model Y (Ye, Wang & Zhao 2025), in the order the model declares them.

#include <array>

#include "engine/model.hpp"

namespace eqsweep::ye2025 {

enum Param : int { kTheta = 0, kK, kT, kSigma, kGamma, kParamCount };

struct Params {
  double theta, k, t, sigma, Gamma;
};

inline const std::array<ParameterInfo, kParamCount>& parameter_table() {
  static const std::array<ParameterInfo, kParamCount> table = {{
      {"theta", "θ", "valuation ratio of the customised product B to the standard product A", "1", Domain::open(0, 1)},
      {"k", "k", "operational blockchain cost per unit of product B and unit of accuracy", "1", Domain::open(0, 1)},
      {"t", "t", "accuracy of the blockchain-shared demand signal (investment cost t^2)", "1", Domain::at_least(0)},
      {"sigma", "σ", "dispersion of the demand shock (σ^2 enters the forecast)", "1", Domain::at_least(0)},
      {"Gamma", "Γ", "realised demand signal observed by the retailer", "1", Domain::real()},
  }};
  return table;
}

}  // namespace eqsweep::ye2025
