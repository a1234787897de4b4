// `eqsweep models` and `info --json`: short discovery output, details per model, JSON that parses.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace eqsweep {
namespace {

using testing::run_cli;

TEST(ModelsCommand, TheSummaryIsOneLinePerModel) {
  const auto r = run_cli({"models"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::size_t lines = 0;
  for (char c : r.output) lines += c == '\n';
  EXPECT_LE(lines, 6u) << r.output;  // header, two models, the hint
  EXPECT_NE(r.output.find("\nye2025 "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\nma_sue "), std::string::npos) << r.output;
}

TEST(ModelsCommand, DetailsOfANetworkModelComeFromTheGivenNetworkFile) {
  const auto r = run_cli({"models", "ma_sue", "--json", "--network",
                          testing::source_dir() + "/sweeps/ma_sue/networks/example3_s1.toml"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  bool has_link_param = false;
  for (const auto& p : j["parameters"]) has_link_param = has_link_param || p["name"] == "a1.a";
  EXPECT_TRUE(has_link_param) << r.output.substr(0, 2000);
  EXPECT_FALSE(j["outputs"].empty());
}

TEST(ModelsCommand, AMistypedModelNameSuggestsTheNearestAndIsBadInput) {
  const auto r = run_cli({"models", "ye2052"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("did you mean ye2025?"), std::string::npos) << r.output;
}

TEST(InfoCommand, JsonCountsEveryPointOfTheCube) {
  testing::ScratchDir dir("info_json");
  const std::string cube = dir.file("demo.h5");
  ASSERT_EQ(run_cli({"run", testing::source_dir() + "/sweeps/demo.toml", "-o", cube, "-q", "--set",
                     "axis[0].linspace=[0.1, 0.9, 3]", "--set", "axis[1].linspace=[0.0, 1.0, 4]"})
                .exit_code,
            0);
  const auto r = run_cli({"info", cube, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["model"], "ye2025");
  EXPECT_EQ(j["axes"][0]["name"], "theta");
  EXPECT_EQ(j["axes"][0]["size"], 3);
  const auto& s = j["status"];
  EXPECT_EQ(s["solved"].get<int>() + s["infeasible"].get<int>() + s["failed"].get<int>() + s["not_computed"].get<int>(),
            12);
  EXPECT_TRUE(j["progress"]["complete"].get<bool>());
}

}  // namespace
}  // namespace eqsweep
