#include "support/cli_child.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "support/test_support.hpp"

namespace eqsweep::testing {

pid_t start_cli(const std::vector<std::string>& args, const std::string& log, ChildOptions options) {
  const std::string cli = cli_path();
  std::vector<char*> argv{const_cast<char*>(cli.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    if (options.file_limit > 0) {
      signal(SIGXFSZ, SIG_IGN);
      rlimit lim{options.file_limit, options.file_limit};
      setrlimit(RLIMIT_FSIZE, &lim);
    }
    if (freopen(log.c_str(), "w", stdout) == nullptr) _exit(126);
    dup2(fileno(stdout), fileno(stderr));
    execv(cli.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

pid_t start_run(const std::string& spec, const std::string& out, const std::string& log,
                const std::vector<std::string>& extra, ChildOptions options) {
  std::vector<std::string> args{"run", spec, "-o", out, "--threads", "2", "--commit-interval", "0.02"};
  if (options.progress_lines) args.insert(args.end(), {"--progress", "lines", "--progress-interval", "0.01"});
  else args.insert(args.end(), {"--progress", "none"});
  args.insert(args.end(), extra.begin(), extra.end());
  return start_cli(args, log, options);
}

bool await_progress(pid_t pid, const std::string& log, double percent) {
  for (;;) {
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
      return false;
    std::ifstream in(log);
    std::string line;
    double reached = 0;
    while (std::getline(in, line))
      if (line.rfind("progress: ", 0) == 0) reached = std::max(reached, std::strtod(line.c_str() + 10, nullptr));
    if (reached >= percent) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace eqsweep::testing
