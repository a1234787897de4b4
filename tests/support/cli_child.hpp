#pragma once
// `eqsweep` as a real child process for the CLI tests: kills, signals and file-size limits act on a
// real process, and its stdout and stderr go to a log file the test reads back.

#include <sys/resource.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace eqsweep::testing {

struct ChildOptions {
  // RLIMIT_FSIZE in bytes (0: none). SIGXFSZ is ignored in the child, so writes past the limit fail
  // with EFBIG, as on a full disk.
  rlim_t file_limit = 0;
  // Progress lines every 10 ms into the log (for await_progress) instead of no progress.
  bool progress_lines = false;
};

// Starts `eqsweep ARGS...` with stdout and stderr into `log`; returns the child's pid.
pid_t start_cli(const std::vector<std::string>& args, const std::string& log, ChildOptions options = {});

// `eqsweep run SPEC -o OUT --threads 2 --progress none --commit-interval 0.02 EXTRA...`: frequent commits
// so that kills land between them.
pid_t start_run(const std::string& spec, const std::string& out, const std::string& log,
                const std::vector<std::string>& extra = {}, ChildOptions options = {});

// Polls `log` until the child's progress lines report at least `percent` % of the points done, or the
// child ends. True when it got there still running (the child is left unreaped either way), so a
// kill lands mid-run however fast or loaded the machine is.
bool await_progress(pid_t pid, const std::string& log, double percent);

// Waits for the child: its exit code, or minus the signal that ended it.
int wait_exit(pid_t pid);

}  // namespace eqsweep::testing
