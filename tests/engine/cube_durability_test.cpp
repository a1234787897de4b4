// run.durability (docs/safety.md, "Durability"): "commit" syncs the cube to disk at every commit
// (twice: the chunks, then the tiles_done flags that vouch for them), "end" hands commits to the
// kernel only and syncs once when the run finishes, "none" never syncs.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "engine/run_plan.hpp"
#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

const std::string kSpec =
    "model = \"ye2025\"\noutputs = [\"Y.pi_M\"]\n[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n"
    "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 4]\n[[axis]]\nname = \"t\"\nlinspace = [0, 1, 6]\n"
    "[run]\nchunk = [2, 6]\n";

// The fdatasync calls of a writer that commits tiles 0 and 1 separately and then finishes.
std::vector<std::size_t> syncs_of(const SweepSpec& spec, const std::string& path) {
  const RunPlan plan = make_run_plan(spec, {});
  CubeWriter cube(path, plan.layout);
  cube.set_durability(spec.sync_each_commit, spec.sync_at_end);
  cube.start_swmr();
  std::vector<std::size_t> syncs{cube.syncs()};
  for (std::size_t tile : {0, 1}) {
    const std::vector<std::size_t> tiles{tile};
    cube.commit(tiles);
    syncs.push_back(cube.syncs());
  }
  cube.finish({{"end_time", "now"}}, {});
  syncs.push_back(cube.syncs());
  return syncs;
}

TEST(Durability, CommitSyncsEveryCommitEndOnceAtTheEndNoneNever) {
  ScratchDir dir("durability");
  const SweepSpec every = parse_spec(kSpec, "spec.toml", builtin_models());
  EXPECT_TRUE(every.sync_each_commit) << "syncing every commit is the default";
  EXPECT_EQ(syncs_of(every, dir.file("commit.h5")), (std::vector<std::size_t>{0, 2, 4, 4}));

  const SweepSpec at_end = parse_spec(kSpec + "durability = \"end\"\n", "spec.toml", builtin_models());
  EXPECT_FALSE(at_end.sync_each_commit);
  EXPECT_EQ(syncs_of(at_end, dir.file("end.h5")), (std::vector<std::size_t>{0, 0, 0, 1}));

  const SweepSpec never = parse_spec(kSpec + "durability = \"none\"\n", "spec.toml", builtin_models());
  EXPECT_EQ(syncs_of(never, dir.file("none.h5")), (std::vector<std::size_t>{0, 0, 0, 0}));
  // The three files hold the same finished tiles.
  EXPECT_EQ(CubeReader(dir.file("commit.h5")).tiles_done(), CubeReader(dir.file("end.h5")).tiles_done());
  EXPECT_EQ(CubeReader(dir.file("commit.h5")).tiles_done(), CubeReader(dir.file("none.h5")).tiles_done());
}

TEST(Durability, AnUnknownChoiceIsRefusedNamingTheKeyAndTheChoices) {
  try {
    parse_spec(kSpec + "durability = \"never\"\n", "spec.toml", builtin_models());
    FAIL() << "accepted";
  } catch (const SpecError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("run.durability"), std::string::npos) << what;
    EXPECT_NE(what.find("\"commit\", \"end\" or \"none\""), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace eqsweep
