// The canonical form and the fingerprint (engine/spec_canonical.cpp): the fingerprint is the
// SHA-256 of the form with every axis value written out, as it always was (older cubes resume),
// but streamed; the stored form summarises the axes, so it stays small whatever their length.

#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

SweepSpec parse(const std::string& text) { return parse_spec(text, "spec.toml", builtin_models()); }

std::string spec_with_t(const std::string& t_axis) {
  return "model = \"ye2025\"\nvariant = \"published\"\noutputs = [\"N.*\"]\n[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n"
         "[[axis]]\nname = \"theta\"\nlinspace = [0.02, 0.98, 7]\n[[axis]]\nname = \"t\"\n" +
         t_axis + "\n";
}

// The canonical form as the JSON tree held it before: every axis with all of its values.
std::string full_form(const SweepSpec& spec) {
  auto j = nlohmann::ordered_json::parse(spec.canonical_json());
  for (std::size_t i = 0; i < spec.axes.size(); ++i)
    if (!spec.axes[i].is_design())
      j["axes"][i] = nlohmann::ordered_json{{"name", spec.axes[i].name}, {"values", spec.axes[i].values}};
  return j.dump();
}

TEST(SpecCanonical, FingerprintIsTheSha256OfTheFormWithEveryValueWrittenOut) {
  for (const char* t : {"linspace = [0.0, 1.0, 11]", "values = [0, 1e-07, 2e-3, 0.1, 0.30000000000000004, 0.5, 1]",
                        "logspace = [1e-6, 1.0, 50]"}) {
    SCOPED_TRACE(t);
    const SweepSpec spec = parse(spec_with_t(t));
    EXPECT_EQ(spec.fingerprint(), sha256_hex(full_form(spec)));
  }
}

// Model M's form also holds its options and the network file's content.
TEST(SpecCanonical, FingerprintOfAModelMSpecIsTheSha256OfItsFullForm) {
  const SweepSpec spec = load_spec(testing::source_dir() + "/sweeps/ma_sue/fig7_sigma_central.toml", builtin_models());
  ASSERT_FALSE(spec.model->configuration_text().empty());
  EXPECT_EQ(spec.fingerprint(), sha256_hex(full_form(spec)));
}

TEST(SpecCanonical, StoredFormSummarisesEachAxisSoItsSizeDoesNotGrowWithTheAxis) {
  const SweepSpec small = parse(spec_with_t("linspace = [0.0, 1.0, 11]"));
  const SweepSpec large = parse(spec_with_t("linspace = [0.0, 1.0, 1000000]"));
  EXPECT_LT(large.canonical_json().size(), 2000u);
  EXPECT_LE(large.canonical_json().size(), small.canonical_json().size() + 16);
  const auto axis = nlohmann::json::parse(large.canonical_json())["axes"][1];
  EXPECT_EQ(axis["name"], "t");
  EXPECT_EQ(axis["count"], 1000000);
  EXPECT_EQ(axis["first"], 0.0);
  EXPECT_EQ(axis["last"], 1.0);
  EXPECT_EQ(axis["values_sha256"].get<std::string>().size(), 64u);
}

TEST(SpecCanonical, AnOldCubesFullFormComparesEqualToTheSameSpecAndNamesAChangedAxis) {
  const SweepSpec a = parse(spec_with_t("values = [0.1, 0.2, 0.3]"));
  const SweepSpec b = parse(spec_with_t("values = [0.1, 0.2, 0.31]"));
  EXPECT_TRUE(canonical_differences(full_form(a), a.canonical_json()).empty());
  const auto diff = canonical_differences(full_form(a), b.canonical_json());
  ASSERT_EQ(diff.size(), 1u);
  EXPECT_EQ(diff[0], "axis[1] (t): its values differ (3 values, 0.1 .. 0.3 there; 3 values, 0.1 .. 0.31 now)");
  const auto same_ends = canonical_differences(a.canonical_json(), parse(spec_with_t("values = [0.1, 0.25, 0.3]")).canonical_json());
  ASSERT_EQ(same_ends.size(), 1u);
  EXPECT_NE(same_ends[0].find("axis[1] (t): its values differ"), std::string::npos) << same_ends[0];
}

}  // namespace
}  // namespace eqsweep
