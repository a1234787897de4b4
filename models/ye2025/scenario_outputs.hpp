#pragma once
// What every scenario of model Y reports: prices, quantities, wholesale prices, profits and the
// unit information cost c_B = t^2 / q_B (Section 4.2).

#include <array>
#include <string_view>

namespace eqsweep::ye2025 {

struct ScenarioOutputs {
  double p_A, p_B, q_A, q_B, w_A, w_B, pi_R, pi_M, pi_SC, c_B;
};
inline constexpr int kScenarioOutputCount = 10;

struct QuantityInfo {
  std::string_view name, description;
};
inline constexpr std::array<QuantityInfo, kScenarioOutputCount> kQuantities = {{
    {"p_A", "retail price of the standard product A"},
    {"p_B", "retail price of the customised product B"},
    {"q_A", "quantity (market share) of product A"},
    {"q_B", "quantity (market share) of product B"},
    {"w_A", "wholesale price of product A"},
    {"w_B", "wholesale price of product B"},
    {"pi_R", "retailer's expected profit"},
    {"pi_M", "manufacturer's expected profit"},
    {"pi_SC", "supply chain's expected profit"},
    {"c_B", "unit information cost t^2/q_B"},
}};

// Both products sold in positive amounts and no more than the whole (unit) market served:
// outside this region the closed forms describe no equilibrium of the model.
inline bool in_two_product_region(const ScenarioOutputs& s) {
  return s.q_A > 0 && s.q_B > 0 && s.q_A + s.q_B <= 1;
}

}  // namespace eqsweep::ye2025
