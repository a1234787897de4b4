// A design run killed with kill -9 and rerun finishes with a cube identical, byte for byte, to an
// uninterrupted run: the design's points come from the seed alone, so every resume sweeps the
// same points and copies the finished tiles of the killed file.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "support/cli_child.hpp"
#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

namespace fs = std::filesystem;

// A scrambled Sobol' design of 2^21 points: long enough that kills land between commits.
const char* kSpec =
    "model = \"ye2025\"\n"
    "outputs = [\"N.*\", \"Y.pi_M\", \"Y.q_B\"]\n"
    "[fixed]\nGamma = 0.2\n"
    "[design]\nkind = \"sobol\"\npoints = 2097152\nseed = 99\n"
    "[design.parameters]\ntheta = [0.05, 0.95]\nk = { range = [0.01, 0.9], log = true }\nt = [0.0, 1.0]\nsigma = [0.1, 1.0]\n";

TEST(DesignResume, ASobolRunKilledWithKill9AndRerunIsIdenticalToAnUninterruptedRun) {
  ScratchDir dir("design_kill9");
  const std::string spec = dir.file("sobol.toml");
  write_text(spec, kSpec);
  ASSERT_EQ(wait_exit(start_run(spec, dir.file("reference.h5"), dir.file("reference.log"))), 0)
      << read_text(dir.file("reference.log"));
  const std::size_t total = CubeReader(dir.file("reference.h5")).tiles_done().size();

  const std::string out = dir.file("killed.h5");
  int kills_mid_run = 0;
  // Each kill lands once the run reports the next share of points done (each rerun resumes the
  // last); a kill before the first commit leaves nothing to resume and is only counted out.
  for (double percent : {20.0, 40.0, 60.0, 80.0}) {
    const pid_t pid = start_run(spec, out, dir.file("killed.log"), {}, {.progress_lines = true});
    const bool mid_run = await_progress(pid, dir.file("killed.log"), percent);
    kill(pid, SIGKILL);
    const int rc = wait_exit(pid);
    if (!mid_run && rc == 0) break;
    if (!fs::exists(out)) continue;
    const std::size_t done = tiles_done(out);
    if (done > 0 && done < total) ++kills_mid_run;
  }
  EXPECT_GE(kills_mid_run, 1) << "no kill landed while tiles were being written; the test proved nothing";
  ASSERT_EQ(wait_exit(start_run(spec, out, dir.file("final.log"))), 0) << read_text(dir.file("final.log"));
  EXPECT_NE(read_text(dir.file("final.log")).find("resumed"), std::string::npos);
  EXPECT_EQ(tiles_done(out), total);
  expect_same_cube(dir.file("reference.h5"), out);
}

}  // namespace
}  // namespace eqsweep::testing
