// The calibrated time estimate through the real binary: `validate`, `run` and `run --dry-run`
// print it, and a run estimated above run.max_hours is refused before any work unless --force.
// (A tiny max_hours stands in for a long run, so the test solves only a small grid.)

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::string kSpec =
    "model = \"ye2025\"\nvariant = \"published\"\noutputs = [\"N.pi_M\"]\n[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n"
    "[[axis]]\nname = \"theta\"\nlinspace = [0.02, 0.98, 20]\n[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 30]\n";

TEST(TimeEstimateCli, ValidateAndRunPrintTheEstimateAndRefuseAboveMaxHoursUnlessForced) {
  ScratchDir dir("time_estimate_cli");
  write_text(dir.file("s.toml"), kSpec);
  const auto v = run_cli({"validate", dir.file("s.toml")});
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_TRUE(contains(v.output, "  time: ")) << v.output;
  EXPECT_TRUE(contains(v.output, "an estimate: 600 points solved cold on one thread")) << v.output;
  EXPECT_FALSE(contains(v.output, "refuses it")) << v.output;

  const std::string tiny = "run.max_hours=1e-12";
  const auto tv = run_cli({"validate", dir.file("s.toml"), "--set", tiny});
  EXPECT_TRUE(contains(tv.output, "refuses it unless --force: it is estimated to take")) << tv.output;

  const auto refused = run_cli({"run", dir.file("s.toml"), "-o", dir.file("a.h5"), "--set", tiny});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_TRUE(contains(refused.output, "REFUSED before any work: it is estimated to take")) << refused.output;
  EXPECT_TRUE(contains(refused.output, "more than run.max_hours = 1e-12 allows")) << refused.output;
  EXPECT_FALSE(fs::exists(dir.file("a.h5")));

  const auto dry = run_cli({"run", dir.file("s.toml"), "-o", dir.file("a.h5"), "--set", tiny, "--dry-run"});
  EXPECT_EQ(dry.exit_code, 2) << dry.output;
  EXPECT_TRUE(contains(dry.output, "  time: ")) << dry.output;

  const auto forced = run_cli({"run", dir.file("s.toml"), "-o", dir.file("a.h5"), "--set", tiny, "--force", "--progress", "none"});
  EXPECT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_TRUE(contains(forced.output, "  time: ")) << forced.output;
  EXPECT_TRUE(fs::exists(dir.file("a.h5")));
}

}  // namespace
}  // namespace eqsweep::testing
