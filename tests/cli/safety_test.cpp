// Safety of `eqsweep run` (issue 15, docs/safety.md), driven through the real binary: exit code 3
// for failed points, one writer per cube (a real second process), Ctrl-C / SIGTERM with real
// signals, size estimates and limits, and the small traps of the command line.
//
// Slow tiles come from model M's projection solver with a capped iteration count: each point
// runs to the cap and fails (status 2), so a tile of four points lasts over a second (a cap of
// 150 000, 0.14 s a tile on a quiet machine, let whole runs end before the signal arrived).
// The runs allow that (run.max_failed_fraction = 1).

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::string fig7_spec() { return source_dir() + "/sweeps/ma_sue/fig7_sigma_central.toml"; }

// Model M with every point failing after `iterations` solver iterations.
std::vector<std::string> failing_points(int iterations) {
  return {"--set", "options.max_iterations=" + std::to_string(iterations), "--set", "axis[0].linspace=[0.08, 0.16, 6]"};
}

// 16 points in 4 tiles of 4 slow points each (see the file comment).
std::vector<std::string> slow_tiles() {
  return {"--set", "options.solver=projection", "--set", "options.max_iterations=1000000",
          "--set", "axis[0].linspace=[0.08, 0.16, 16]", "--set", "run.chunk=[4]",
          "--set", "run.max_failed_fraction=1", "--progress", "none", "--commit-interval", "0.02"};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// `eqsweep ARGS...` as a child process with stdout and stderr into `log`.
pid_t start_cli(const std::vector<std::string>& args, const std::string& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    FILE* f = freopen(log.c_str(), "w", stdout);
    (void)f;
    dup2(fileno(stdout), fileno(stderr));
    const std::string cli = cli_path();
    std::vector<char*> argv{const_cast<char*>(cli.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(cli.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status); }

// The exit code, or nullopt if the child is still running after `timeout`.
std::optional<int> wait_for(pid_t pid, std::chrono::duration<double> timeout) {
  const auto end = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return exit_code(status);
    if (Clock::now() > end) return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return exit_code(status);
}

// Waits until `predicate` holds (true) or `timeout` passes (false).
template <class Predicate>
bool eventually(Predicate predicate, std::chrono::duration<double> timeout) {
  const auto end = Clock::now() + timeout;
  while (!predicate()) {
    if (Clock::now() > end) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string host_name() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Item 2: failed points

TEST(FailedPoints, ARunWhosePointsFailExitsWith3AndSaysHowMany) {
  ScratchDir dir("failed_points");
  const std::string out = dir.file("cube.h5");
  auto r = run_cli(concat({"run", fig7_spec(), "-o", out, "--progress", "none"}, failing_points(1)));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(contains(r.output, "6 of 6 points failed")) << r.output;
  EXPECT_TRUE(contains(r.output, "run.max_failed_fraction")) << r.output;
  EXPECT_TRUE(contains(r.output, "0 solved, 0 infeasible, 6 failed, 0 not computed")) << r.output;
  ASSERT_TRUE(fs::exists(out)) << "the cube is kept";

  // The rerun computes nothing, and still counts the cube's failed points.
  auto again = run_cli(concat({"run", fig7_spec(), "-o", out, "--progress", "none"}, failing_points(1)));
  EXPECT_EQ(again.exit_code, 3) << again.output;
  EXPECT_TRUE(contains(again.output, "already complete")) << again.output;
  EXPECT_TRUE(contains(again.output, "6 failed")) << again.output;

  // info counts the whole cube too.
  auto info = run_cli({"info", out});
  EXPECT_EQ(info.exit_code, 0) << info.output;
  EXPECT_TRUE(contains(info.output, "6 points: 0 solved (0.0%), 0 infeasible (0.0%), 6 failed (100.0%)")) << info.output;
}

TEST(FailedPoints, TheSpecMayAllowAFractionOfFailedPoints) {
  ScratchDir dir("failed_allowed");
  auto allowed = run_cli(concat({"run", fig7_spec(), "-o", dir.file("a.h5"), "--progress", "none", "--set",
                                 "run.max_failed_fraction=1"},
                                failing_points(1)));
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
  auto too_few = run_cli(concat({"run", fig7_spec(), "-o", dir.file("b.h5"), "--progress", "none", "--set",
                                 "run.max_failed_fraction=0.5"},
                                failing_points(1)));
  EXPECT_EQ(too_few.exit_code, 3) << too_few.output;
  // Enough iterations: every point solves, exit 0 with the default (no failure allowed).
  auto solved = run_cli(concat({"run", fig7_spec(), "-o", dir.file("c.h5"), "--progress", "none"}, failing_points(0)));
  EXPECT_EQ(solved.exit_code, 0) << solved.output;
  EXPECT_TRUE(contains(solved.output, "6 solved, 0 infeasible, 0 failed, 0 not computed")) << solved.output;
}

TEST(FailedPoints, InfoOfAnUnfinishedCubeCountsTheRestAsNotComputed) {
  ScratchDir dir("failed_unfinished");
  const std::string out = dir.file("cube.h5");
  const pid_t run = start_cli(concat({"run", fig7_spec(), "-o", out, "--threads", "1"}, slow_tiles()), dir.file("run.log"));
  ASSERT_TRUE(eventually([&] { return fs::exists(out) && tiles_done(out) >= 1; }, 60s)) << read_text(dir.file("run.log"));
  kill(run, SIGKILL);
  wait_exit(run);
  const std::size_t done = tiles_done(out);
  auto info = run_cli({"info", out});
  EXPECT_EQ(info.exit_code, 0) << info.output;
  const std::size_t failed = 4 * done, missing = 16 - 4 * done;
  EXPECT_TRUE(contains(info.output, "16 points: 0 solved (0.0%), 0 infeasible (0.0%), " + std::to_string(failed) + " failed"))
      << info.output;
  EXPECT_TRUE(contains(info.output, std::to_string(missing) + " not computed")) << info.output;
}

TEST(ExitCodes, HelpListsEveryExitCode) {
  auto help = run_cli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* code : {"0 success", "1 the run failed", "2 usage or bad input", "3 the run finished but points failed",
                           "130 interrupted"})
    EXPECT_TRUE(contains(help.output, code)) << code << "\n" << help.output;
}

// ---------------------------------------------------------------------------------------------
// Item 3: one writer per cube

TEST(OutputLock, ASecondRunOnTheSameOutputIsRefusedNamingTheHolderAndAKilledHolderNeverBlocks) {
  ScratchDir dir("lock");
  const std::string out = dir.file("cube.h5"), lock = out + ".lock";
  const auto args = concat({"run", fig7_spec(), "-o", out}, slow_tiles());
  const pid_t first = start_cli(concat(args, {"--threads", "1"}), dir.file("first.log"));
  ASSERT_TRUE(eventually([&] { return contains(read_text(lock), "pid "); }, 60s)) << read_text(dir.file("first.log"));

  auto second = run_cli(args);
  EXPECT_EQ(second.exit_code, 2) << second.output;
  EXPECT_TRUE(contains(second.output, "being written by another eqsweep run")) << second.output;
  EXPECT_TRUE(contains(second.output, "PID " + std::to_string(first))) << second.output;
  EXPECT_TRUE(contains(second.output, "host " + host_name())) << second.output;
  EXPECT_FALSE(wait_for(first, 0s)) << "the first run ended before the second was refused; the test proved nothing";

  // kill -9 leaves the lock file behind; the kernel has released the lock, so the rerun resumes.
  kill(first, SIGKILL);
  EXPECT_EQ(wait_exit(first), -SIGKILL);
  EXPECT_TRUE(fs::exists(lock));
  auto resumed = run_cli(args);
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_TRUE(contains(resumed.output, "completed")) << resumed.output;
  EXPECT_EQ(tiles_done(out), 4u);
  EXPECT_FALSE(fs::exists(lock)) << "a finished run removes its lock file";
}

TEST(OutputLock, AStaleLockFileNeverBlocks) {
  ScratchDir dir("stale_lock");
  const std::string out = dir.file("cube.h5");
  write_text(out + ".lock", "pid 999999 host elsewhere since 2020-01-01T00:00:00Z\n");
  auto r = run_cli(concat({"run", fig7_spec(), "-o", out, "--progress", "none"}, failing_points(0)));
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

// ---------------------------------------------------------------------------------------------
// Item 5: Ctrl-C and SIGTERM

class Signals : public ::testing::Test {
 protected:
  // The uninterrupted cube the interrupted and resumed ones must equal.
  void SetUp() override {
    auto ref = run_cli(concat({"run", fig7_spec(), "-o", dir_.file("reference.h5"), "--threads", "2"}, slow_tiles()));
    ASSERT_EQ(ref.exit_code, 0) << ref.output;
  }

  // Starts the run and waits until it solves tiles.
  pid_t start(const std::string& out) {
    const pid_t pid = start_cli(concat({"run", fig7_spec(), "-o", out, "--threads", "2"}, slow_tiles()), log());
    EXPECT_TRUE(eventually([&] { return fs::exists(out); }, 60s)) << read_text(log());
    std::this_thread::sleep_for(200ms);
    return pid;
  }

  std::string log() const { return dir_.file("run.log"); }

  void expect_resume_identical(const std::string& out) {
    auto resumed = run_cli(concat({"run", fig7_spec(), "-o", out, "--threads", "2"}, slow_tiles()));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    expect_same_cube(dir_.file("reference.h5"), out);
  }

  ScratchDir dir_{"signals"};
};

TEST_F(Signals, CtrlCIsAcknowledgedAtOnceAndASecondCtrlCStopsNow) {
  const std::string out = dir_.file("cube.h5");
  const pid_t run = start(out);
  ASSERT_FALSE(wait_for(run, 0s)) << read_text(log());
  const auto sent = Clock::now();
  kill(run, SIGINT);
  ASSERT_TRUE(eventually([&] { return contains(read_text(log()), "Ctrl-C again to stop now"); }, 10s)) << read_text(log());
  const double ack_seconds = std::chrono::duration<double>(Clock::now() - sent).count();
  EXPECT_LT(ack_seconds, 5.0) << "the acknowledgement waited for the tiles in flight";
  const std::string ack = read_text(log());
  EXPECT_TRUE(contains(ack, "interrupt received; finishing ")) << ack;
  EXPECT_TRUE(contains(ack, " in flight")) << ack;

  kill(run, SIGINT);
  const auto code = wait_for(run, 30s);
  ASSERT_TRUE(code) << "a second Ctrl-C did not end the run: " << read_text(log());
  EXPECT_EQ(*code, 130) << read_text(log());
  // Either the second signal stopped it at once, or the tiles in flight had just finished.
  const std::string text = read_text(log());
  EXPECT_TRUE(contains(text, "stopping now") || contains(text, "interrupted")) << text;
  expect_resume_identical(out);
}

TEST_F(Signals, SigtermFinishesTheTilesInFlightAndTheResumeIsIdentical) {
  const std::string out = dir_.file("cube.h5");
  const pid_t run = start(out);
  kill(run, SIGTERM);
  const auto code = wait_for(run, 60s);
  ASSERT_TRUE(code) << read_text(log());
  EXPECT_EQ(*code, 130) << read_text(log());
  const std::string text = read_text(log());
  EXPECT_TRUE(contains(text, "interrupt received")) << text;
  EXPECT_TRUE(contains(text, "interrupted; finished tiles are kept")) << text;
  EXPECT_LT(tiles_done(out), 4u) << "no new tiles may be handed out after the signal";
  expect_resume_identical(out);
}

// A signal during a step that runs to its end (the resume copy, the analyses) is acknowledged
// within a second ("stopping after the current step"); a second one ends the run within two
// seconds with 130 ("stopping now").
void expect_step_acknowledged_then_stopped(pid_t run, int sig, const std::string& log) {
  const auto sent = Clock::now();
  kill(run, sig);
  ASSERT_TRUE(eventually([&] { return contains(read_text(log), "stopping after the current step"); }, 5s)) << read_text(log);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - sent).count(), 1.0) << read_text(log);
  ASSERT_FALSE(wait_for(run, 0s)) << "the run ended before the second signal: " << read_text(log);
  const auto second = Clock::now();
  kill(run, sig);
  const auto code = wait_for(run, 10s);
  ASSERT_TRUE(code) << read_text(log);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - second).count(), 2.0);
  EXPECT_EQ(*code, 130) << read_text(log);
  EXPECT_TRUE(contains(read_text(log), "stopping now")) << read_text(log);
}

// sweeps/demo.toml in 24321 tiles of 2 x 2 points: the resume copy of a whole cube takes seconds.
std::vector<std::string> many_tiles(const std::string& out) {
  return {"run", source_dir() + "/sweeps/demo.toml", "-o", out, "--progress", "none", "--set", "run.chunk=[2, 2]"};
}

// Writes `reference`, then `out` with every tile finished but the final stamp killed, and starts
// the rerun of `out` (`run`), which copies the whole cube into OUT.partial for seconds; returns once
// the copy is under way.
void start_rerun_copying(const std::string& reference, const std::string& out, const std::string& log, pid_t& run) {
  ASSERT_EQ(run_cli(many_tiles(reference)).exit_code, 0);
  ::setenv("EQSWEEP_TEST_KILL_IN_FINAL_STAMP", "1", 1);
  ASSERT_EQ(run_cli(many_tiles(out)).exit_code, 128 + SIGKILL);
  ::unsetenv("EQSWEEP_TEST_KILL_IN_FINAL_STAMP");
  run = start_cli(many_tiles(out), log);
  ASSERT_TRUE(eventually([&] { return fs::exists(out + ".partial"); }, 30s)) << read_text(log);
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(fs::exists(out + ".partial")) << "the copy ended before the signal; the test proved nothing";
}

// A signal while a rerun copies the finished tiles into OUT.partial: acknowledged within a second
// ("stopping after the current step"), a second signal ends the run within two seconds with
// 130, and the next rerun completes the cube with the same datasets.
TEST(SignalsDuringResumeCopy, ASignalIsAcknowledgedAtOnceAndASecondStopsTheCopyNow) {
  for (const int sig : {SIGINT, SIGTERM}) {
    ScratchDir dir(sig == SIGINT ? "copy_sigint" : "copy_sigterm");
    const std::string out = dir.file("cube.h5"), reference = dir.file("reference.h5"), log = dir.file("run.log");
    pid_t run = -1;
    start_rerun_copying(reference, out, log, run);
    if (HasFatalFailure()) return;
    expect_step_acknowledged_then_stopped(run, sig, log);
    if (HasFatalFailure()) return;

    auto rerun = run_cli(many_tiles(out));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
    expect_same_cube(reference, out);
  }
}

// One signal during the copy: the copy finishes, then the run stops before any tile with 130.
TEST(SignalsDuringResumeCopy, OneSignalLetsTheCopyFinishAndStopsBeforeAnyTile) {
  ScratchDir dir("copy_one_signal");
  const std::string out = dir.file("cube.h5"), reference = dir.file("reference.h5"), log = dir.file("run.log");
  pid_t run = -1;
  start_rerun_copying(reference, out, log, run);
  if (HasFatalFailure()) return;
  kill(run, SIGTERM);
  const auto code = wait_for(run, 120s);
  ASSERT_TRUE(code) << read_text(log);
  EXPECT_EQ(*code, 130) << read_text(log);
  EXPECT_TRUE(contains(read_text(log), "interrupted; finished tiles are kept")) << read_text(log);
  EXPECT_FALSE(fs::exists(out + ".partial"));
  auto rerun = run_cli(many_tiles(out));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  expect_same_cube(reference, out);
}

// sweeps/demo.toml on 60 x 80 points (a tenth of a second of tiles) with a region map of the
// status refined 12 times: seconds of analyses (about 4 million extra solves).
std::vector<std::string> long_analyses(const ScratchDir& dir, const std::string& out) {
  const std::string spec = dir.file("region_map.toml");
  if (!fs::exists(spec))
    write_text(spec, read_text(source_dir() + "/sweeps/demo.toml") +
                         "\n[[region_map]]\nindicator = \"status\"\naxes = [\"theta\", \"t\"]\ndepth = 12\n");
  return {"run", spec, "-o", out, "--progress", "none", "--threads", "2", "--set", "axis[0].linspace=[0.02, 0.98, 60]",
          "--set", "axis[1].linspace=[0, 1, 80]"};
}

TEST(SignalsDuringAnalyses, ASignalIsAcknowledgedAtOnceAndASecondStopsTheAnalysesNow) {
  for (const int sig : {SIGINT, SIGTERM}) {
    ScratchDir dir(sig == SIGINT ? "analyses_sigint" : "analyses_sigterm");
    const std::string out = dir.file("cube.h5"), reference = dir.file("reference.h5"), log = dir.file("run.log");
    ASSERT_EQ(run_cli(long_analyses(dir, reference)).exit_code, 0);
    const std::size_t tiles = CubeReader(reference).tiles_done().size();

    const pid_t run = start_cli(long_analyses(dir, out), log);
    ASSERT_TRUE(eventually([&] { return fs::exists(out) && tiles_done(out) == tiles; }, 60s)) << read_text(log);
    std::this_thread::sleep_for(300ms);
    ASSERT_FALSE(wait_for(run, 0s)) << "the analyses ended before the signal; the test proved nothing: " << read_text(log);
    expect_step_acknowledged_then_stopped(run, sig, log);
    if (HasFatalFailure()) return;

    auto rerun = run_cli(long_analyses(dir, out));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
    expect_same_cube(reference, out);
  }
}

// ---------------------------------------------------------------------------------------------
// Item 6: a kill in the final stamp

// 1200 points of model Y's closed forms in 20 tiles: a run of a fraction of a second.
std::vector<std::string> small_demo(const std::string& out) {
  return {"run", source_dir() + "/sweeps/demo.toml", "-o", out, "--progress", "none",
          "--set", "axis[0].linspace=[0.02, 0.98, 30]", "--set", "axis[1].linspace=[0, 1, 40]", "--set", "run.chunk=[8, 8]"};
}

// The 64 MiB disk reservation ahead of the writer is given back: a small cube is small.
void expect_no_reservation_left(const std::string& path) {
  EXPECT_LT(fs::file_size(path), std::uintmax_t{16} << 20) << path << " still holds the writer's disk reservation";
}

TEST(FinalStamp, AKillInsideTheFinalStampLeavesACubeThatOpensAndAResumeCompletes) {
  ScratchDir dir("final_stamp");
  const std::string out = dir.file("cube.h5"), reference = dir.file("reference.h5");
  const auto args = small_demo;
  auto ref = run_cli(args(reference));
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  EXPECT_EQ(open_for_write_flags(reference), 0u) << "a finished cube opens in every reader";
  expect_no_reservation_left(reference);

  ::setenv("EQSWEEP_TEST_KILL_IN_FINAL_STAMP", "1", 1);
  auto killed = run_cli(args(out));
  ::unsetenv("EQSWEEP_TEST_KILL_IN_FINAL_STAMP");
  // run_cli goes through a shell, which reports a killed child as 128 + the signal.
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << "the hook did not fire: " << killed.output;
  EXPECT_NE(open_for_write_flags(out), 0u) << "the kill left no open-for-write mark; the test proved nothing";

  // It opens (SWMR readers, info) with every tile, and does not count as finished.
  EXPECT_EQ(tiles_done(out), 20u);
  EXPECT_FALSE(CubeReader(out).has_attribute("end_time"));
  auto info = run_cli({"info", out});
  EXPECT_EQ(info.exit_code, 0) << info.output;

  auto resumed = run_cli(args(out));
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_FALSE(contains(resumed.output, "--overwrite")) << resumed.output;
  EXPECT_EQ(open_for_write_flags(out), 0u);
  const CubeReader cube(out);
  EXPECT_TRUE(cube.has_attribute("end_time"));
  EXPECT_EQ(cube.number_attribute("resumes"), 1.0);
  expect_same_cube(reference, out);
  expect_no_reservation_left(out);
}

// What HDF5 leaves when a writer that is not in SWMR mode dies (older eqsweep stamped the end
// provenance that way): every reader refuses the file. A rerun must recover it, never advise
// --overwrite, and info must say how.
TEST(FinalStamp, AFileLeftOpenForWriteWithoutSwmrIsRecoveredByTheRerun) {
  ScratchDir dir("open_for_write");
  const std::string out = dir.file("cube.h5");
  const auto args = small_demo(out);
  ASSERT_EQ(run_cli(args).exit_code, 0);
  const pid_t child = fork();
  if (child == 0) {
    // Opening read-write sets the mark on disk at once; _exit skips the close that clears it.
    const std::string script = "import h5py, os; f = h5py.File('" + out + "', 'r+'); f.flush(); os._exit(0)";
    execl("/usr/bin/python3", "python3", "-c", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_EQ(wait_exit(child), 0) << "needs Debian's python3-h5py";
  ASSERT_NE(open_for_write_flags(out), 0u);
  EXPECT_THROW(CubeReader{out}, CubeIoError);

  auto info = run_cli({"info", out});
  EXPECT_NE(info.exit_code, 0);
  EXPECT_TRUE(contains(info.output, "rerun the same `eqsweep run` command")) << info.output;

  auto rerun = run_cli(args);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_FALSE(contains(rerun.output, "--overwrite")) << rerun.output;
  EXPECT_EQ(open_for_write_flags(out), 0u);
  EXPECT_EQ(tiles_done(out), 20u);
}

TEST(FinalStamp, AnInterruptedRunGivesBackItsDiskReservation) {
  ScratchDir dir("reservation");
  const std::string out = dir.file("cube.h5");
  const pid_t run = start_cli(concat({"run", fig7_spec(), "-o", out, "--threads", "1"}, slow_tiles()), dir.file("run.log"));
  ASSERT_TRUE(eventually([&] { return fs::exists(out) && tiles_done(out) >= 1; }, 60s)) << read_text(dir.file("run.log"));
  kill(run, SIGINT);
  kill(run, SIGINT);
  EXPECT_EQ(wait_exit(run), 130) << read_text(dir.file("run.log"));
  expect_no_reservation_left(out);
}

// ---------------------------------------------------------------------------------------------
// Item 1: size estimates and limits

std::string grid_spec(const std::string& axes) {
  return "model = \"ye2025\"\n[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n" + axes;
}

std::string axis(const char* name, long count) {
  return "[[axis]]\nname = \"" + std::string(name) + "\"\nlinspace = [0.02, 0.98, " + std::to_string(count) + "]\n";
}

TEST(SizeLimits, AGridWhoseSizeOverflowsIsRefusedByValidateAndRun) {
  ScratchDir dir("overflow");
  std::string axes;
  for (const char* name : {"theta", "t", "k", "sigma", "Gamma", "m", "phi", "delta", "y"}) axes += axis(name, 200000);
  write_text(dir.file("huge.toml"), "model = \"ye2025\"\n" + axes);
  const auto t0 = Clock::now();
  auto v = run_cli({"validate", dir.file("huge.toml")});
  EXPECT_EQ(v.exit_code, 2) << v.output;
  EXPECT_TRUE(contains(v.output, "more than a sweep can hold")) << v.output;
  auto r = run_cli({"run", dir.file("huge.toml"), "-o", dir.file("huge.h5")});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "more than a sweep can hold")) << r.output;
  EXPECT_FALSE(fs::exists(dir.file("huge.h5")));
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 30.0);
}

TEST(SizeLimits, ATeraPointRunIsRefusedBeforeAnyWorkWithTheEstimate) {
  ScratchDir dir("tera");
  write_text(dir.file("tera.toml"), grid_spec(axis("theta", 1000000) + axis("t", 1000000)));
  auto v = run_cli({"validate", dir.file("tera.toml")});
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_TRUE(contains(v.output, "estimate: 1000000000000 points in")) << v.output;
  EXPECT_TRUE(contains(v.output, "refuses it unless --force")) << v.output;

  auto r = run_cli({"run", dir.file("tera.toml"), "-o", dir.file("tera.h5")});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "REFUSED before any work")) << r.output;
  EXPECT_TRUE(contains(r.output, "run.max_points")) << r.output;
  EXPECT_TRUE(contains(r.output, "before compression")) << r.output;
  EXPECT_FALSE(fs::exists(dir.file("tera.h5")));
  EXPECT_FALSE(fs::exists(dir.file("tera.h5.lock")));

  auto dry = run_cli({"run", dir.file("tera.toml"), "-o", dir.file("tera.h5"), "--dry-run"});
  EXPECT_EQ(dry.exit_code, 2) << dry.output;
  EXPECT_TRUE(contains(dry.output, "dry run")) << dry.output;

  // The refusal holds two axes of 10^6 values (16 MB), nothing per point or per tile (6 * 10^7
  // tiles: one byte each would be 61 MB). Measured as growth over the same binary refusing a
  // 600-point grid, so that a sanitizer's own memory (about 70 MB more under ASan, in both runs)
  // is not counted: at most 48 MB, three copies of the axes.
  write_text(dir.file("small.toml"), grid_spec(axis("theta", 20) + axis("t", 30)));
  auto peak_kb = [&](const std::vector<std::string>& args) -> long {
    const pid_t child = start_cli(args, dir.file("rss.log"));
    int status = 0;
    rusage usage{};
    EXPECT_EQ(wait4(child, &status, 0, &usage), child);
    EXPECT_EQ(exit_code(status), 2) << read_text(dir.file("rss.log"));
    return usage.ru_maxrss;
  };
  const long small = peak_kb({"run", dir.file("small.toml"), "-o", dir.file("small.h5"), "--set", "run.max_points=100"});
  const long tera = peak_kb({"run", dir.file("tera.toml"), "-o", dir.file("tera.h5")});
  EXPECT_LT(tera - small, 48 * 1024) << "kB of peak memory for the tera-point refusal (" << tera
                                       << " kB) over a 600-point one (" << small << " kB)";
}

TEST(SizeLimits, MaxPointsRefusesAndForceRuns) {
  ScratchDir dir("max_points");
  write_text(dir.file("small.toml"), grid_spec(axis("theta", 20) + axis("t", 30)));
  auto refused = run_cli({"run", dir.file("small.toml"), "-o", dir.file("a.h5"), "--set", "run.max_points=100"});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_TRUE(contains(refused.output, "600 points is more than run.max_points = 100")) << refused.output;
  EXPECT_FALSE(fs::exists(dir.file("a.h5")));
  auto forced = run_cli({"run", dir.file("small.toml"), "-o", dir.file("a.h5"), "--set", "run.max_points=100", "--force",
                         "--progress", "none"});
  EXPECT_EQ(forced.exit_code, 0) << forced.output;

  auto dry = run_cli({"run", dir.file("small.toml"), "-o", dir.file("b.h5"), "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_TRUE(contains(dry.output, "600 points in")) << dry.output;
  EXPECT_FALSE(fs::exists(dir.file("b.h5"))) << "a dry run writes nothing";
}

// ---------------------------------------------------------------------------------------------
// Item 8: small traps

TEST(Traps, OutputPathThatIsTheSpecIsRefusedAndTheSpecKept) {
  ScratchDir dir("out_is_spec");
  const std::string spec = dir.file("s.toml");
  write_text(spec, grid_spec(axis("theta", 4) + axis("t", 5)));
  const std::string before = read_text(spec);
  for (const auto& extra : {std::vector<std::string>{}, std::vector<std::string>{"--overwrite"}}) {
    auto r = run_cli(concat({"run", spec, "-o", spec}, extra));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "is the spec file itself")) << r.output;
    EXPECT_EQ(read_text(spec), before);
  }
}

// ---------------------------------------------------------------------------------------------
// Item 9: inputs and outputs that are not regular files

// /dev/zero read until memory ran out, and a FIFO blocked forever; each is refused at once.
TEST(NonRegularFiles, SpecAndNetworkFilesMustBeRegularFilesOfBoundedSize) {
  ScratchDir dir("non_regular_inputs");
  const std::string fifo = dir.file("spec.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& spec : {std::string("/dev/zero"), fifo}) {
    const auto start = Clock::now();
    auto v = run_cli({"validate", spec});
    EXPECT_EQ(v.exit_code, 2) << v.output;
    EXPECT_TRUE(contains(v.output, spec + ": is a ")) << v.output;
    EXPECT_TRUE(contains(v.output, "not a regular file")) << v.output;
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 10.0);
  }
  const std::string big = dir.file("big.toml");
  write_text(big, "model = \"ye2025\"\n# " + std::string(17u << 20, 'x') + "\n");
  auto too_big = run_cli({"validate", big});
  EXPECT_EQ(too_big.exit_code, 2) << too_big.output.substr(0, 2000);
  EXPECT_TRUE(contains(too_big.output, "more than the 16 MiB")) << too_big.output.substr(0, 2000);
  EXPECT_LT(too_big.output.size(), 4000u) << "the refusal echoes the file";

  auto network = run_cli(concat({"validate", fig7_spec()}, {"--set", "options.network=/dev/zero"}));
  EXPECT_EQ(network.exit_code, 2) << network.output;
  EXPECT_TRUE(contains(network.output, "/dev/zero: network file is a device, not a regular file")) << network.output;
}

TEST(NonRegularFiles, AnOutputThatIsAFifoALinkOrADeviceIsRefusedEvenWithOverwrite) {
  ScratchDir dir("non_regular_output");
  const std::string fifo = dir.file("out.fifo"), link = dir.file("link.h5"), target = dir.file("target.h5");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  write_text(target, "not a cube");
  fs::create_symlink(target, link);
  for (const auto& [out, what] : {std::pair{fifo, std::string("is a FIFO")}, std::pair{link, std::string("is a symbolic link")},
                                  std::pair{std::string("/dev/null"), std::string("is a device")}}) {
    for (const bool overwrite : {false, true}) {
      auto args = small_demo(out);
      if (overwrite) args.push_back("--overwrite");
      const auto start = Clock::now();
      auto r = run_cli(args);
      EXPECT_EQ(r.exit_code, 2) << out << "\n" << r.output;
      EXPECT_TRUE(contains(r.output, what)) << r.output;
      EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 10.0) << out;
    }
  }
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(read_text(target), "not a cube");
}

TEST(Traps, ASpecPathThatIsADirectorySaysSo) {
  ScratchDir dir("spec_dir");
  auto v = run_cli({"validate", dir.path()});
  EXPECT_EQ(v.exit_code, 2) << v.output;
  EXPECT_TRUE(contains(v.output, "is a directory")) << v.output;
  EXPECT_FALSE(contains(v.output, "model: missing")) << v.output;
}

TEST(Traps, ThreadsZeroMeansAllCoresAndAZeroProgressIntervalIsRefusedReadably) {
  ScratchDir dir("threads0");
  write_text(dir.file("s.toml"), grid_spec(axis("theta", 4) + axis("t", 5)));
  auto r = run_cli({"run", dir.file("s.toml"), "-o", dir.file("a.h5"), "--threads", "0", "--progress", "none"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  auto p = run_cli({"run", dir.file("s.toml"), "-o", dir.file("b.h5"), "--progress-interval", "0"});
  EXPECT_EQ(p.exit_code, 2) << p.output;
  EXPECT_TRUE(contains(p.output, "run.progress_interval: must be a number in (0, inf)")) << p.output;
  EXPECT_LT(p.output.size(), 400u) << p.output;
}

}  // namespace
}  // namespace eqsweep::testing
