#include "support/cli_child.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

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
  std::vector<std::string> args{"run", spec, "-o", out, "--threads", "2", "--progress", "none",
                                "--commit-interval", "0.02"};
  args.insert(args.end(), extra.begin(), extra.end());
  return start_cli(args, log, options);
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace eqsweep::testing
