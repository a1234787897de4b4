// A design run killed with kill -9 and rerun finishes with a cube identical, byte for byte, to an
// uninterrupted run: the design's points come from the seed alone, so every resume sweeps the
// same points and copies the finished tiles of the killed file.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "support/cli_child.hpp"
#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

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
  const auto t0 = Clock::now();
  ASSERT_EQ(wait_exit(start_run(spec, dir.file("reference.h5"), dir.file("reference.log"))), 0)
      << read_text(dir.file("reference.log"));
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const std::size_t total = CubeReader(dir.file("reference.h5")).tiles_done().size();

  const std::string out = dir.file("killed.h5");
  int kills_mid_run = 0;
  // Loading the spec (generating the points) takes a part of the run; kills before the first
  // commit leave nothing to resume and are only counted out.
  for (double fraction : {0.5, 0.6, 0.7, 0.8, 0.9}) {
    const pid_t pid = start_run(spec, out, dir.file("killed.log"));
    std::this_thread::sleep_for(std::chrono::duration<double>(fraction * seconds));
    kill(pid, SIGKILL);
    if (wait_exit(pid) == 0) break;
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
