// "Did you mean": the nearest names to a typo, and the short message that replaces a full list.

#include "engine/name_suggest.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace eqsweep {
namespace {

TEST(NameDistance, CaseAloneCostsHalfAnEdit) {
  EXPECT_EQ(name_distance("pi_M", "pi_M"), 0);
  EXPECT_EQ(name_distance("pi_m", "pi_M"), 1);
  EXPECT_EQ(name_distance("pi_R", "pi_M"), 2);
  EXPECT_EQ(name_distance("", "abc"), 6);
}

TEST(NameDistance, SwappedNeighboursAreOneEdit) {
  EXPECT_EQ(name_distance("thetha", "theta"), 2);   // one insertion
  EXPECT_EQ(name_distance("tehta", "theta"), 2);    // one swap, not two substitutions
  EXPECT_EQ(name_distance("dpeth", "depth"), 2);
}

TEST(NearestNames, TheCaseTypoComesFirstThenTheOneEditNeighbours) {
  const std::vector<std::string> names{"Y.p_A", "Y.pi_R", "Y.pi_M", "N.pi_M", "Y.q_B", "C.pi_M"};
  const auto near = nearest_names("Y.pi_m", names);
  ASSERT_GE(near.size(), 2u);
  EXPECT_EQ(near[0], "Y.pi_M");
  EXPECT_EQ(near[1], "Y.pi_R");
  EXPECT_LE(near.size(), 3u);
}

TEST(NearestNames, NothingCloseSuggestsNothing) {
  const std::vector<std::string> names{"theta", "k", "t", "sigma", "Gamma"};
  EXPECT_TRUE(nearest_names("alpha", names).empty());
  EXPECT_TRUE(nearest_names("completely_different_name", names).empty());
}

TEST(SuggestionText, ALongListIsReplacedByTheSuggestionAndWhereToReadIt) {
  std::vector<std::string> names;
  for (int i = 0; i < 400; ++i) names.push_back("X.out_" + std::to_string(i));
  names.push_back("Y.pi_M");
  const std::string text = suggestion_text("Y.pi_m", names, "`eqsweep models m`");
  EXPECT_EQ(text, "; did you mean Y.pi_M?; 401 names in all, listed by `eqsweep models m`");
}

TEST(SuggestionText, AShortListIsGivenWhole) {
  const std::vector<std::string> names{"theta", "k", "t", "sigma", "Gamma"};
  EXPECT_EQ(suggestion_text("alpha", names, "x"), "; allowed: theta, k, t, sigma, Gamma");
  EXPECT_EQ(suggestion_text("thetaa", names, "x"), "; did you mean theta?; allowed: theta, k, t, sigma, Gamma");
}

}  // namespace
}  // namespace eqsweep
