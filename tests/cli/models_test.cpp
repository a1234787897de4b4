// `eqsweep models` and `info --json`: short discovery output, details per model, JSON that parses.

#include <algorithm>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/settings.hpp"
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

TEST(ModelsCommand, EachVariantSaysWhichOutputsASpecWithoutAnOutputsListStores) {
  const auto text = run_cli({"models", "ye2025"});
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("(not derived.*)"), std::string::npos) << text.output.substr(0, 2000);
  const auto r = run_cli({"models", "ye2025", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  std::map<std::string, std::size_t> written;
  for (const auto& v : j["variants"]) written[v["name"]] = v["default_outputs"].size();
  EXPECT_EQ(written["both"], j["outputs"].size());  // "both" fills every block
  EXPECT_LT(written["published"], written["both"]);
  for (const auto& v : j["variants"]) {
    if (v["name"] == "both") continue;
    for (const auto& o : v["default_outputs"]) EXPECT_NE(o.get<std::string>().rfind("derived.", 0), 0u) << v["name"];
  }
}

TEST(SettingsCommand, JsonListsEveryEngineSettingWithItsRange) {
  const auto r = run_cli({"settings", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  const auto records = engine_settings();
  ASSERT_EQ(j.size(), records.size());
  for (std::size_t i = 0; i < records.size(); ++i) EXPECT_EQ(j[i]["key"], records[i].key);
  const auto threads = std::find_if(j.begin(), j.end(), [](const auto& s) { return s["key"] == "run.threads"; });
  ASSERT_NE(threads, j.end());
  EXPECT_EQ((*threads)["flag"], "--threads");
  EXPECT_EQ((*threads)["fingerprint"], false);
  EXPECT_EQ((*threads)["range"]["lo"], 0);
  const auto codec = std::find_if(j.begin(), j.end(), [](const auto& s) { return s["key"] == "run.compression"; });
  ASSERT_NE(codec, j.end());
  EXPECT_EQ((*codec)["fingerprint"], true);
  EXPECT_FALSE((*codec)["choices"].empty());
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
