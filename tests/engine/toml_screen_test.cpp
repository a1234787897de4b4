// The TOML screen (issue 15, item 10): text that would make toml++ 3.3.0 reach undefined
// behaviour (U+00A1..U+0499, U+2D8E..U+3187 outside comments) or that is not UTF-8 is refused
// with its line and column before toml++ sees it; comments keep every character; the fuzzer's
// minimised input is a spec error, not a crash.

#include <string>

#include <gtest/gtest.h>

#include "engine/sweep_spec.hpp"
#include "engine/toml_screen.hpp"
#include "models/registry.hpp"

namespace eqsweep {
namespace {

TEST(TomlScreen, TheFuzzersTwoByteInputIsRefusedAsASpecError) {
  const std::string crash = "\xcc\xaa";  // U+032A, found by libFuzzer in parse_spec
  const auto bad = screen_toml_text(crash);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->line, 1u);
  EXPECT_EQ(bad->column, 1u);
  EXPECT_NE(bad->message.find("U+032A"), std::string::npos) << bad->message;
  try {
    parse_spec(crash, "fuzz.toml", builtin_models());
    ADD_FAILURE() << "accepted";
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("fuzz.toml:1: column 1: character U+032A"), std::string::npos) << e.what();
  }
}

TEST(TomlScreen, CommentsKeepEveryCharacterAndStringsTheSafeOnes) {
  EXPECT_FALSE(screen_toml_text("# sigma is \xcf\x83, theta \xce\xb8\nmodel = \"ye2025\"\n"));  // σ θ in a comment
  EXPECT_FALSE(screen_toml_text("name = \"caf\\u00E9\"  # the escape is safe\n"));
  EXPECT_FALSE(screen_toml_text("a = \"\xe2\x82\xac\"\n"));   // U+20AC is outside both ranges
  EXPECT_FALSE(screen_toml_text("a = \"#\" # \xcf\x83\n"));   // a '#' inside a string starts no comment
  EXPECT_FALSE(screen_toml_text("a = '''x''' # \xcf\x83\n"));
  EXPECT_FALSE(screen_toml_text("a = \"\"\"x\n\\\"\"\"y\"\"\" # \xcf\x83\n"));  // an escaped quote inside
}

TEST(TomlScreen, RefusesTheRangesOutsideCommentsWithLineAndColumn) {
  const auto in_value = screen_toml_text("x = 1\nname = \"\xcf\x83\"\n");  // σ in a string value
  ASSERT_TRUE(in_value);
  EXPECT_EQ(in_value->line, 2u);
  EXPECT_EQ(in_value->column, 9u);
  EXPECT_NE(in_value->message.find("\\u03C3"), std::string::npos) << in_value->message;
  const auto in_key = screen_toml_text("\"\xcf\x83\" = 1\n");  // quoted keys too (toml++ records them)
  ASSERT_TRUE(in_key);
  EXPECT_EQ(in_key->column, 2u);
  EXPECT_TRUE(screen_toml_text("a = \"#\xcf\x83\"\n"));  // inside the string, not a comment
  EXPECT_TRUE(screen_toml_text("a = 1\xe3\x80\x81\n"));  // U+3001, second range
  EXPECT_FALSE(screen_toml_text("a = 1\xe3\x80\x80\n"));  // U+3000 is handled by toml++ (an error there, no UB)
  EXPECT_TRUE(screen_toml_text("\xef\xba\xbf# x\n"));     // U+FEBF, third range: the network fuzzer's find
  EXPECT_FALSE(screen_toml_text("\xef\xbb\xbf# x\n"));    // U+FEFF (a byte-order mark) is handled
}

TEST(TomlScreen, RefusesTextThatIsNotUtf8) {
  for (const std::string& bad : {std::string("a = \"\xff\"\n"), std::string("a = \"\xc0\xaf\"\n"),  // overlong '/'
                                std::string("a = \"\xed\xa0\x80\"\n"),                            // a surrogate
                                std::string("a = \"\xf4\x90\x80\x80\"\n"),                        // above U+10FFFF
                                std::string("a = \"\xe2\x82\"\n")}) {                             // cut short
    const auto found = screen_toml_text(bad);
    ASSERT_TRUE(found) << bad;
    EXPECT_NE(found->message.find("not UTF-8"), std::string::npos) << found->message;
    EXPECT_EQ(found->column, 6u) << bad;
  }
}

TEST(TomlScreen, SetValuesAreScreenedToo) {
  try {
    parse_spec("model = \"ye2025\"\n[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 3]\n", "s.toml", builtin_models(),
               {{"variant", "\xcc\xaa", ""}});
    ADD_FAILURE() << "accepted";
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("U+032A"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace eqsweep
