// A full disk at every phase of `eqsweep run` and `eqsweep merge` (issue 15, item 9; docs/safety.md),
// through the real binary with a real ENOSPC: tests/support/full_disk_shim.c, preloaded, gives the
// process a disk with N bytes free. Every fault must end with exit code 1 and the system's
// message (HDF5 1.10.8 crashed in its exit cleanup after a failed flush: exit 139), and the
// cube left behind must resume, with room, to the same datasets as an uninterrupted run.
//
// Two kinds of disk: "reserve" (ext4, xfs: space that fallocate reserved is there when written)
// and "cow" (btrfs, ZFS: every write takes new space, fallocate guarantees nothing, so HDF5's own
// writes fail: creation, tiles, flushes, the analyses, the final stamp).

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// `eqsweep ARGS` on a disk with `free_bytes` free (negative: unlimited); `used`, when given,
// receives the bytes the run wrote.
CommandResult run_on_disk(const std::vector<std::string>& args, long long free_bytes, const std::string& mode,
                          long long* used = nullptr, const std::string& report = "") {
  ::setenv("LD_PRELOAD", EQSWEEP_FULL_DISK_SHIM, 1);
  ::setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1);  // a sanitizer build tolerates the shim
  ::setenv("EQSWEEP_TEST_DISK_MODE", mode.c_str(), 1);
  if (free_bytes >= 0) ::setenv("EQSWEEP_TEST_DISK_FREE", std::to_string(free_bytes).c_str(), 1);
  if (used) ::setenv("EQSWEEP_TEST_DISK_REPORT", report.c_str(), 1);
  auto r = run_cli(args);
  for (const char* name : {"LD_PRELOAD", "ASAN_OPTIONS", "EQSWEEP_TEST_DISK_MODE", "EQSWEEP_TEST_DISK_FREE",
                           "EQSWEEP_TEST_DISK_REPORT"})
    ::unsetenv(name);
  if (used) *used = std::atoll(read_text(report).c_str());
  return r;
}

// What a failed run says about where the disk filled up.
std::string phase_of(const std::string& output) {
  if (contains(output, "the sweep is complete but an analysis")) return "analyses";
  if (contains(output, "stamping provenance failed")) return "final stamp";
  if (contains(output, "writing the cube failed")) return "tiles";
  if (contains(output, "the earlier file (if any) is unchanged")) return "creation or resume copy";
  return "?";
}

// The full-disk failure every fault must end in: exit 1 (not a crash), the system's reason.
void expect_clean_failure(const CommandResult& r, const std::string& what) {
  EXPECT_EQ(r.exit_code, 1) << what << "\n" << r.output;
  EXPECT_TRUE(contains(r.output, "No space left on device")) << what << "\n" << r.output;
}

// Model Y's closed forms with three thresholds (the analyses phase re-solves along t): 1800
// points in 180 tiles, about 0.3 s. One thread and a single commit at the end, so that every
// run writes the same bytes in the same order and a byte count names one place in the run.
std::vector<std::string> with_analyses(const std::string& out) {
  return {"run", source_dir() + "/sweeps/ye2025/windows_t.toml", "-o", out, "--progress", "none", "--threads", "1",
          "--set", "run.chunk=[1, 1, 1, 10]", "--commit-interval", "1000"};
}

// 160000 points of sweeps/demo.toml, about 15 MB on disk: more than the 4 MiB kept free for
// metadata, so a reserving disk fills up between tiles.
std::vector<std::string> larger_demo(const std::string& out) {
  return {"run", source_dir() + "/sweeps/demo.toml", "-o", out, "--progress", "none", "--threads", "2",
          "--set", "axis[0].linspace=[0.02, 0.98, 400]", "--set", "axis[1].linspace=[0, 1, 400]",
          "--set", "run.chunk=[20, 20]", "--commit-interval", "0.01"};
}

void expect_resumes_to(const std::vector<std::string>& args, const std::string& reference, const std::string& out,
                       const std::string& what) {
  auto resumed = run_cli(args);
  ASSERT_EQ(resumed.exit_code, 0) << what << "\n" << resumed.output;
  expect_same_cube(reference, out);
}

// The phases of a run in the order they write.
int rank_of(const std::string& phase) {
  for (int r = 0; const char* p : {"creation or resume copy", "tiles", "analyses", "final stamp"}) {
    if (phase == p) return r;
    ++r;
  }
  return -1;
}

TEST(FullDisk, AtEveryPhaseOfARunWithAnalysesExits1Not139AndTheRerunGivesTheSameCube) {
  ScratchDir dir("full_disk_phases");
  const std::string reference = dir.file("reference.h5"), out = dir.file("cube.h5");
  long long total = 0;
  ASSERT_EQ(run_on_disk(with_analyses(reference), -1, "cow", &total, dir.file("used")).exit_code, 0);
  ASSERT_GT(total, 100000);

  std::map<std::string, int> phases;
  // Runs on a disk with `free` bytes free; returns where it failed ("" if it did not).
  const auto attempt = [&](long long free) -> std::string {
    fs::remove(out);
    const std::string what = "cow disk with " + std::to_string(free) + " of " + std::to_string(total) + " bytes free";
    auto r = run_on_disk(with_analyses(out), free, "cow");
    if (r.exit_code == 0) return "";  // its last write rewrote bytes that cost nothing
    expect_clean_failure(r, what);
    const std::string phase = phase_of(r.output);
    EXPECT_NE(phase, "?") << what << "\n" << r.output;
    ++phases[phase];
    EXPECT_FALSE(fs::exists(out + ".partial")) << what;
    if (fs::exists(out)) expect_resumes_to(with_analyses(out), reference, out, what);
    else EXPECT_EQ(phase, "creation or resume copy") << what << "\n" << r.output;
    return phase;
  };
  for (const long long free : {0LL, 1000LL, 20000LL, total / 4, total / 2, total * 3 / 4, total - 1000, total - 1})
    attempt(free);
  // The analyses write a few hundred bytes between the last tile commit and the final stamp:
  // the least free space that gets past every tile write fails in them.
  long long lo = total / 2, hi = total - 1;
  ASSERT_EQ(rank_of(attempt(lo)), rank_of("tiles"));
  ASSERT_GT(rank_of(attempt(hi)), rank_of("tiles"));
  while (hi - lo > 1) {
    const long long mid = lo + (hi - lo) / 2;
    const std::string phase = attempt(mid);
    ASSERT_FALSE(phase.empty()) << mid;
    (rank_of(phase) <= rank_of("tiles") ? lo : hi) = mid;
  }
  EXPECT_EQ(attempt(hi), "analyses") << hi << " bytes free";

  std::string seen;
  for (const auto& [phase, count] : phases) seen += phase + ": " + std::to_string(count) + "; ";
  for (const char* phase : {"creation or resume copy", "tiles", "analyses", "final stamp"})
    EXPECT_TRUE(phases.count(phase)) << "no fault landed in " << phase << " (" << seen << ")";
  EXPECT_FALSE(phases.count("?")) << seen;
}

TEST(FullDisk, AReservingDiskFillsUpAtCreationOrBetweenTilesAndTheCommittedTilesResume) {
  ScratchDir dir("full_disk_reserve");
  const std::string reference = dir.file("reference.h5"), out = dir.file("cube.h5");
  ASSERT_EQ(run_cli(larger_demo(reference)).exit_code, 0);
  const auto size = static_cast<long long>(fs::file_size(reference));

  auto at_creation = run_on_disk(larger_demo(out), 1000, "reserve");
  expect_clean_failure(at_creation, "creation");
  EXPECT_EQ(phase_of(at_creation.output), "creation or resume copy") << at_creation.output;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".partial"));

  // Room for the metadata reserve and about half of the tiles.
  auto mid_run = run_on_disk(larger_demo(out), (4 << 20) + size / 2, "reserve");
  expect_clean_failure(mid_run, "tiles");
  EXPECT_EQ(phase_of(mid_run.output), "tiles") << mid_run.output;
  const std::size_t done = tiles_done(out);
  EXPECT_GT(done, 0u) << mid_run.output;
  EXPECT_LT(done, 400u) << mid_run.output;
  EXPECT_EQ(open_for_write_flags(out), 0u) << "a clean close after the failure";

  // The resume copies the finished tiles into OUT.partial: a full disk there leaves OUT as it was.
  struct stat before {};
  ASSERT_EQ(::stat(out.c_str(), &before), 0);
  for (const auto& [free, mode] : {std::pair{static_cast<long long>(fs::file_size(out)) / 2, std::string("reserve")},
                                   std::pair{static_cast<long long>(fs::file_size(out)) / 2, std::string("cow")}}) {
    auto copy = run_on_disk(larger_demo(out), free, mode);
    expect_clean_failure(copy, "resume copy on a " + mode + " disk");
    EXPECT_EQ(phase_of(copy.output), "creation or resume copy") << copy.output;
    EXPECT_FALSE(fs::exists(out + ".partial"));
    struct stat after {};
    ASSERT_EQ(::stat(out.c_str(), &after), 0);
    EXPECT_EQ(after.st_ino, before.st_ino) << "the earlier file was replaced";
    EXPECT_EQ(tiles_done(out), done);
  }
  expect_resumes_to(larger_demo(out), reference, out, "after the full disks");
}

TEST(FullDisk, AMergeOnAFullDiskExits1AndTheRerunMergesTheSameCube) {
  ScratchDir dir("full_disk_merge");
  const std::string reference = dir.file("reference.h5"), out = dir.file("cube.h5");
  ASSERT_EQ(run_cli(with_analyses(reference)).exit_code, 0);
  std::vector<std::string> merge = {"merge"};
  for (int k = 0; k < 2; ++k) {
    auto args = with_analyses(out);
    args.insert(args.end(), {"--shard", std::to_string(k) + "/2"});
    ASSERT_EQ(run_cli(args).exit_code, 0);
    merge.push_back(dir.file("cube.shard-" + std::to_string(k) + "-of-2.h5"));
  }
  const std::string merged = dir.file("merged.h5");
  merge.insert(merge.end(), {"-o", merged, "--threads", "1"});
  long long total = 0;
  ASSERT_EQ(run_on_disk(merge, -1, "cow", &total, dir.file("used")).exit_code, 0);
  fs::remove(merged);
  for (const auto& [free, mode] : {std::pair{total / 2, std::string("reserve")}, std::pair{total / 2, std::string("cow")},
                                   std::pair{total - 2000, std::string("cow")}}) {
    const std::string what = "merge on a " + mode + " disk with " + std::to_string(free) + " bytes free";
    auto r = run_on_disk(merge, free, mode);
    expect_clean_failure(r, what);
    EXPECT_FALSE(fs::exists(merged + ".partial")) << what;
    fs::remove(merged);
  }
  auto again = run_cli(merge);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  expect_same_cube(reference, merged);
}

}  // namespace
}  // namespace eqsweep::testing
