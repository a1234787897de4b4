// Model Y as the engine sees it: declarations of the full model (all scenarios, published and
// derived), variant semantics, and the batch solver's layout.

#include "models/ye2025/ye2025_model.hpp"

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/ye2025/evaluation.hpp"

namespace eqsweep::ye2025 {
namespace {

TEST(Ye2025ModelDeclarations, BasicParametersFirstAndScenarioParametersHaveDefaultsInTheirDomains) {
  const Ye2025Model model;
  const auto params = model.parameters();
  ASSERT_EQ(params.size(), static_cast<std::size_t>(kParamCount));
  const char* basic[] = {"theta", "k", "t", "sigma", "Gamma"};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(params[i].name, basic[i]);
    EXPECT_TRUE(std::isnan(params[i].default_value)) << basic[i] << " must be given by every spec";
  }
  for (std::size_t i = 5; i < params.size(); ++i)
    EXPECT_TRUE(params[i].domain.contains(params[i].default_value)) << params[i].name;
}

TEST(Ye2025ModelDeclarations, OutputNamesAreUniqueAndValidHdf5AndNetcdfNames) {
  const Ye2025Model model;
  std::set<std::string> seen;
  for (const auto& o : model.outputs()) {
    EXPECT_TRUE(seen.insert(o.name).second) << o.name;
    EXPECT_EQ(o.name.find('/'), std::string::npos) << o.name;
    EXPECT_EQ(o.name.find('\''), std::string::npos) << o.name;
    EXPECT_NE(o.name.front(), '.') << o.name;
  }
}

TEST(Ye2025ModelDeclarations, LegacyOutputsKeepTheirNamesAndIndices) {
  const Ye2025Model model;
  const Model& m = model;
  EXPECT_EQ(m.output_index("N.p_A"), 0);
  EXPECT_EQ(m.output_index("Y.c_B"), 19);
  EXPECT_EQ(m.output_index("Y.q_B"), Ye2025Model::output_index(kScenarioY, 3));
  EXPECT_EQ(m.output_index("Y-NEW.pi_M"), Ye2025Model::output_index(kScenarioYNEW, 7));
  EXPECT_EQ(m.output_index("derived.Y.pi_M"), Ye2025Model::derived_offset() + Ye2025Model::output_index(kScenarioY, 7));
  EXPECT_EQ(m.output_index("Y-DE2.regime"), Ye2025Model::regime_index(kScenarioYDE2));
  EXPECT_EQ(m.output_index("window.m_hi.printed"), Ye2025Model::printed_windows_offset());
  ASSERT_EQ(model.variants().size(), 3u);
  EXPECT_EQ(model.variants()[0].name, "published");  // the default variant stays the printed forms
  EXPECT_THROW(model.make_solver({"fitted"}), std::invalid_argument);
}

// Runs one point through a variant's batch solver.
struct OnePoint {
  std::vector<double> out;
  PointResult result;
  OnePoint(const Point& p, const char* variant) {
    const Ye2025Model model;
    constexpr std::size_t kStride = 3;  // a stride larger than the batch, as in edge tiles
    std::vector<double> params(kParamCount * kStride, -1.0);
    for (int j = 0; j < kParamCount; ++j) params[static_cast<std::size_t>(j) * kStride] = p[j];
    std::vector<double> outputs(model.outputs().size() * kStride, -12345.0);
    std::vector<PointResult> results(kStride);
    auto solver = model.make_solver({variant});
    solver->solve_batch({1, kStride, params.data(), outputs.data(), results.data()});
    for (std::size_t o = 0; o < model.outputs().size(); ++o) {
      out.push_back(outputs[o * kStride]);
      EXPECT_EQ(outputs[o * kStride + 1], -12345.0) << "cell beyond the batch written, output " << o;
    }
    result = results[0];
  }
  double at(const char* name) const { return out[static_cast<std::size_t>(Ye2025Model().Model::output_index(name))]; }
};

const Point kInterior{0.5, 0.5, 0.2, 0.8, 0.3};

TEST(Ye2025ModelVariants, PublishedVariantStoresThePrintedFormsAndLeavesTheDerivedCopyEmpty) {
  const OnePoint run(kInterior, "published");
  EXPECT_EQ(run.result.status, PointStatus::solved);
  EXPECT_EQ(run.at("Y.pi_M"), published(kScenarioY, kInterior).o.pi_M);
  EXPECT_EQ(run.at("Y-D.pi_R"), published(kScenarioYD, kInterior).o.pi_R);
  EXPECT_TRUE(std::isnan(run.at("derived.Y.pi_M")));
  EXPECT_EQ(run.at("Y.regime"), 0.0);
}

TEST(Ye2025ModelVariants, DerivedVariantStoresTheDerivedEvaluationUnderThePlainNames) {
  const OnePoint run(kInterior, "derived");
  EXPECT_EQ(run.at("Y-D.pi_R"), derived(kScenarioYD, kInterior).o.pi_R);
  EXPECT_NE(run.at("Y-D.pi_R"), published(kScenarioYD, kInterior).o.pi_R);
  EXPECT_TRUE(std::isnan(run.at("derived.Y-D.pi_R")));
}

TEST(Ye2025ModelVariants, BothVariantStoresPublishedAndDerivedSideBySide) {
  const OnePoint run(kInterior, "both");
  EXPECT_EQ(run.at("Y-D.pi_R"), published(kScenarioYD, kInterior).o.pi_R);
  EXPECT_EQ(run.at("derived.Y-D.pi_R"), derived(kScenarioYD, kInterior).o.pi_R);
  EXPECT_EQ(run.at("derived.prop.P2.M"), 1.0);
  EXPECT_EQ(run.at("derived.Y-N-CO.regime"), 0.0);
}

TEST(Ye2025ModelVariants, OutsideTheTwoProductRegionTheScenarioIsNaNWithItsRegimeCode) {
  // t = 0: no customised product is sold in N and Y; the point is infeasible.
  const Point p{0.5, 0.5, 0.0, 0.8, 0.3};
  const OnePoint run(p, "derived");
  EXPECT_EQ(run.result.status, PointStatus::infeasible);
  EXPECT_TRUE(std::isnan(run.at("N.q_B")));
  EXPECT_EQ(run.at("N.regime"), static_cast<double>(kOutsideRegion));
}

}  // namespace
}  // namespace eqsweep::ye2025
