// Long axes through the real binary: `validate` of a 10^7-point axis in bounded memory (the
// fingerprint is streamed), and a cube of a long explicit axis whose attributes stay small (the
// values are stored once, as the coordinate) and that still resumes, merges and describes itself.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

struct Measured {
  int exit_code = -1;
  long max_rss_kb = 0;
  std::string output;
};

// `eqsweep ARGS` as a child; its peak resident memory from wait4.
Measured run_measured(const std::vector<std::string>& args, const std::string& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    // Under AddressSanitizer freed blocks stay resident in its quarantine (256 MB by default), which
    // would count every freed copy of the axis as held; without it the peak is what is live.
    const char* asan = std::getenv("ASAN_OPTIONS");
    const std::string options = std::string(asan ? asan : "") + (asan && *asan ? ":" : "") + "quarantine_size_mb=0";
    setenv("ASAN_OPTIONS", options.c_str(), 1);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    std::vector<char*> argv{const_cast<char*>(EQSWEEP_CLI)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(EQSWEEP_CLI, argv.data());
    _exit(127);
  }
  Measured m;
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) == pid && WIFEXITED(status)) m.exit_code = WEXITSTATUS(status);
  m.max_rss_kb = usage.ru_maxrss;
  m.output = read_text(log);
  return m;
}

const std::string kHead =
    "model = \"ye2025\"\nvariant = \"published\"\noutputs = [\"N.pi_M\"]\n[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n";

// The JSON tree of the canonical form took ~88 bytes per axis point: 885 MB for this axis. Its
// values themselves are 80 MB. Measured against the same spec with a 10-point axis, so that the
// bound holds in the sanitized build too (its runtime adds a fixed ~70 MB).
TEST(LongAxis, ValidateOfATenMillionPointAxisPeaksLessThan200MBAboveATenPointOne) {
  ScratchDir dir("long_axis_validate");
  const auto spec = [&](const char* points) {
    return kHead + "theta = 0.5\n[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, " + points + "]\n";
  };
  write_text(dir.file("long.toml"), spec("10000000"));
  write_text(dir.file("short.toml"), spec("10"));
  const Measured m = run_measured({"validate", dir.file("long.toml")}, dir.file("validate.log"));
  const Measured base = run_measured({"validate", dir.file("short.toml")}, dir.file("short.log"));
  ASSERT_EQ(m.exit_code, 0) << m.output;
  ASSERT_EQ(base.exit_code, 0) << base.output;
  EXPECT_NE(m.output.find("10000000 points"), std::string::npos) << m.output;
  EXPECT_LT(m.max_rss_kb - base.max_rss_kb, 200 * 1024)
      << "peak RSS " << m.max_rss_kb << " kB against " << base.max_rss_kb << " kB\n" << m.output;
}

// Every attribute of every object in the file, with its size in bytes.
std::vector<std::pair<std::string, hsize_t>> attribute_sizes(const std::string& path) {
  std::vector<std::pair<std::string, hsize_t>> out;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << path;
  struct Visit {
    hid_t file;
    std::vector<std::pair<std::string, hsize_t>>* out;
  } visit{file, &out};
  auto on_object = [](hid_t, const char* name, const H5O_info_t*, void* data) -> herr_t {
    auto* v = static_cast<Visit*>(data);
    const std::string object = name;
    auto on_attribute = [](hid_t location, const char* attr_name, const H5A_info_t*, void* d) -> herr_t {
      auto* pair = static_cast<std::pair<Visit*, std::string>*>(d);
      const hid_t attr = H5Aopen(location, attr_name, H5P_DEFAULT);
      pair->first->out->push_back({pair->second + "@" + attr_name, H5Aget_storage_size(attr)});
      H5Aclose(attr);
      return 0;
    };
    const hid_t obj = H5Oopen(v->file, name, H5P_DEFAULT);
    std::pair<Visit*, std::string> ctx{v, object};
    H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, on_attribute, &ctx);
    H5Oclose(obj);
    return 0;
  };
  H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_NATIVE, on_object, &visit, H5O_INFO_BASIC);
  H5Fclose(file);
  return out;
}

// An explicit list of 2e6 values made a 38.5 MB attribute; 20000 (about 200 kB of text) show the same.
TEST(LongAxis, CubeOfALongExplicitAxisHasSmallAttributesAndResumesMergesAndDescribes) {
  ScratchDir dir("long_axis_cube");
  constexpr int kValues = 20000;
  std::string values;
  for (int i = 0; i < kValues; ++i) values += fmt::format("{}{:.9f}", i ? ", " : "", 0.02 + 0.96 * i / (kValues - 1.0));
  const std::string spec = dir.file("long.toml");
  write_text(spec, kHead + "t = 0.3\n[[axis]]\nname = \"theta\"\nvalues = [" + values + "]\n[run]\nchunk = [2000]\n");
  const std::string cube = dir.file("cube.h5");
  const auto run = run_cli({"run", spec, "-o", cube, "--threads", "2", "--progress", "none"});
  ASSERT_EQ(run.exit_code, 0) << run.output;

  const auto sizes = attribute_sizes(cube);
  ASSERT_GT(sizes.size(), 10u);
  for (const auto& [name, bytes] : sizes) EXPECT_LT(bytes, 8192u) << name;
  bool has_spec = false;
  for (const auto& [name, bytes] : sizes) has_spec = has_spec || name == ".@spec";
  EXPECT_TRUE(has_spec);

  // The same command finds the cube complete; the fingerprint guards it as before.
  const auto again = run_cli({"run", spec, "-o", cube, "--threads", "2", "--progress", "none"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("already complete"), std::string::npos) << again.output;

  // A merge reads the spec back from a shard, with the coordinate substituted for the reference.
  for (const char* shard : {"0/2", "1/2"}) {
    const auto r = run_cli({"run", spec, "-o", dir.file("sharded.h5"), "--shard", shard, "--threads", "1", "--progress", "none"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  const auto merged = run_cli({"merge", dir.file("sharded.shard-0-of-2.h5"), dir.file("sharded.shard-1-of-2.h5"), "-o",
                               dir.file("merged.h5")});
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  expect_same_cube(cube, dir.file("merged.h5"));

  const auto info = run_cli({"info", dir.file("merged.h5")});
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_NE(info.output.find("20000 points"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find(", complete"), std::string::npos) << info.output;
}

}  // namespace
}  // namespace eqsweep::testing
