// run.durability (docs/safety.md, "Durability"): "commit" syncs the cube to disk at every commit
// (twice: the chunks, then the tiles_done flags that vouch for them), "end" hands commits to the
// kernel only and syncs once when the run finishes, "none" never syncs.

#include <span>
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

// A writer that will sync starts the kernel's writeback every 16 MiB of chunks (so the sync
// overlaps the solves instead of waiting for all the bytes at the end); one that never syncs
// leaves writeback to the kernel. The chunks read back the same either way.
std::size_t writebacks_of(const std::string& durability, const std::string& path) {
  const std::string big =
      "model = \"ye2025\"\noutputs = [\"Y.pi_M\"]\n[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n"
      "[[axis]]\nname = \"theta\"\nlinspace = [0.1, 0.9, 2400]\n[[axis]]\nname = \"t\"\nlinspace = [0, 1, 1000]\n"
      "[run]\nchunk = [100, 1000]\ncompression = \"none\"\ndurability = \"" + durability + "\"\n";
  const SweepSpec spec = parse_spec(big, "spec.toml", builtin_models());
  const RunPlan plan = make_run_plan(spec, {});
  CubeWriter cube(path, plan.layout);
  cube.set_durability(spec.sync_each_commit, spec.sync_at_end);
  cube.start_swmr();
  // 24 tiles of 100 x 1000 doubles (800 kB each) of Y.pi_M: 19.2 MB. The bytes need not be the
  // model's; their Fletcher-32 trailer is, so that the reader accepts them.
  std::vector<double> values(100 * 1000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.001 * static_cast<double>(i);
  const auto raw = std::as_bytes(std::span(values));
  std::vector<std::byte> chunk(raw.begin(), raw.end());
  plan.codec->encode_in_place(chunk, sizeof(double));
  std::vector<std::size_t> tiles;
  for (std::size_t t = 0; t < plan.grid.tile_count(); ++t) {
    cube.write_chunk(0, plan.grid.tile_origin(t), chunk);
    tiles.push_back(t);
  }
  cube.commit(tiles);
  cube.finish({{"end_time", "now"}}, {});
  EXPECT_EQ(CubeReader(path).read_f64("Y.pi_M")[2399 * 1000 + 999], values.back()) << durability;
  return cube.writebacks_started();
}

TEST(Durability, AWriterThatWillSyncStartsWritebackEverySixteenMebibytes) {
  ScratchDir dir("writeback");
  EXPECT_EQ(writebacks_of("commit", dir.file("commit.h5")), 1u);
  EXPECT_EQ(writebacks_of("end", dir.file("end.h5")), 1u);
  EXPECT_EQ(writebacks_of("none", dir.file("none.h5")), 0u);
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
