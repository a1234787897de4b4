// Engine settings as records: every setting is declared once, the docs' table is generated from
// the records, and `--set KEY=VALUE` overrides go through the same validation as the file.

#include "engine/settings.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

const std::string kSpec =
    "model = \"ye2025\"\n"
    "[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n"
    "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 5]\n"
    "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 11]\n";

SweepSpec parse(const std::string& text, const std::vector<SpecOverride>& overrides = {}) {
  return parse_spec(text, "spec.toml", builtin_models(), overrides);
}

SpecOverride set(const std::string& assignment) { return parse_override(assignment); }

TEST(SettingRecords, KeysAreUniqueAndEveryRecordCanBeApplied) {
  std::set<std::string> keys;
  for (const auto& r : engine_settings()) {
    EXPECT_TRUE(keys.insert(r.key).second) << r.key;
    EXPECT_NE(r.apply, nullptr) << r.key;
    EXPECT_FALSE(r.description.empty()) << r.key;
    EXPECT_FALSE(r.allowed().empty()) << r.key;
    EXPECT_EQ(find_setting(r.key), &r);
  }
  EXPECT_EQ(find_setting("run.no_such_setting"), nullptr);
}

TEST(SettingRecords, OnlyComputedAndStoredSettingsEnterTheFingerprint) {
  const std::string fp = parse(kSpec).fingerprint();
  // A value different from the default for each record, as --set would give it.
  const std::map<std::string, std::string> other = {
      {"continuation", "theta"},     {"run.threads", "3"},          {"run.chunk", "[5, 11]"},
      {"run.compression", "none"},   {"run.deflate_level", "7"},    {"run.progress", "lines"},
      {"run.progress_interval", "2"}, {"run.commit_interval", "2"}, {"run.durability", "none"}, {"run.overwrite", "true"},
      {"run.max_failed_fraction", "0.5"}, {"run.max_points", "1000"}, {"run.max_hours", "0.5"}, {"run.force", "true"},
      {"run.shard", "1/2"},          {"run.zstd_level", "3"},       {"run.blosc_codec", "zstd"},
      {"run.blosc_shuffle", "bitshuffle"}, {"run.blosc_level", "9"}, {"run.significant_digits", "6"}};
  // A codec's own options count where that codec is chosen (run.compression).
  const std::map<std::string, std::string> codec_of = {{"run.deflate_level", "deflate"},
                                                       {"run.zstd_level", "zstd"},
                                                       {"run.blosc_codec", "blosc"},
                                                       {"run.blosc_shuffle", "blosc"},
                                                       {"run.blosc_level", "blosc"}};
  for (const auto& r : engine_settings()) {
    ASSERT_TRUE(other.count(r.key)) << "no test value for " << r.key;
    std::vector<SpecOverride> overrides;
    if (codec_of.count(r.key)) overrides.push_back({"run.compression", codec_of.at(r.key), ""});
    const std::string base = overrides.empty() ? fp : parse(kSpec, overrides).fingerprint();
    overrides.push_back({r.key, other.at(r.key), ""});
    const SweepSpec changed = parse(kSpec, overrides);
    if (r.fingerprinted()) EXPECT_NE(changed.fingerprint(), base) << r.key;
    else EXPECT_EQ(changed.fingerprint(), base) << r.key;
  }
}

TEST(SettingRecords, TheDocsTableIsTheGeneratedOne) {
  const std::string doc = testing::read_text(testing::source_dir() + "/docs/spec-format.md");
  const auto begin = doc.find(kSettingsTableBegin);
  const auto end = doc.find(kSettingsTableEnd);
  ASSERT_NE(begin, std::string::npos) << "docs/spec-format.md lacks the settings table marker";
  ASSERT_NE(end, std::string::npos);
  const auto start = doc.find('\n', begin) + 1;
  EXPECT_EQ(doc.substr(start, end - start), settings_table_markdown())
      << "docs/spec-format.md is out of date: regenerate with `build/cli/eqsweep settings --markdown`";
}

TEST(SpecOverrides, SetValuesAreAppliedBeforeValidation) {
  const SweepSpec spec = parse(kSpec, {set("fixed.k=0.6"), set("run.threads=1"), set("run.compression=none"),
                                       set("axis[1].linspace=[0.0, 1.0, 21]"), set("continuation=theta")});
  EXPECT_EQ(spec.fixed[static_cast<std::size_t>(spec.model->parameter_index("k"))], 0.6);
  EXPECT_EQ(spec.threads, 1);
  EXPECT_EQ(spec.compression, Compression::none);
  EXPECT_EQ(spec.axes[1].values.size(), 21u);
  EXPECT_EQ(spec.continuation_axis, 0u);
  // Provenance lists what changes the cube; the thread count changes nothing in it.
  EXPECT_EQ(spec.overrides_text(),
            "fixed.k = 0.6\nrun.compression = none\naxis[1].linspace = [0.0, 1.0, 21]\ncontinuation = theta");
  // What is computed changed, so the fingerprint did; the file's own text is kept verbatim.
  EXPECT_NE(spec.fingerprint(), parse(kSpec).fingerprint());
  EXPECT_EQ(spec.text, kSpec);
}

TEST(SpecOverrides, TheLastValueForAKeyWins) {
  EXPECT_EQ(parse(kSpec, {set("run.threads=1"), set("run.threads=4")}).threads, 4);
}

void expect_override_rejected(const SpecOverride& o, const std::string& key, const std::string& fragment) {
  try {
    parse(kSpec, {o});
    ADD_FAILURE() << "override accepted: " << o.key << "=" << o.value;
  } catch (const SpecError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.key(), key) << message;
    EXPECT_NE(message.find(o.origin.empty() ? "--set " + o.key : o.origin), std::string::npos)
        << "the message must name the override: " << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(SpecOverrides, BadValuesAreRejectedNamingTheOverrideTheKeyAndTheRange) {
  expect_override_rejected(set("run.threads=5000"), "run.threads", "[0, 4096]");
  expect_override_rejected({"run.threads", "5000", "--threads 5000"}, "run.threads", "[0, 4096]");
  expect_override_rejected(set("run.compression=gzip"), "run.compression",
                           "\"blosc\", \"deflate\", \"zstd\" or \"none\"");
  expect_override_rejected(set("run.treads=2"), "run.treads", "allowed here: threads");
  expect_override_rejected(set("fixed.k=7"), "fixed.k", "allowed");
  expect_override_rejected(set("fixed.kk=0.5"), "fixed.kk", "unknown parameter");
  expect_override_rejected(set("axis[5].linspace=[0, 1, 3]"), "axis[5].linspace", "no element 5");
  expect_override_rejected(set("model.name=x"), "model.name", "not a table");
  EXPECT_THROW(parse_override("no equals sign"), SpecError);
  EXPECT_THROW(parse_override("=3"), SpecError);
}

// A 1 MB value of a setting must not come back whole in the message.
TEST(SpecOverrides, LongSettingValuesAreEchoedShortened) {
  const std::string huge(1000000, '7');
  for (const char* key : {"run.shard", "continuation"}) {
    try {
      parse(kSpec, {{key, "\"" + huge + "\"", {}}});
      ADD_FAILURE() << key << " accepted";
    } catch (const SpecError& e) {
      const std::string message = e.what();
      EXPECT_LT(message.size(), 500u) << message.substr(0, 500);
      EXPECT_NE(message.find("(1000000 bytes)"), std::string::npos) << message.substr(0, 500);
    }
  }
}

}  // namespace
}  // namespace eqsweep
