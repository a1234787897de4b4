#pragma once
// Model Y: Ye, Wang & Zhao (2025), blockchain information sharing under mass customisation:
// fifteen scenario evaluations, each published (Appendix A as printed) and derived (backward
// induction from the primitives), with the propositions as predicates and the contract windows.
//
// Outputs, in this order (docs/model-y.md):
//   "<scenario>.<quantity>"  15 x 10 at scenario * 10 + quantity (N and Y first, as before),
//                            then the quantities added since (c_B_R): 15 x 1 (output_index)
//   "<scenario>.regime"      Regime code of the scenario at the point (evaluation.hpp)
//   "prop.*", "E.*"          claims as codes: 1 holds, 0 fails, 2 tie, NaN outside (propositions.hpp)
//   "window.*"               windows implied by the evaluation's profits
//   "window.*.printed"       the bounds printed in the propositions
//   "derived.<all of the first four groups>", filled in variant "both" only
// In variant "published" the unprefixed outputs are the printed closed forms, in "derived" the
// derived values, in "both" the printed ones with the derived copy under "derived.".

#include "engine/model.hpp"
#include "models/ye2025/scenarios.hpp"

namespace eqsweep::ye2025 {

enum class Variant { published, derived, both };

class Ye2025Model final : public Model {
 public:
  Ye2025Model();
  // Skips the scenarios, claims and windows the sweep does not read.
  std::unique_ptr<PointSolver> make_solver(const SolverSetup& setup) const override;

  // Index of output `quantity` (0..10, ScenarioOutputs order) of `scenario`.
  static int output_index(int scenario, int quantity);
  static int regime_index(int scenario);
  static int claims_offset();
  static int windows_offset();
  static int printed_windows_offset();
  static int block_size();  // outputs per evaluation block (the derived copy starts here + printed)
  static int derived_offset();

};

}  // namespace eqsweep::ye2025
