#pragma once
// One writer per cube. A run holds an advisory lock (flock) on a sidecar file, OUTPUT.lock, from
// before it looks at the output until it has closed it; a second run on the same output is
// refused, naming the PID and host of the holder. The kernel releases the lock when the holder
// exits in any way (kill -9 included), so a lock file left behind by a killed run is stale and
// never blocks the rerun that resumes it.
//
// flock works on local file systems; on NFS, Linux maps it to a POSIX byte-range lock.

#include <memory>
#include <stdexcept>
#include <string>

namespace eqsweep {

// Another process holds the lock (or the lock file cannot be used); the message says who and what to do.
class OutputLocked : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OutputLock {
 public:
  // Takes the lock of `output_path` or throws OutputLocked. Returns null, taking no lock, when
  // the output's directory is missing or not writable: the output-path check then refuses the
  // run with the reason.
  static std::unique_ptr<OutputLock> acquire(const std::string& output_path);
  ~OutputLock();  // removes the lock file, then releases the lock
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

  static std::string lock_path(const std::string& output_path) { return output_path + ".lock"; }
  const std::string& path() const { return path_; }

 private:
  OutputLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace eqsweep
