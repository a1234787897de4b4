#include "support/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"

namespace eqsweep::testing {

namespace fs = std::filesystem;

ScratchDir::ScratchDir(const std::string& name) {
  path_ = (fs::temp_directory_path() / ("eqsweep-test-" + name + "-" + std::to_string(::getpid()))).string();
  fs::remove_all(path_);
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info && info->result() && info->result()->Failed()) return;  // keep evidence
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
}  // namespace

std::size_t tiles_done(const std::string& path) {
  std::size_t n = 0;
  for (auto d : CubeReader(path).tiles_done()) n += d;
  return n;
}

void expect_same_cube(const std::string& expected, const std::string& actual) {
  const CubeReader a(expected), b(actual);
  const auto names = a.variable_names();
  ASSERT_EQ(names, b.variable_names());
  for (const auto& name : names) EXPECT_TRUE(a.read_raw(name) == b.read_raw(name)) << "dataset " << name << " differs";
}

RunSummary run_quietly(const SweepSpec& spec, const std::string& path, int threads) {
  RunOptions options;
  options.output_path = path;
  options.threads = threads;
  options.progress = ProgressMode::none;
  return run_sweep(spec, options);
}

CommandResult run_cli(const std::vector<std::string>& args) {
  std::string cmd = quote(cli_path());
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " 2>&1";
  CommandResult result;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed");
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
  return result;
}

}  // namespace eqsweep::testing
