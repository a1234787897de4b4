// Opening the HDF5 cube for a run: a rerun that changes only how it runs resumes, one that
// changes what is computed or how it is stored is refused naming the keys that differ, and the
// file on disk is never touched by a refusal.

#include "engine/hdf5_cube_sink.hpp"

#include <string>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "engine/sweep_runner.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

const std::string kSpec =
    "model = \"ye2025\"\noutputs = [\"N.pi_M\", \"Y.pi_M\"]\n"
    "[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n"
    "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 9]\n"
    "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 21]\n";

SweepSpec parse(const std::vector<SpecOverride>& overrides = {}) {
  return parse_spec(kSpec, "sink.toml", builtin_models(), overrides);
}

RunSummary run(const SweepSpec& spec, const std::string& path) {
  RunOptions options;
  options.output_path = path;
  options.progress = ProgressMode::none;
  return run_sweep(spec, options);
}

TEST(Hdf5CubeSink, ARerunThatChangesOnlyHowItRunsIsTheSameSweep) {
  ScratchDir dir("sink_run_only");
  const std::string out = dir.file("cube.h5");
  ASSERT_TRUE(run(parse({{"run.threads", "1", ""}}), out).ok());
  const std::string before = read_text(out);
  const RunSummary again = run(parse({{"run.threads", "2", ""}, {"run.progress", "lines", ""},
                                      {"run.commit_interval", "3", ""}, {"run.progress_interval", "1", ""}}),
                               out);
  EXPECT_EQ(again.outcome, RunSummary::Outcome::already_complete) << again.summary();
  EXPECT_TRUE(read_text(out) == before);
}

void expect_refused(const SweepSpec& spec, const std::string& out, const std::vector<std::string>& keys) {
  const std::string before = read_text(out);
  const RunSummary r = run(spec, out);
  EXPECT_EQ(r.outcome, RunSummary::Outcome::refused) << r.summary();
  EXPECT_NE(r.message.find("different sweep spec"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find(out), std::string::npos) << r.message;
  for (const auto& k : keys) EXPECT_NE(r.message.find(k), std::string::npos) << "'" << k << "' not named: " << r.message;
  EXPECT_TRUE(read_text(out) == before) << "a refused run touched the cube";
}

TEST(Hdf5CubeSink, AChangeOfWhatIsComputedOrStoredIsRefusedNamingTheKey) {
  ScratchDir dir("sink_refuse");
  const std::string out = dir.file("cube.h5");
  ASSERT_TRUE(run(parse(), out).ok());
  expect_refused(parse({{"run.compression", "none", ""}}), out, {"run.compression (\"blosc\" there, \"none\" now)"});
  expect_refused(parse({{"run.blosc_level", "6", ""}}), out, {"run.blosc_level (5 there, 6 now)"});
  expect_refused(parse({{"fixed.k", "0.6", ""}}), out, {"fixed.k (0.5 there, 0.6 now)"});
  expect_refused(parse({{"axis[1].linspace", "[0.0, 1.0, 11]", ""}}), out, {"axis[1] (t)", "run.chunk"});
  expect_refused(parse({{"outputs", "[\"N.pi_M\"]", ""}, {"run.chunk", "[3, 21]", ""}}), out, {"outputs", "run.chunk"});
}

TEST(Hdf5CubeSink, OverridesAreRecordedAsProvenance) {
  ScratchDir dir("sink_provenance");
  ASSERT_TRUE(run(parse({{"fixed.k", "0.6", ""}}), dir.file("set.h5")).ok());
  ASSERT_TRUE(run(parse(), dir.file("plain.h5")).ok());
  EXPECT_EQ(CubeReader(dir.file("set.h5")).string_attribute("spec_overrides"), "fixed.k = 0.6");
  EXPECT_FALSE(CubeReader(dir.file("plain.h5")).has_attribute("spec_overrides"));
}

TEST(Hdf5CubeSink, AnUnusableOutputPathIsRefusedBeforeAnyWork) {
  ScratchDir dir("sink_path");
  const RunSummary r = run(parse(), dir.file("no/such/dir/cube.h5"));
  EXPECT_EQ(r.outcome, RunSummary::Outcome::refused);
  EXPECT_NE(r.message.find("does not exist"), std::string::npos) << r.message;
  EXPECT_EQ(r.points_computed, 0u);
}

}  // namespace
}  // namespace eqsweep::testing
