// The network file: what it accepts, and that bad input is refused with the file, key and range.

#include "models/ma_sue/network.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace eqsweep::ma_sue {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_network(text, "net.toml");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

const char* kMinimal = R"(
[market]
Q = 100
alpha = 0.5
w = 5
beta_mean = 0.5
sigma = 0.1
[[firm]]
name = "M"
role = "manufacturer"
[[link]]
name = "a"
kind = "operation"
owner = "M"
a = 2.0
[[chain]]
name = "S"
links = ["a"]
)";

TEST(MaSueNetwork, ReadsThePaperExample3Network) {
  const Network net = load_network(eqsweep::testing::source_dir() + "/sweeps/ma_sue/networks/example3_s3.toml");
  ASSERT_EQ(net.chains.size(), 2u);
  EXPECT_EQ(net.chains[0].options, 2);
  EXPECT_TRUE(net.chains[0].shared[0]);   // manufacturer 1: one lead time for both options
  EXPECT_FALSE(net.chains[0].shared[2]);  // retailer 1: one per option
  EXPECT_DOUBLE_EQ(net.links[0].cost.k, 0.5);
  EXPECT_EQ(net.option_count(), 3);
}

TEST(MaSueNetwork, MinimalNetworkIsAccepted) { EXPECT_EQ(error_of(kMinimal), ""); }

TEST(MaSueNetwork, UnknownKeyIsNamedWithItsFile) {
  const std::string e = error_of(std::string(kMinimal) + "colour = 3\n");
  EXPECT_NE(e.find("net.toml"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
}

TEST(MaSueNetwork, MistypedKeyIsNamedInItsTableWithLineAndNearestKey) {
  const std::string text = std::string(kMinimal) + "lnks = [\"a\"]\n";
  const auto line = std::count(text.begin(), text.begin() + static_cast<long>(text.find("lnks")), '\n') + 1;
  const std::string e = error_of(text);
  EXPECT_EQ(e.rfind(fmt::format("net.toml:{}: chain[0].lnks: unknown key 'lnks' (did you mean links?)", line), 0), 0u)
      << e;
  EXPECT_NE(e.find("allowed in chain[0]: name, links, options"), std::string::npos) << e;
}

TEST(MaSueNetwork, OutOfRangeValueNamesKeyAndRange) {
  std::string t = kMinimal;
  t.replace(t.find("alpha = 0.5"), 11, "alpha = -1");
  const std::string e = error_of(t);
  EXPECT_NE(e.find("market.alpha"), std::string::npos) << e;
  EXPECT_NE(e.find("range (0, inf)"), std::string::npos) << e;
  EXPECT_EQ(e.find("inf)]"), std::string::npos) << e;
}

TEST(MaSueNetwork, UnknownLinkInChainIsRefused) {
  std::string t = kMinimal;
  t.replace(t.find("links = [\"a\"]"), 13, "links = [\"zz\"]");
  EXPECT_NE(error_of(t).find("no link named 'zz'"), std::string::npos);
}

// It passed `validate` and failed only when the cube's datasets were created.
TEST(MaSueNetwork, LinkListedTwiceInAChainIsRefusedWithFileAndKey) {
  std::string t = kMinimal;
  t.replace(t.find("links = [\"a\"]"), 13, "links = [\"a\", \"a\"]");
  const std::string e = error_of(t);
  EXPECT_EQ(e.rfind("net.toml:", 0), 0u) << e;
  EXPECT_NE(e.find("chain[0].links: link 'a' is listed twice in chain S"), std::string::npos) << e;
}

TEST(MaSueNetwork, MalformedTomlIsRefusedWithLine) {
  EXPECT_NE(error_of("[market\nQ = 1").find("malformed TOML"), std::string::npos);
}

TEST(MaSueNetwork, BoundariesMustIncrease) {
  std::string t = kMinimal;
  t.replace(t.find("links = [\"a\"]"), 13, "links = [\"a\"]\noptions = 3\nboundaries = [0.6, 0.4]");
  EXPECT_NE(error_of(t).find("boundaries"), std::string::npos);
}

}  // namespace
}  // namespace eqsweep::ma_sue
