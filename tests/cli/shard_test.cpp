// Sharded runs and their merge, through the real binary: shards K/N computed separately (one
// killed with SIGKILL and resumed), merged in any order into a cube equal in every dataset to a
// single run; merges that cannot be right are refused before anything is written.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

namespace fs = std::filesystem;

// Model Y with a threshold, so that the merge must also run the analyses on the whole grid.
std::string y_spec(double k, int theta_points = 40) {
  return "model = \"ye2025\"\n"
         "outputs = [\"N.pi_M\", \"Y.pi_M\"]\n"
         "[fixed]\nk = " + std::to_string(k) + "\nsigma = 0.5\nGamma = 0.2\n"
         "[[axis]]\nname = \"theta\"\nlinspace = [0.02, 0.98, " + std::to_string(theta_points) + "]\n"
         "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 50]\n"
         "[[threshold]]\nindicator = \"Y.pi_M\"\nminus = \"N.pi_M\"\naxis = \"t\"\n"
         "[run]\nchunk = [2, 50]\n";
}

// Model M, decentralized, warm-started along sigma; tiles of 5 points cut the continuation lines.
std::string m_spec() {
  return "model = \"ma_sue\"\nvariant = \"sue\"\ncontinuation = \"sigma\"\n"
         "[options]\nnetwork = \"" + source_dir() + "/sweeps/ma_sue/networks/example3_s1.toml\"\nequilibrium = \"decentralized\"\n"
         "[[axis]]\nname = \"sigma\"\nlinspace = [0.06, 0.16, 36]\n"
         "[run]\nchunk = [5]\n";
}

// The datasets, and also which analyses are done and the spec they claim.
void expect_same_merged_cube(const std::string& expected, const std::string& actual) {
  expect_same_cube(expected, actual);
  const CubeReader a(expected), b(actual);
  EXPECT_EQ(a.analysis_done(), b.analysis_done());
  EXPECT_EQ(a.string_attribute("spec_fingerprint"), b.string_attribute("spec_fingerprint"));
}

std::string shard_file(const ScratchDir& dir, int k, int n) {
  return dir.file("cube.shard-" + std::to_string(k) + "-of-" + std::to_string(n) + ".h5");
}

void run_shard(const std::string& spec, const ScratchDir& dir, int k, int n) {
  const auto r = run_cli({"run", spec, "-o", dir.file("cube.h5"), "--shard", std::to_string(k) + "/" + std::to_string(n),
                          "--threads", "1", "--progress", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(fs::exists(shard_file(dir, k, n))) << r.output;
}

void check_shards_merge_to_the_single_run(const std::string& spec_text, const std::string& name, int n) {
  ScratchDir dir(name);
  const std::string spec = dir.file("spec.toml");
  write_text(spec, spec_text);
  const auto ref = run_cli({"run", spec, "-o", dir.file("reference.h5"), "--threads", "2", "--progress", "none"});
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  for (int k = n - 1; k >= 0; --k) run_shard(spec, dir, k, n);
  // A shard holds only its own tiles and leaves the analyses to the merge.
  const auto done = CubeReader(shard_file(dir, 1, n)).tiles_done();
  for (std::size_t t = 0; t < done.size(); ++t) EXPECT_EQ(done[t] != 0, t % static_cast<std::size_t>(n) == 1) << t;
  const auto info = run_cli({"info", shard_file(dir, 1, n)});
  EXPECT_NE(info.output.find("shard 1 of " + std::to_string(n)), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("complete: merge the shards"), std::string::npos) << info.output;

  std::vector<std::string> args = {"merge"};
  for (int k = n - 1; k >= 0; --k) args.push_back(shard_file(dir, k, n));  // any order
  args.insert(args.end(), {"-o", dir.file("merged.h5"), "--threads", "2"});
  const auto merged = run_cli(args);
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  expect_same_merged_cube(dir.file("reference.h5"), dir.file("merged.h5"));
  EXPECT_FALSE(fs::exists(dir.file("merged.h5.partial")));
}

TEST(Shards, FourShardsOfAModelYSweepMergeToTheSingleRunIncludingItsThreshold) {
  check_shards_merge_to_the_single_run(y_spec(0.5), "shards_y", 4);
}

// The merged cube is an ordinary cube for the Python stack researchers plot with.
TEST(Shards, XarrayOpensAMergedCubeWithNamedCoordinates) {
  ScratchDir dir("shards_xarray");
  const std::string spec = dir.file("spec.toml");
  write_text(spec, y_spec(0.5));
  run_shard(spec, dir, 0, 2);
  run_shard(spec, dir, 1, 2);
  const std::string merged = dir.file("merged.h5");
  ASSERT_EQ(run_cli({"merge", shard_file(dir, 0, 2), shard_file(dir, 1, 2), "-o", merged}).exit_code, 0);
  const std::string script = dir.file("open.py");
  write_text(script,
             "import sys\n"
             "try:\n    import hdf5plugin  # filters of non-default codecs\nexcept ImportError:\n    pass\n"
             "import numpy as np, xarray as xr\n"
             "ds = xr.open_dataset(sys.argv[1], engine='h5netcdf')\n"
             "assert ds['Y.pi_M'].dims == ('theta', 't'), ds['Y.pi_M'].dims\n"
             "assert ds.sizes['theta'] == 40 and ds.sizes['t'] == 50, dict(ds.sizes)\n"
             "assert int((ds.status == 3).sum()) == 0, 'tiles missing after the merge'\n"
             "assert (ds['threshold_count.Y.pi_M-N.pi_M.t'] >= 0).all(), 'threshold not run after the merge'\n"
             "print('ok')\n");
  const std::string cmd = "/usr/bin/python3 '" + script + "' '" + merged + "' 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  EXPECT_EQ(::pclose(pipe), 0) << out;
  EXPECT_NE(out.find("ok"), std::string::npos) << out;
}

TEST(Shards, ThreeShardsOfAWarmStartedModelMSweepMergeToTheSingleRun) {
  check_shards_merge_to_the_single_run(m_spec(), "shards_m", 3);
}

// Kills a shard with SIGKILL while it writes, resumes it with the same command, and checks the
// merge still equals the single run.
TEST(Shards, AShardKilledWithKill9ResumesAndTheMergeIsUnchanged) {
  ScratchDir dir("shards_kill");
  const std::string spec = dir.file("spec.toml");
  write_text(spec, y_spec(0.5, 20000));
  const auto ref = run_cli({"run", spec, "-o", dir.file("reference.h5"), "--progress", "none"});
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  bool killed_mid_run = false;
  for (double wait_s : {0.15, 0.3, 0.6, 1.2, 2.4}) {
    const pid_t pid = fork();
    if (pid == 0) {
      const std::string cli = cli_path(), out = dir.file("cube.h5");
      std::freopen(dir.file("killed.log").c_str(), "w", stdout);
      execl(cli.c_str(), cli.c_str(), "run", spec.c_str(), "-o", out.c_str(), "--shard", "1/2", "--threads", "1",
            "--progress", "none", "--commit-interval", "0.02", static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(wait_s));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) break;  // finished before the kill
    if (!fs::exists(shard_file(dir, 1, 2))) continue;
    if (tiles_done(shard_file(dir, 1, 2)) > 0) {
      killed_mid_run = true;
      break;
    }
  }
  EXPECT_TRUE(killed_mid_run) << "no kill landed while the shard was writing; the test proved nothing";
  run_shard(spec, dir, 1, 2);  // the same command resumes it
  run_shard(spec, dir, 0, 2);
  const auto merged = run_cli({"merge", shard_file(dir, 0, 2), shard_file(dir, 1, 2), "-o", dir.file("merged.h5")});
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  expect_same_merged_cube(dir.file("reference.h5"), dir.file("merged.h5"));
}

TEST(Shards, APartialMergeIsCompletedByARunOfTheSpec) {
  ScratchDir dir("shards_partial");
  const std::string spec = dir.file("spec.toml");
  write_text(spec, y_spec(0.5));
  ASSERT_EQ(run_cli({"run", spec, "-o", dir.file("reference.h5"), "--progress", "none"}).exit_code, 0);
  run_shard(spec, dir, 0, 3);
  run_shard(spec, dir, 2, 3);

  const auto refused = run_cli({"merge", shard_file(dir, 0, 3), shard_file(dir, 2, 3), "-o", dir.file("merged.h5")});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("shard 1 of 3 missing"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find(shard_file(dir, 1, 3)), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(dir.file("merged.h5")));

  const auto partial =
      run_cli({"merge", shard_file(dir, 0, 3), shard_file(dir, 2, 3), "-o", dir.file("merged.h5"), "--partial"});
  ASSERT_EQ(partial.exit_code, 0) << partial.output;
  EXPECT_NE(partial.output.find("partial merge"), std::string::npos) << partial.output;
  const auto rest = run_cli({"run", spec, "-o", dir.file("merged.h5"), "--progress", "none"});
  ASSERT_EQ(rest.exit_code, 0) << rest.output;
  expect_same_merged_cube(dir.file("reference.h5"), dir.file("merged.h5"));
}

void expect_merge_refused(const std::vector<std::string>& shards, const std::string& out, const std::string& words) {
  std::vector<std::string> args = {"merge"};
  args.insert(args.end(), shards.begin(), shards.end());
  args.insert(args.end(), {"-o", out});
  const auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(words), std::string::npos) << "expected '" << words << "' in: " << r.output;
  EXPECT_FALSE(fs::exists(out)) << "a refused merge wrote " << out;
}

TEST(Shards, MergesOfMixedOrDuplicateShardsAreRefusedNamingTheShards) {
  ScratchDir dir("shards_refuse");
  const std::string a = dir.file("a.toml"), b = dir.file("b.toml");
  write_text(a, y_spec(0.5));
  write_text(b, y_spec(0.6));
  run_shard(a, dir, 0, 2);
  run_shard(a, dir, 1, 2);
  const auto other = run_cli({"run", b, "-o", dir.file("other.h5"), "--shard", "1/2", "--progress", "none"});
  ASSERT_EQ(other.exit_code, 0) << other.output;
  const auto four = run_cli({"run", a, "-o", dir.file("four.h5"), "--shard", "1/4", "--progress", "none"});
  ASSERT_EQ(four.exit_code, 0) << four.output;
  const auto whole = run_cli({"run", a, "-o", dir.file("whole.h5"), "--progress", "none"});
  ASSERT_EQ(whole.exit_code, 0) << whole.output;

  const std::string out = dir.file("merged.h5");
  expect_merge_refused({shard_file(dir, 0, 2), shard_file(dir, 0, 2)}, out, "given twice");
  expect_merge_refused({shard_file(dir, 0, 2), dir.file("other.shard-1-of-2.h5")}, out, "written by a different spec");
  expect_merge_refused({shard_file(dir, 0, 2), dir.file("four.shard-1-of-4.h5")}, out, "is a shard of 2");
  expect_merge_refused({shard_file(dir, 0, 2), dir.file("whole.h5")}, out, "not a shard cube");
  expect_merge_refused({dir.file("no-such.h5")}, out, "no-such.h5");
}

TEST(Shards, AutoReadsTheLaunchersRankAndSize) {
  ScratchDir dir("shards_auto");
  const std::string spec = dir.file("spec.toml");
  write_text(spec, y_spec(0.5, 8));
  auto run_auto = [&] { return run_cli({"run", spec, "-o", dir.file("cube.h5"), "--shard", "auto", "--progress", "none"}); };

  const auto none = run_auto();
  EXPECT_EQ(none.exit_code, 2) << none.output;
  EXPECT_NE(none.output.find("no launcher variables"), std::string::npos) << none.output;

  setenv("SLURM_ARRAY_TASK_ID", "3", 1);
  setenv("SLURM_ARRAY_TASK_MIN", "2", 1);
  setenv("SLURM_ARRAY_TASK_COUNT", "2", 1);
  const auto slurm = run_auto();
  unsetenv("SLURM_ARRAY_TASK_ID");
  unsetenv("SLURM_ARRAY_TASK_MIN");
  unsetenv("SLURM_ARRAY_TASK_COUNT");
  EXPECT_EQ(slurm.exit_code, 0) << slurm.output;
  EXPECT_NE(slurm.output.find("shard 1 of 2 (from SLURM_ARRAY_TASK_ID"), std::string::npos) << slurm.output;
  EXPECT_TRUE(fs::exists(shard_file(dir, 1, 2)));

  setenv("OMPI_COMM_WORLD_RANK", "0", 1);
  setenv("OMPI_COMM_WORLD_SIZE", "3", 1);
  const auto mpi = run_auto();
  unsetenv("OMPI_COMM_WORLD_RANK");
  unsetenv("OMPI_COMM_WORLD_SIZE");
  EXPECT_EQ(mpi.exit_code, 0) << mpi.output;
  EXPECT_NE(mpi.output.find("OMPI_COMM_WORLD_RANK"), std::string::npos) << mpi.output;
  EXPECT_TRUE(fs::exists(shard_file(dir, 0, 3)));
}

}  // namespace
}  // namespace eqsweep::testing
