#pragma once
// What every scenario of model Y reports: prices, quantities, wholesale prices, profits, the unit
// information cost c_B = t^2 / q_B of Section 4.2 (the chain's: the whole investment t^2, whoever
// pays it) and the retailer's part of it, c_B_R (evaluation.hpp, information_cost_split).

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <string_view>

namespace eqsweep::ye2025 {

struct ScenarioOutputs {
  double p_A, p_B, q_A, q_B, w_A, w_B, pi_R, pi_M, pi_SC, c_B, c_B_R;
};
inline constexpr int kScenarioOutputCount = 11;
inline constexpr int kOriginalQuantityCount = 10;

// Each quantity's output name and description next to the field that holds its value; the
// table's order is the order of "<scenario>.<quantity>" outputs, so every writer walks this table
// and none lists the fields itself. The first kOriginalQuantityCount quantities of all scenarios
// come first among the outputs (N.* and Y.* keep indices 0-19), the quantities added since
// (c_B_R) after them, scenario by scenario (Ye2025Model::output_index).
struct QuantityInfo {
  std::string_view name, description;
  double ScenarioOutputs::*value;
};
inline constexpr std::array<QuantityInfo, kScenarioOutputCount> kQuantities = {{
    {"p_A", "retail price of the standard product A", &ScenarioOutputs::p_A},
    {"p_B", "retail price of the customised product B", &ScenarioOutputs::p_B},
    {"q_A", "quantity (market share) of product A", &ScenarioOutputs::q_A},
    {"q_B", "quantity (market share) of product B", &ScenarioOutputs::q_B},
    {"w_A", "wholesale price of product A", &ScenarioOutputs::w_A},
    {"w_B", "wholesale price of product B", &ScenarioOutputs::w_B},
    {"pi_R", "retailer's expected profit", &ScenarioOutputs::pi_R},
    {"pi_M", "manufacturer's expected profit", &ScenarioOutputs::pi_M},
    {"pi_SC", "supply chain's expected profit", &ScenarioOutputs::pi_SC},
    {"c_B", "the chain's unit information cost t^2/q_B (Prop. 1's c_B: the whole investment t^2 per unit of B, whoever pays it)",
     &ScenarioOutputs::c_B},
    {"c_B_R",
     "the retailer's unit information cost: its fixed cost of the information per unit of B, m t^2/q_B in Y-C, "
     "(t^2 - F)/q_B in Y-N-C and Y-NEW (F a transfer to the retailer), t^2/q_B elsewhere; NaN for the alliance Y-N-CO",
     &ScenarioOutputs::c_B_R},
}};
// A field missing from the table would be an output nobody stores.
static_assert(sizeof(ScenarioOutputs) == kScenarioOutputCount * sizeof(double));

// f(k) for k = 0..kScenarioOutputCount-1 as compile-time constants: the tile kernels index their
// row buffers and kQuantities with it and still compile to one store per field, as if unrolled
// by hand.
template <class F>
inline void for_each_quantity(F&& f) {
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (f(std::integral_constant<std::size_t, K>{}), ...);
  }(std::make_index_sequence<kScenarioOutputCount>());
}

// The quantities of `s` in output order.
inline std::array<double, kScenarioOutputCount> quantity_values(const ScenarioOutputs& s) {
  std::array<double, kScenarioOutputCount> v;
  for_each_quantity([&](auto k) { v[k] = s.*kQuantities[k].value; });
  return v;
}

// Both products sold in positive amounts and no more than the whole (unit) market served:
// outside this region the closed forms describe no equilibrium of the model.
inline bool in_two_product_region(const ScenarioOutputs& s) {
  return s.q_A > 0 && s.q_B > 0 && s.q_A + s.q_B <= 1;
}

}  // namespace eqsweep::ye2025
