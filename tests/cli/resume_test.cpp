// Resume and failure behaviour of `eqsweep run`, driven through the real binary: real kill -9
// of real runs, a real file-size limit standing in for a full disk, real HDF5 files read back.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "support/cli_child.hpp"
#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

namespace fs = std::filesystem;

// Big enough that a run lasts a good fraction of a second with many tiles committed in between.
std::string big_spec(double k) {
  return "model = \"ye2025\"\n"
         "outputs = [\"N.pi_M\", \"Y.pi_M\", \"Y.q_B\", \"Y.c_B\"]\n"
         "[fixed]\nk = " + std::to_string(k) + "\nsigma = 0.5\nGamma = 0.2\n"
         "[[axis]]\nname = \"theta\"\nlinspace = [0.02, 0.98, 1500]\n"
         "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 1600]\n"
         "[run]\nchunk = [10, 1600]\n";
}

TEST(Resume, RunKilledRepeatedlyWithKill9FinishesIdenticalToAnUninterruptedRun) {
  ScratchDir dir("kill9");
  const std::string spec = dir.file("big.toml");
  write_text(spec, big_spec(0.5));

  const pid_t ref = start_run(spec, dir.file("reference.h5"), dir.file("reference.log"));
  ASSERT_EQ(wait_exit(ref), 0) << read_text(dir.file("reference.log"));
  const std::size_t total = CubeReader(dir.file("reference.h5")).tiles_done().size();

  // Kill once the run reports the next share of points done; each restart resumes the last one.
  const std::string out = dir.file("killed.h5");
  int kills_mid_run = 0;
  std::size_t last_done = 0;
  for (double percent : {15.0, 35.0, 55.0, 75.0, 90.0}) {
    const pid_t c = start_run(spec, out, dir.file("killed.log"), {}, {.progress_lines = true});
    const bool mid_run = await_progress(c, dir.file("killed.log"), percent);
    kill(c, SIGKILL);
    const int rc = wait_exit(c);
    if (!mid_run && rc == 0) break;  // it finished before the kill landed
    ASSERT_EQ(rc, -SIGKILL) << read_text(dir.file("killed.log"));
    if (!fs::exists(out)) continue;  // killed before the cube was set up: nothing to keep
    const std::size_t done = tiles_done(out);  // the killed file must open and be consistent
    EXPECT_GE(done, last_done) << "a resume lost finished tiles";
    if (done > 0 && done < total) ++kills_mid_run;
    last_done = done;
  }
  EXPECT_GE(kills_mid_run, 1) << "no kill landed while tiles were being written; the test proved nothing";

  const pid_t final_run = start_run(spec, out, dir.file("final.log"));
  ASSERT_EQ(wait_exit(final_run), 0) << read_text(dir.file("final.log"));
  EXPECT_EQ(tiles_done(out), total);
  expect_same_cube(dir.file("reference.h5"), out);
  EXPECT_FALSE(fs::exists(out + ".partial"));
}

TEST(Resume, DifferentSpecIntoTheSameFileIsRefusedAndTheFileIsUntouched) {
  ScratchDir dir("refuse");
  write_text(dir.file("a.toml"), big_spec(0.5));
  write_text(dir.file("b.toml"), big_spec(0.25));
  const std::string out = dir.file("cube.h5");
  auto first = run_cli({"run", dir.file("a.toml"), "-o", out, "--progress", "none"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const std::string before = read_text(out);

  auto second = run_cli({"run", dir.file("b.toml"), "-o", out, "--progress", "none"});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.output.find("different sweep spec"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find(out), std::string::npos) << "the message must name the file: " << second.output;
  EXPECT_TRUE(read_text(out) == before) << "a refused run modified the existing cube";

  // The same spec again is recognised as complete and leaves the file alone too.
  auto again = run_cli({"run", dir.file("a.toml"), "-o", out, "--progress", "none"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.output.find("already complete"), std::string::npos) << again.output;
  EXPECT_TRUE(read_text(out) == before);

  // --overwrite is the explicit way to replace it.
  auto replaced = run_cli({"run", dir.file("b.toml"), "-o", out, "--progress", "none", "--overwrite"});
  EXPECT_EQ(replaced.exit_code, 0) << replaced.output;
}

TEST(Resume, ExistingNonCubeFileIsNeverOverwrittenWithoutAsking) {
  ScratchDir dir("noncube");
  write_text(dir.file("a.toml"), big_spec(0.5));
  const std::string out = dir.file("notes.h5");
  write_text(out, "my precious notes");
  auto r = run_cli({"run", dir.file("a.toml"), "-o", out, "--progress", "none"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("not an eqsweep cube"), std::string::npos) << r.output;
  EXPECT_EQ(read_text(out), "my precious notes");
}

TEST(Resume, UnwritableOutputPathFailsBeforeAnyWorkWithAClearMessage) {
  ScratchDir dir("unwritable");
  write_text(dir.file("a.toml"), big_spec(0.5));
  const std::string missing_dir = dir.file("no/such/dir/cube.h5");
  auto r = run_cli({"run", dir.file("a.toml"), "-o", missing_dir, "--progress", "none"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("does not exist"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(missing_dir), std::string::npos) << r.output;

  auto is_dir = run_cli({"run", dir.file("a.toml"), "-o", dir.path(), "--progress", "none"});
  EXPECT_EQ(is_dir.exit_code, 2);
  EXPECT_NE(is_dir.output.find("is a directory"), std::string::npos) << is_dir.output;
}

TEST(Resume, FullDiskFailsClearlyKeepsCommittedTilesReadableAndResumes) {
  ScratchDir dir("diskfull");
  const std::string spec = dir.file("big.toml");
  write_text(spec, big_spec(0.5));
  auto ref = run_cli({"run", spec, "-o", dir.file("reference.h5"), "--progress", "none"});
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  const auto full_size = fs::file_size(dir.file("reference.h5"));

  // The "disk" holds 40 % of the cube.
  const std::string out = dir.file("cube.h5");
  const pid_t c = start_run(spec, out, dir.file("full.log"), {}, {.file_limit = static_cast<rlim_t>(full_size * 2 / 5)});
  const int rc = wait_exit(c);
  const std::string log = read_text(dir.file("full.log"));
  EXPECT_EQ(rc, 1) << log;
  EXPECT_NE(log.find("writing the cube failed"), std::string::npos) << log;
  EXPECT_NE(log.find("File too large"), std::string::npos) << "the system's reason must reach the user: " << log;
  EXPECT_NE(log.find("rerun the same command"), std::string::npos) << log;

  ASSERT_TRUE(fs::exists(out)) << log;
  const std::size_t kept = tiles_done(out);
  EXPECT_GT(kept, 0u) << "tiles committed before the disk filled up were lost";
  EXPECT_LT(kept, CubeReader(dir.file("reference.h5")).tiles_done().size());

  auto resumed = run_cli({"run", spec, "-o", out, "--progress", "none"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find(std::to_string(kept) + " resumed"), std::string::npos) << resumed.output;
  expect_same_cube(dir.file("reference.h5"), out);
}

}  // namespace
}  // namespace eqsweep::testing
