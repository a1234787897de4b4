// Spec loading: every rejection names the file, the key and (where there is one) the allowed
// range; accepted specs produce the axes, outputs and fingerprints the documentation promises.

#include "engine/sweep_spec.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "models/registry.hpp"

namespace eqsweep {
namespace {

// A valid spec; tests replace pieces of it. Line numbers matter for the tests that check them:
//  1 model   2 variant   3 (blank)   4 [fixed]   5 k   6 sigma   7 Gamma   8 (blank)
//  9 [[axis]]   10 name theta   11 linspace   12 (blank)   13 [[axis]]   14 name t   15 linspace
const std::string kHeader = "model = \"ye2025\"\nvariant = \"published\"\n\n";
const std::string kFixed = "[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n\n";
const std::string kThetaAxis = "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 5]\n\n";
const std::string kTAxis = "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 11]\n";

std::string valid_spec() { return kHeader + kFixed + kThetaAxis + kTAxis; }

SweepSpec parse(const std::string& text) { return parse_spec(text, "spec.toml", builtin_models()); }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Parses `text`, which must be rejected for `key`; the message must name the file and the key
// and contain every fragment (e.g. the allowed range).
void expect_rejected(const std::string& text, const std::string& key, const std::vector<std::string>& fragments) {
  try {
    parse(text);
    ADD_FAILURE() << "spec was accepted, expected a rejection for key '" << key << "':\n" << text;
  } catch (const SpecError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.file(), "spec.toml") << message;
    EXPECT_EQ(e.key(), key) << message;
    EXPECT_EQ(message.rfind("spec.toml", 0), 0u) << "message does not start with the file: " << message;
    if (!key.empty()) {
      EXPECT_TRUE(contains(message, key + ": ")) << "key missing from: " << message;
    }
    for (const auto& f : fragments) EXPECT_TRUE(contains(message, f)) << "'" << f << "' missing from: " << message;
  }
}

// ---------------------------------------------------------------------------------------------
// Rejections

TEST(SweepSpecErrors, MalformedTomlNamesTheLine) {
  const std::string text = kHeader + "[fixed]\nk = = 0.5\n";  // line 5
  try {
    parse(text);
    FAIL() << "malformed TOML accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.file(), "spec.toml");
    EXPECT_EQ(e.key(), "");
    EXPECT_EQ(std::string(e.what()).rfind("spec.toml:5: malformed TOML", 0), 0u) << e.what();
  }
}

TEST(SweepSpecErrors, UnterminatedTableIsMalformed) {
  const std::string text = "model = \"ye2025\"\n\n[fixed\nk = 0.5\n";  // line 3
  try {
    parse(text);
    FAIL() << "malformed TOML accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("spec.toml:3: malformed TOML", 0), 0u) << e.what();
  }
}

// The names after "allowed here: " in a message, split at ", ".
std::vector<std::string> allowed_names(const std::string& message) {
  const std::string marker = "allowed here: ";
  std::vector<std::string> names;
  std::size_t pos = message.find(marker);
  if (pos == std::string::npos) return names;
  pos += marker.size();
  for (;;) {
    const std::size_t comma = message.find(", ", pos);
    names.push_back(message.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (comma == std::string::npos) break;
    pos = comma + 2;
  }
  return names;
}

void expect_allowed(const std::string& text, const std::vector<std::string>& required) {
  try {
    parse(text);
    ADD_FAILURE() << "spec with an unknown key accepted";
  } catch (const SpecError& e) {
    const auto names = allowed_names(e.what());
    for (const auto& r : required)
      EXPECT_NE(std::find(names.begin(), names.end(), r), names.end()) << "'" << r << "' not listed in: " << e.what();
  }
}

TEST(SweepSpecErrors, UnknownTopLevelKey) {
  const std::string text = "modle = \"ye2025\"\n" + valid_spec();
  expect_rejected(text, "modle", {"unknown key (did you mean model?); allowed here: "});
  expect_allowed(text, {"model", "variant", "outputs", "continuation", "fixed", "axis", "run"});
}

TEST(SweepSpecErrors, UnknownTopLevelKeyReportsItsLine) {
  // Line 3 of the spec is the blank line after the header; put the bad key there.
  const std::string text = "model = \"ye2025\"\nvariant = \"published\"\nthreads = 4\n" + kFixed + kThetaAxis + kTAxis;
  try {
    parse(text);
    FAIL() << "unknown key accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("spec.toml:3: threads: unknown key", 0), 0u) << e.what();
  }
}

TEST(SweepSpecErrors, UnknownKeyInsideAxis) {
  const std::string text = kHeader + kFixed + kThetaAxis + "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 11]\nstep = 0.1\n";
  expect_rejected(text, "axis[1].step", {"unknown key; allowed here: "});  // nothing near "step"
  expect_allowed(text, {"name", "linspace", "logspace", "values"});
}

TEST(SweepSpecErrors, UnknownKeyInsideRun) {
  expect_rejected(valid_spec() + "\n[run]\nthread = 2\n", "run.thread", {"unknown key (did you mean threads?); allowed here: "});
  expect_allowed(valid_spec() + "\n[run]\nthread = 2\n", {"threads", "chunk", "compression", "deflate_level"});
}

TEST(SweepSpecErrors, UnknownModelListsTheKnownOnes) {
  std::string text = valid_spec();
  text.replace(text.find("ye2025"), 6, "ye2026");
  expect_rejected(text, "model", {"unknown model 'ye2026'", "did you mean ye2025?", "allowed: ye2025"});
}

TEST(SweepSpecErrors, MissingModel) {
  expect_rejected("variant = \"published\"\n\n" + kFixed + kThetaAxis + kTAxis, "model", {"missing"});
}

TEST(SweepSpecErrors, UnknownVariantListsTheAllowedOnes) {
  std::string text = valid_spec();
  text.replace(text.find("published"), 9, "fitted");
  expect_rejected(text, "variant", {"unknown variant 'fitted'", "ye2025", "allowed: published"});
}

TEST(SweepSpecErrors, UnknownAxisParameterSaysWhereTheParametersAreListed) {
  const std::string text = kHeader + kFixed + kThetaAxis + "[[axis]]\nname = \"alpha\"\nlinspace = [0.0, 1.0, 11]\n";
  expect_rejected(text, "axis[1].name", {"unknown parameter 'alpha' of model ye2025; 17 names in all, listed by `eqsweep models ye2025`"});
}

TEST(SweepSpecErrors, UnknownFixedParameterSaysWhereTheParametersAreListed) {
  const std::string text = kHeader + "[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\nalpha = 1\n\n" + kThetaAxis + kTAxis;
  expect_rejected(text, "fixed.alpha", {"unknown parameter 'alpha' of model ye2025; 17 names in all, listed by `eqsweep models ye2025`"});
}

TEST(SweepSpecErrors, UnknownOutputSuggestsTheNearestNamesInsteadOfListingAll) {
  try {
    parse("outputs = [\"N.p_A\", \"Y.pi_m\"]\n" + valid_spec());
    FAIL() << "unknown output accepted";
  } catch (const SpecError& e) {
    const std::string m = e.what();
    EXPECT_EQ(e.key(), "outputs");
    EXPECT_NE(m.find("unknown output 'Y.pi_m' of model ye2025; did you mean Y.pi_M, "), std::string::npos) << m;
    EXPECT_NE(m.find("listed by `eqsweep models ye2025`"), std::string::npos) << m;
    EXPECT_EQ(m.find("Y.c_B"), std::string::npos) << "the full list is back: " << m;
    EXPECT_LT(m.size(), 300u) << m;
  }
}

TEST(SweepSpecErrors, WildcardMatchingNothingIsAnUnknownOutput) {
  expect_rejected("outputs = [\"Z.*\"]\n" + valid_spec(), "outputs", {"unknown output 'Z.*'"});
}

TEST(SweepSpecErrors, EmptyOutputList) {
  expect_rejected("outputs = []\n" + valid_spec(), "outputs", {"non-empty"});
}

TEST(SweepSpecErrors, LinspaceWithZeroPoints) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 0]\n\n" + kTAxis;
  expect_rejected(text, "axis[0].linspace", {"count is 0", "at least one point"});
}

TEST(SweepSpecErrors, LinspaceWithNegativeCount) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, -3]\n\n" + kTAxis;
  expect_rejected(text, "axis[0].linspace", {"count is -3"});
}

TEST(SweepSpecErrors, LinspaceWithFractionalCount) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 2.5]\n\n" + kTAxis;
  expect_rejected(text, "axis[0].linspace", {"must be an integer"});
}

TEST(SweepSpecErrors, EmptyValues) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nvalues = []\n\n" + kTAxis;
  expect_rejected(text, "axis[0].values", {"at least one point"});
}

TEST(SweepSpecErrors, NonMonotoneValues) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nvalues = [0.1, 0.3, 0.2]\n\n" + kTAxis;
  expect_rejected(text, "axis[0].values", {"strictly increasing or strictly decreasing", "position 2"});
}

TEST(SweepSpecErrors, RepeatedValueIsNotStrictlyMonotone) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nvalues = [0.1, 0.2, 0.2, 0.3]\n\n" + kTAxis;
  expect_rejected(text, "axis[0].values", {"strictly increasing or strictly decreasing"});
}

TEST(SweepSpecErrors, OutOfDomainAxisValueNamesTheRange) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nvalues = [0.5, 1.2]\n\n" + kTAxis;
  expect_rejected(text, "axis[0].values", {"1.2", "theta", "(0, 1)"});
}

TEST(SweepSpecErrors, OutOfDomainAxisValueReportsItsLine) {
  // values sits on line 11 (see the layout at the top of the file).
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nvalues = [0.5, 1.2]\n\n" + kTAxis;
  try {
    parse(text);
    FAIL() << "theta = 1.2 accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("spec.toml:11: axis[0].values: ", 0), 0u) << e.what();
  }
}

TEST(SweepSpecErrors, LinspaceReachingAnOpenDomainEndIsRejected) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.5, 1.0, 3]\n\n" + kTAxis;
  expect_rejected(text, "axis[0].linspace", {"(0, 1)"});
}

TEST(SweepSpecErrors, NegativeAccuracyIsOutsideItsDomain) {
  const std::string text = kHeader + kFixed + kThetaAxis + "[[axis]]\nname = \"t\"\nvalues = [-0.1, 0.5]\n";
  expect_rejected(text, "axis[1].values", {"-0.1", "[0, inf)"});
}

TEST(SweepSpecErrors, OutOfDomainFixedValueNamesTheRange) {
  const std::string text = kHeader + "[fixed]\nk = 1.2\nsigma = 0.5\nGamma = 0.2\n\n" + kThetaAxis + kTAxis;
  expect_rejected(text, "fixed.k", {"1.2", "(0, 1)"});
}

TEST(SweepSpecErrors, FixedValueMustBeANumber) {
  const std::string text = kHeader + "[fixed]\nk = \"half\"\nsigma = 0.5\nGamma = 0.2\n\n" + kThetaAxis + kTAxis;
  expect_rejected(text, "fixed.k", {"must be a number"});
}

TEST(SweepSpecErrors, ParameterBothFixedAndSwept) {
  const std::string text = kHeader + "[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\ntheta = 0.5\n\n" + kThetaAxis + kTAxis;
  expect_rejected(text, "fixed.theta", {"also an axis"});
}

TEST(SweepSpecErrors, ParameterSweptTwice) {
  const std::string text = kHeader + kFixed + kThetaAxis + kTAxis + "\n[[axis]]\nname = \"theta\"\nvalues = [0.3]\n";
  expect_rejected(text, "axis[2].name", {"swept twice"});
}

TEST(SweepSpecErrors, MissingParameterNamesItsDomain) {
  const std::string text = kHeader + "[fixed]\nk = 0.5\nsigma = 0.5\n\n" + kThetaAxis + kTAxis;
  expect_rejected(text, "fixed.Gamma", {"neither fixed nor an axis", "(-inf, inf)"});
}

TEST(SweepSpecErrors, MissingAxis) {
  expect_rejected(kHeader + "[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\ntheta = 0.5\nt = 0.2\n", "axis",
                  {"at least one [[axis]]"});
}

TEST(SweepSpecErrors, AxisNeedsExactlyOneGenerator) {
  const std::string text =
      kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 5]\nvalues = [0.5]\n\n" + kTAxis;
  expect_rejected(text, "axis[0].linspace", {"exactly one of linspace, logspace or values"});
}

TEST(SweepSpecErrors, ContinuationMustNameAnAxis) {
  expect_rejected("continuation = \"sigma\"\n" + valid_spec(), "continuation", {"'sigma' is not an axis", "theta, t"});
}

TEST(SweepSpecErrors, RunChunkWithWrongRank) {
  expect_rejected(valid_spec() + "\n[run]\nchunk = [2]\n", "run.chunk", {"2 positive integers"});
}

TEST(SweepSpecErrors, RunChunkWithZeroElement) {
  expect_rejected(valid_spec() + "\n[run]\nchunk = [0, 3]\n", "run.chunk", {"element 0", "positive integer"});
}

TEST(SweepSpecErrors, RunChunkWithFractionalElement) {
  expect_rejected(valid_spec() + "\n[run]\nchunk = [2, 1.5]\n", "run.chunk", {"element 1", "positive integer"});
}

TEST(SweepSpecErrors, RunChunkTooLarge) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 5000]\n\n" +
                           "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 5000]\n\n[run]\nchunk = [5000, 5000]\n";
  expect_rejected(text, "run.chunk", {"25000000", "16777216"});
}

TEST(SweepSpecErrors, RunCompressionUnknown) {
  expect_rejected(valid_spec() + "\n[run]\ncompression = \"gzip\"\n", "run.compression",
                  {"\"blosc\", \"deflate\", \"zstd\" or \"none\""});
}

TEST(SweepSpecErrors, RunDeflateLevelOutOfRange) {
  expect_rejected(valid_spec() + "\n[run]\ndeflate_level = 0\n", "run.deflate_level", {"[1, 9]"});
  expect_rejected(valid_spec() + "\n[run]\ndeflate_level = 10\n", "run.deflate_level", {"[1, 9]"});
  expect_rejected(valid_spec() + "\n[run]\ndeflate_level = 4.5\n", "run.deflate_level", {"[1, 9]"});
}

TEST(SweepSpecErrors, RunThreadsOutOfRange) {
  expect_rejected(valid_spec() + "\n[run]\nthreads = -1\n", "run.threads", {"[0, 4096]"});
  expect_rejected(valid_spec() + "\n[run]\nthreads = 5000\n", "run.threads", {"[0, 4096]"});
  expect_rejected(valid_spec() + "\n[run]\nthreads = \"4\"\n", "run.threads", {"[0, 4096]"});
}

TEST(SweepSpecErrors, LogspaceWithNonPositiveBounds) {
  const std::string zero = kHeader + kFixed + kThetaAxis + "[[axis]]\nname = \"t\"\nlogspace = [0.0, 1.0, 5]\n";
  expect_rejected(zero, "axis[1].logspace", {"start > 0 and stop > 0"});
  expect_rejected(kHeader + "[fixed]\nk = 0.5\nsigma = 0.5\nt = 0.2\n\n" + kThetaAxis +
                      "[[axis]]\nname = \"Gamma\"\nlogspace = [1.0, -1.0, 5]\n",
                  "axis[1].logspace", {"start > 0 and stop > 0"});
}

TEST(SweepSpecErrors, LinspaceNeedsThreeElements) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9]\n\n" + kTAxis;
  expect_rejected(text, "axis[0].linspace", {"[start, stop, count]"});
}

TEST(SweepSpecErrors, LoadSpecNamesAMissingFile) {
  try {
    load_spec("/nonexistent/dir/spec.toml", builtin_models());
    FAIL() << "missing file accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.file(), "/nonexistent/dir/spec.toml");
    EXPECT_TRUE(contains(e.what(), "/nonexistent/dir/spec.toml")) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// Accepted specs

TEST(SweepSpecParse, ValidSpecFillsEveryField) {
  const SweepSpec spec = parse(valid_spec());
  EXPECT_EQ(spec.path, "spec.toml");
  EXPECT_EQ(spec.text, valid_spec());
  ASSERT_NE(spec.model, nullptr);
  EXPECT_EQ(spec.model->name(), "ye2025");
  EXPECT_EQ(spec.variant, "published");
  ASSERT_EQ(spec.axes.size(), 2u);
  EXPECT_EQ(spec.axes[0].name, "theta");
  EXPECT_EQ(spec.axes[0].parameter, 0);
  EXPECT_EQ(spec.axes[1].name, "t");
  EXPECT_EQ(spec.axes[1].parameter, 2);
  EXPECT_EQ(spec.shape(), (std::vector<std::size_t>{5, 11}));
  EXPECT_EQ(spec.point_count(), 55u);
  const auto params = spec.model->parameters();
  ASSERT_EQ(spec.fixed.size(), params.size());
  ASSERT_GE(params.size(), 5u);
  EXPECT_TRUE(std::isnan(spec.fixed[0]));  // theta is swept
  EXPECT_EQ(spec.fixed[1], 0.5);
  EXPECT_TRUE(std::isnan(spec.fixed[2]));  // t is swept
  EXPECT_EQ(spec.fixed[3], 0.5);
  EXPECT_EQ(spec.fixed[4], 0.2);
  // Parameters the spec neither fixes nor sweeps take their declared defaults.
  for (std::size_t i = 5; i < params.size(); ++i) EXPECT_EQ(spec.fixed[i], params[i].default_value) << params[i].name;
  EXPECT_EQ(spec.compression, Compression::blosc);
  EXPECT_EQ(spec.blosc_codec, BloscCompressor::lz4);
  EXPECT_EQ(spec.blosc_shuffle, BloscShuffle::byte);
  EXPECT_EQ(spec.blosc_level, 5);
  EXPECT_EQ(spec.deflate_level, 4);
  EXPECT_EQ(spec.threads, 0);
}

TEST(SweepSpecParse, VariantDefaultsToTheModelsFirst) {
  const SweepSpec spec = parse("model = \"ye2025\"\n\n" + kFixed + kThetaAxis + kTAxis);
  EXPECT_EQ(spec.variant, "published");
}

TEST(SweepSpecParse, LinspaceEndpointsAreExact) {
  // 0.1 + 1.0 * (0.7 - 0.1) is not 0.7 in binary floating point; the end point must still be.
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.7, 7]\n\n" + kTAxis;
  const SweepSpec spec = parse(text);
  const auto& v = spec.axes[0].values;
  ASSERT_EQ(v.size(), 7u);
  EXPECT_EQ(v.front(), 0.1);
  EXPECT_EQ(v.back(), 0.7);
  for (std::size_t j = 0; j < v.size(); ++j) EXPECT_NEAR(v[j], 0.1 + 0.1 * static_cast<double>(j), 1e-15) << j;
  const auto& t = spec.axes[1].values;
  ASSERT_EQ(t.size(), 11u);
  EXPECT_EQ(t.front(), 0.0);
  EXPECT_EQ(t.back(), 1.0);
  EXPECT_EQ(t[5], 0.5);  // 0 + (5/10) * 1 is exact
}

TEST(SweepSpecParse, SinglePointLinspaceIsItsStart) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.3, 0.9, 1]\n\n" + kTAxis;
  const SweepSpec spec = parse(text);
  EXPECT_EQ(spec.axes[0].values, (std::vector<double>{0.3}));
}

TEST(SweepSpecParse, LogspaceIsGeometric) {
  const std::string text = kHeader + kFixed + kThetaAxis + "[[axis]]\nname = \"t\"\nlogspace = [0.001, 10.0, 5]\n";
  const SweepSpec spec = parse(text);
  const auto& v = spec.axes[1].values;
  const double expected[] = {0.001, 0.01, 0.1, 1.0, 10.0};
  ASSERT_EQ(v.size(), 5u);
  for (std::size_t j = 0; j < v.size(); ++j) EXPECT_NEAR(v[j], expected[j], 1e-12 * expected[j]) << j;
  for (std::size_t j = 1; j < v.size(); ++j) EXPECT_NEAR(v[j] / v[j - 1], 10.0, 1e-12) << j;
  EXPECT_EQ(v.back(), 10.0);
}

// The first point of a logspace axis is exp(log(start)), which for most starts is not `start`
// (exp(log(0.001)) = 0.0010000000000000002): the cube's coordinate then misses the value the
// spec names, and a start on a closed domain bound (exp(log(5)) < 5) would be rejected.
TEST(SweepSpecParse, LogspaceStartIsExact) {
  const std::string text = kHeader + kFixed + kThetaAxis + "[[axis]]\nname = \"t\"\nlogspace = [0.001, 10.0, 5]\n";
  const SweepSpec spec = parse(text);
  const double first = spec.axes[1].values.front();
  EXPECT_EQ(first, 0.001) << std::setprecision(17) << "first point is " << first << ", the spec says 0.001";
}

TEST(SweepSpecParse, DescendingAxesAreAllowed) {
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.9, 0.1, 5]\n\n" +
                           "[[axis]]\nname = \"t\"\nvalues = [0.5, 0.3, 0.1]\n";
  const SweepSpec spec = parse(text);
  const auto& theta = spec.axes[0].values;
  ASSERT_EQ(theta.size(), 5u);
  EXPECT_EQ(theta.front(), 0.9);
  EXPECT_EQ(theta.back(), 0.1);
  for (std::size_t j = 1; j < theta.size(); ++j) EXPECT_LT(theta[j], theta[j - 1]);
  EXPECT_EQ(spec.axes[1].values, (std::vector<double>{0.5, 0.3, 0.1}));
}

TEST(SweepSpecParse, IntegerValuesAreAccepted) {
  const std::string text = kHeader + "[fixed]\nk = 0.5\nsigma = 1\nGamma = -2\n\n" + kThetaAxis +
                           "[[axis]]\nname = \"t\"\nvalues = [0, 1, 2]\n";
  const SweepSpec spec = parse(text);
  EXPECT_EQ(spec.fixed[3], 1.0);
  EXPECT_EQ(spec.fixed[4], -2.0);
  EXPECT_EQ(spec.axes[1].values, (std::vector<double>{0.0, 1.0, 2.0}));
}

std::vector<int> outputs_with_prefix(const Model& model, const std::string& prefix) {
  std::vector<int> indices;
  const auto outs = model.outputs();
  for (std::size_t o = 0; o < outs.size(); ++o)
    if (outs[o].name.rfind(prefix, 0) == 0) indices.push_back(static_cast<int>(o));
  return indices;
}

TEST(SweepSpecParse, WildcardSelectsExactlyTheScenarioOutputs) {
  const SweepSpec spec = parse("outputs = [\"N.*\"]\n" + valid_spec());
  const Model& model = *spec.model;
  const auto expected = outputs_with_prefix(model, "N.");
  EXPECT_EQ(spec.outputs, expected);
  // Every quantity of scenario N is there, and nothing of another scenario.
  for (const char* q : {"N.p_A", "N.p_B", "N.q_A", "N.q_B", "N.w_A", "N.w_B", "N.pi_R", "N.pi_M", "N.pi_SC", "N.c_B"}) {
    const int o = model.output_index(q);
    ASSERT_GE(o, 0) << q;
    EXPECT_NE(std::find(spec.outputs.begin(), spec.outputs.end(), o), spec.outputs.end()) << q;
  }
  for (int o : spec.outputs) EXPECT_EQ(model.outputs()[static_cast<std::size_t>(o)].name.rfind("N.", 0), 0u);
  EXPECT_EQ(std::find(spec.outputs.begin(), spec.outputs.end(), model.output_index("Y.p_A")), spec.outputs.end());
}

TEST(SweepSpecParse, OutputsKeepTheModelsOrderWithoutDuplicates) {
  const SweepSpec spec = parse("outputs = [\"Y.q_B\", \"N.p_A\", \"Y.*\", \"N.p_A\"]\n" + valid_spec());
  const auto outs = spec.model->outputs();
  std::vector<int> expected = {spec.model->output_index("N.p_A")};
  for (int o : outputs_with_prefix(*spec.model, "Y.")) expected.push_back(o);
  ASSERT_GE(expected[0], 0);
  ASSERT_LT(expected[0], expected[1]) << "test premise: N.p_A comes before the Y outputs in the model";
  EXPECT_EQ(spec.outputs, expected);
}

TEST(SweepSpecParse, DefaultOutputsAreWhatTheVariantWrites) {
  const SweepSpec spec = parse(valid_spec());  // model Y, variant published: never writes derived.*
  const auto outs = spec.model->outputs();
  std::vector<int> written;
  for (std::size_t i = 0; i < outs.size(); ++i)
    if (outs[i].name.rfind("derived.", 0) != 0) written.push_back(static_cast<int>(i));
  EXPECT_GE(written.size(), 20u);
  EXPECT_LT(written.size(), outs.size());
  EXPECT_EQ(spec.outputs, written);
  // "*" is every output, the derived block included.
  EXPECT_EQ(parse("outputs = [\"*\"]\n" + valid_spec()).outputs.size(), outs.size());
}

TEST(SweepSpecParse, OutputPatternsAreShellGlobs) {
  const SweepSpec spec = parse("outputs = [\"*.pi_M\", \"[NY].q_?\"]\n" + valid_spec());
  std::vector<std::string> names;
  for (int o : spec.outputs) names.push_back(spec.model->outputs()[static_cast<std::size_t>(o)].name);
  EXPECT_NE(std::find(names.begin(), names.end(), "Y-C.pi_M"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "N.q_B"), names.end());
  for (const auto& n : names) EXPECT_TRUE(n.ends_with(".pi_M") || n.starts_with("N.q_") || n.starts_with("Y.q_")) << n;
}

TEST(SweepSpecParse, ContinuationDefaultsToTheLastAxis) {
  EXPECT_EQ(parse(valid_spec()).continuation_axis, 1u);
  EXPECT_EQ(parse("continuation = \"theta\"\n" + valid_spec()).continuation_axis, 0u);
  EXPECT_EQ(parse("continuation = \"t\"\n" + valid_spec()).continuation_axis, 1u);
}

TEST(SweepSpecParse, RunSettingsAreRead) {
  const SweepSpec spec =
      parse(valid_spec() + "\n[run]\nthreads = 3\nchunk = [2, 4]\ncompression = \"none\"\ndeflate_level = 7\n");
  EXPECT_EQ(spec.threads, 3);
  EXPECT_EQ(spec.chunk, (std::vector<std::size_t>{2, 4}));
  EXPECT_EQ(spec.compression, Compression::none);
  EXPECT_EQ(spec.deflate_level, 7);
}

TEST(SweepSpecParse, ChunkIsClippedToTheShape) {
  const SweepSpec spec = parse(valid_spec() + "\n[run]\nchunk = [100, 3]\n");
  EXPECT_EQ(spec.chunk, (std::vector<std::size_t>{5, 3}));
}

TEST(SweepSpecParse, DefaultChunkKeepsTheContinuationAxisWholeAndCutsSmallSweepsIntoManyTiles) {
  // 5 x 11 points fit in one default tile; one tile per continuation line spreads them over cores.
  EXPECT_EQ(parse(valid_spec()).chunk, (std::vector<std::size_t>{1, 11}));
  // 400 lines of 11: 64 tiles want 68 points each, rounded to whole lines (6 x 11).
  const std::string many = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 400]\n\n" + kTAxis;
  EXPECT_EQ(parse(many).chunk, (std::vector<std::size_t>{6, 11}));
}

// ---------------------------------------------------------------------------------------------
// Fingerprint

TEST(SweepSpecFingerprint, IsAHexSha256) {
  const std::string fp = parse(valid_spec()).fingerprint();
  ASSERT_EQ(fp.size(), 64u);
  for (char c : fp) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << fp;
  // SHA-256 of "abc" (FIPS 180-2 test vector).
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SweepSpecFingerprint, IgnoresCommentsWhitespaceOrderAndThreads) {
  const std::string base = valid_spec();
  const std::string reformatted =
      "# a comment\n"
      "variant   =   \"published\"    # trailing comment\n"
      "model=\"ye2025\"\n\n\n"
      "[[axis]]\n  name = \"theta\"\n  linspace = [ 0.1 , 0.9 , 5 ]\n"
      "[[axis]]\n  name = \"t\"\n  linspace = [0.0, 1.0, 11]   # comment\n"
      "[fixed]\nGamma = 0.2\nsigma = 0.5\nk = 0.5\n"
      "[run]\nthreads = 7\n";
  const SweepSpec a = parse(base), b = parse(reformatted);
  EXPECT_NE(a.text, b.text);
  EXPECT_EQ(a.canonical_json(), b.canonical_json());
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_EQ(b.threads, 7);
  // Spelling a float as an integer, or as linspace vs. the same explicit values, changes nothing.
  const std::string spelled = kHeader + "[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n\n" + kThetaAxis +
                              "[[axis]]\nname = \"t\"\nvalues = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]\n";
  const SweepSpec c = parse(spelled);
  ASSERT_EQ(c.axes[1].values, a.axes[1].values) << "test premise: the values spell the linspace exactly";
  EXPECT_EQ(c.fingerprint(), a.fingerprint());
}

TEST(SweepSpecFingerprint, ChangesWithAnyAxisValue) {
  const SweepSpec base = parse(kHeader + kFixed + kThetaAxis + "[[axis]]\nname = \"t\"\nvalues = [0.1, 0.2, 0.3]\n");
  const std::string fp = base.fingerprint();
  for (const char* values : {"[0.1, 0.2, 0.30000000000000004]", "[0.1, 0.2, 0.31]",
                             "[0.1, 0.2]", "[0.1, 0.2, 0.3, 0.4]", "[0.3, 0.2, 0.1]", "[0.1, 0.25, 0.3]"}) {
    const SweepSpec changed =
        parse(kHeader + kFixed + kThetaAxis + "[[axis]]\nname = \"t\"\nvalues = " + values + "\n");
    EXPECT_NE(changed.fingerprint(), fp) << values;
  }
  // A one-ulp change of a linspace bound.
  const SweepSpec lin = parse(kHeader + kFixed + "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9000000000000001, 5]\n\n" + kTAxis);
  EXPECT_NE(lin.fingerprint(), parse(valid_spec()).fingerprint());
  // Same values under another axis order is another cube.
  const SweepSpec swapped = parse(kHeader + kFixed + kTAxis + "\n" + kThetaAxis);
  EXPECT_NE(swapped.fingerprint(), parse(valid_spec()).fingerprint());
}

TEST(SweepSpecFingerprint, ChangesWithAnyFixedValue) {
  const std::string fp = parse(valid_spec()).fingerprint();
  for (const char* fixed : {"k = 0.5000000000000001\nsigma = 0.5\nGamma = 0.2\n",
                            "k = 0.5\nsigma = 0.25\nGamma = 0.2\n", "k = 0.5\nsigma = 0.5\nGamma = -0.2\n"}) {
    const SweepSpec changed = parse(kHeader + "[fixed]\n" + fixed + "\n" + kThetaAxis + kTAxis);
    EXPECT_NE(changed.fingerprint(), fp) << fixed;
  }
}

TEST(SweepSpecFingerprint, ChangesWithWhatDeterminesTheCubesBytes) {
  const std::string fp = parse(valid_spec()).fingerprint();
  EXPECT_NE(parse("outputs = [\"N.*\"]\n" + valid_spec()).fingerprint(), fp);
  EXPECT_NE(parse("continuation = \"theta\"\n" + valid_spec()).fingerprint(), fp);
  EXPECT_NE(parse(valid_spec() + "\n[run]\nchunk = [2, 11]\n").fingerprint(), fp);
  EXPECT_NE(parse(valid_spec() + "\n[run]\ncompression = \"none\"\n").fingerprint(), fp);
  EXPECT_NE(parse(valid_spec() + "\n[run]\ncompression = \"deflate\"\n").fingerprint(), fp);
  EXPECT_NE(parse(valid_spec() + "\n[run]\nblosc_level = 6\n").fingerprint(), fp);
  EXPECT_NE(parse(valid_spec() + "\n[run]\nblosc_shuffle = \"bitshuffle\"\n").fingerprint(), fp);
  EXPECT_NE(parse(valid_spec() + "\n[run]\nblosc_codec = \"zstd\"\n").fingerprint(), fp);
  const std::string deflate = parse(valid_spec() + "\n[run]\ncompression = \"deflate\"\n").fingerprint();
  EXPECT_NE(parse(valid_spec() + "\n[run]\ncompression = \"deflate\"\ndeflate_level = 5\n").fingerprint(), deflate);
  // Spelling out the defaults changes nothing, and neither do the options of a codec not chosen.
  EXPECT_EQ(parse(valid_spec() + "\n[run]\nchunk = [1, 11]\ncompression = \"blosc\"\nblosc_codec = \"lz4\"\n"
                                 "blosc_shuffle = \"shuffle\"\nblosc_level = 5\ndeflate_level = 7\nzstd_level = 9\n")
                .fingerprint(),
            fp);
  EXPECT_EQ(parse(valid_spec() + "\n[run]\ncompression = \"deflate\"\nblosc_level = 9\n").fingerprint(), deflate);
}

// ---------------------------------------------------------------------------------------------
// What the cube stores of the spec, duplicate analyses, and long values in messages

// theta's 100 explicit values, written over several lines with a comment inside.
std::string long_theta_axis(std::size_t n) {
  std::string values;
  for (std::size_t i = 0; i < n; ++i)
    values += fmt::format("{}{:.6f}{}", i ? ", " : "", 0.02 + 0.96 * static_cast<double>(i) / static_cast<double>(n - 1),
                          i == n / 2 ? "  # half way\n" : "");
  return "[[axis]]\nname = \"theta\"  # kept\nvalues = [" + values + "]\n\n";
}

TEST(SweepSpecCubeText, LongValueListIsStoredAsAReferenceToItsCoordinate) {
  const SweepSpec spec = parse(kHeader + kFixed + long_theta_axis(100) + kTAxis);
  EXPECT_EQ(spec.stored_text(), kHeader + kFixed +
                                    "[[axis]]\nname = \"theta\"  # kept\nvalues = { coordinate = \"theta\", count = 100 }\n\n" +
                                    kTAxis);
  // A spec file may not use the reference: only a cube's copy of the spec does, with the cube.
  expect_rejected(spec.stored_text(), "axis[0].values", {"coordinate", "array of numbers"});
  const SweepSpec back = parse_spec(spec.stored_text(), "spec.toml", builtin_models(), {},
                                    [&](const std::string& name) { return spec.axes[name == "theta" ? 0 : 1].values; });
  EXPECT_EQ(back.axes[0].values, spec.axes[0].values);
  EXPECT_EQ(back.fingerprint(), spec.fingerprint());
  EXPECT_EQ(back.stored_text(), spec.stored_text());
  // A coordinate of another length than the reference says is refused.
  EXPECT_THROW(parse_spec(spec.stored_text(), "spec.toml", builtin_models(), {},
                          [](const std::string&) { return std::vector<double>{0.1, 0.2}; }),
               SpecError);
}

TEST(SweepSpecCubeText, ShortValueListsAndGeneratedAxesAreKeptVerbatim) {
  const std::string text = kHeader + kFixed + long_theta_axis(kInlineAxisValues) + kTAxis;
  EXPECT_EQ(parse(text).stored_text(), text);
  EXPECT_EQ(parse(valid_spec()).stored_text(), valid_spec());
}

TEST(SweepSpecCubeText, LongValueListFromSetIsStoredAsAReference) {
  std::string values = "[";
  for (int i = 0; i < 200; ++i) values += fmt::format("{}{}", i ? "," : "", 0.001 * (i + 1));
  values += "]";
  const std::string text = kHeader + kFixed + "[[axis]]\nname = \"theta\"\nvalues = [0.1, 0.5]\n\n" + kTAxis;
  const SweepSpec spec =
      parse_spec(text, "spec.toml", builtin_models(), {{"axis[0].values", values, {}}, {"fixed.k", "0.6", {}}});
  ASSERT_EQ(spec.axes[0].values.size(), 200u);
  EXPECT_EQ(spec.overrides_text(), "axis[0].values = { coordinate = \"theta\", count = 200 }\nfixed.k = 0.6");
}

TEST(SweepSpecErrors, TwoThresholdsOfOneIndicatorAlongOneAxis) {
  const std::string th = "\n[[threshold]]\nindicator = \"N.pi_M\"\naxis = \"t\"\n";
  expect_rejected(valid_spec() + th + th, "threshold[1].indicator", {"already located by threshold[0]"});
  // Another tolerance writes the same datasets: refused too. Another axis or indicator is fine.
  expect_rejected(valid_spec() + th + th + "tolerance = 1e-6\n", "threshold[1].indicator", {"N.pi_M along t"});
  EXPECT_EQ(parse(valid_spec() + th + "\n[[threshold]]\nindicator = \"N.pi_M\"\naxis = \"theta\"\n").thresholds.size(), 2u);
}

// A 1 MB value must not come back whole in the message.
TEST(SweepSpecErrors, LongValuesAreEchoedShortened) {
  const std::string huge(1000000, 'x');
  auto message_of = [](auto&& load) -> std::string {
    try {
      load();
    } catch (const SpecError& e) {
      return e.what();
    }
    return "(accepted)";
  };
  const std::string model = message_of([&] { parse("model = \"" + huge + "\"\n" + kFixed + kThetaAxis + kTAxis); });
  EXPECT_LT(model.size(), 400u) << model.substr(0, 400);
  EXPECT_TRUE(contains(model, "unknown model 'xxxxxxxxxx")) << model.substr(0, 400);
  EXPECT_TRUE(contains(model, "... (1000000 bytes)")) << model.substr(0, 400);
  const std::string output = message_of([&] { parse("outputs = [\"" + huge + "\"]\n" + valid_spec()); });
  EXPECT_LT(output.size(), 600u) << output.substr(0, 600);
  EXPECT_TRUE(contains(output, "(1000000 bytes)")) << output.substr(0, 600);
  const std::string set = message_of([&] { parse_spec(valid_spec(), "spec.toml", builtin_models(), {{"fixed.k", huge, {}}}); });
  EXPECT_LT(set.size(), 400u) << set.substr(0, 400);
  EXPECT_TRUE(contains(set, "--set fixed.k=xxx")) << set.substr(0, 400);
  EXPECT_TRUE(contains(set, "(1000000 bytes)")) << set.substr(0, 400);
  const std::string key = message_of([&] { parse(valid_spec() + "\n[run]\n" + std::string(100000, 'q') + " = 1\n"); });
  EXPECT_LT(key.size(), 2000u) << key.substr(0, 400);
  EXPECT_TRUE(contains(key, "(100004 bytes)")) << key.substr(0, 400);
}

}  // namespace
}  // namespace eqsweep
