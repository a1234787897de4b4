#pragma once
// Model Y: Ye, Wang & Zhao (2025), blockchain information sharing under mass customisation.
// This slice carries scenarios N and Y as published (Appendix A.1, A.2).

#include <vector>

#include "engine/model.hpp"

namespace eqsweep::ye2025 {

enum Scenario : int { kScenarioN = 0, kScenarioY, kScenarioCount };
inline constexpr const char* kScenarioNames[kScenarioCount] = {"N", "Y"};

class Ye2025Model final : public Model {
 public:
  Ye2025Model();
  std::string_view name() const override { return "ye2025"; }
  std::string_view description() const override;
  std::string_view source() const override;
  std::span<const ParameterInfo> parameters() const override;
  std::span<const OutputInfo> outputs() const override { return outputs_; }
  std::span<const VariantInfo> variants() const override { return variants_; }
  std::unique_ptr<PointSolver> make_solver(std::string_view variant) const override;

  // Index of output `quantity` (0..9, ScenarioOutputs order) of `scenario`.
  static int output_index(int scenario, int quantity);

 private:
  std::vector<OutputInfo> outputs_;
  std::vector<VariantInfo> variants_;
};

}  // namespace eqsweep::ye2025
