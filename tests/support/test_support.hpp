#pragma once
// Helpers shared by tests: scratch directories, running the real eqsweep binary, writing specs.

#include <string>
#include <vector>

#include "engine/sweep_runner.hpp"

namespace eqsweep::testing {

// A fresh directory under the build tree, removed at destruction unless the test failed.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name);
  ~ScratchDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_text(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);

struct CommandResult {
  int exit_code = -1;  // -signal if killed by a signal
  std::string output;  // stdout and stderr together
};

// Runs the eqsweep binary built with the tests, with the given arguments.
CommandResult run_cli(const std::vector<std::string>& args);

// Finished tiles of a cube (it must open: a killed run's file too).
std::size_t tiles_done(const std::string& path);
// Every dataset of `actual` equals `expected`'s byte for byte (gtest expectations).
void expect_same_cube(const std::string& expected, const std::string& actual);

// Runs a sweep in-process into `path`, without progress output.
RunSummary run_quietly(const SweepSpec& spec, const std::string& path, int threads = 2);

inline std::string cli_path() { return EQSWEEP_CLI; }
inline std::string source_dir() { return EQSWEEP_SOURCE_DIR; }

}  // namespace eqsweep::testing
