#include "engine/output_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace eqsweep {

namespace {

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// What the holder wrote into the lock file: "pid 1234 host node7 since 2025-01-01T00:00:00Z".
std::string holder_of(int fd) {
  char text[512] = {};
  const ssize_t n = pread(fd, text, sizeof text - 1, 0);
  std::string holder = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string();
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
  long pid = 0;
  char host[256] = {}, since[64] = {};
  if (std::sscanf(holder.c_str(), "pid %ld host %255s since %63s", &pid, host, since) == 3)
    return fmt::format("PID {} on host {} (running since {})", pid, host, since);
  return "a process that has not yet written its PID and host";
}

}  // namespace

std::unique_ptr<OutputLock> OutputLock::acquire(const std::string& output_path) {
  const std::string path = lock_path(output_path);
  // A holder that finishes removes the lock file; a process that opened it just before then
  // holds a lock on a removed file. Locking again then finds the new file (or none).
  for (int attempt = 0; attempt < 16; ++attempt) {
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
      if (errno == ENOENT || errno == EACCES || errno == EROFS || errno == ENOTDIR) return nullptr;
      throw OutputLocked(fmt::format("{}: cannot open the lock file {}: {}", output_path, path, std::strerror(errno)));
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      const std::string holder = error == EWOULDBLOCK ? holder_of(fd) : std::string();
      close(fd);
      if (error == EWOULDBLOCK)
        throw OutputLocked(fmt::format(
            "{} is being written by another eqsweep run: {} holds its lock {}. Wait for that run to finish or stop "
            "it (a stopped run is resumed by running the same command again), or choose another -o path",
            output_path, holder, path));
      throw OutputLocked(fmt::format("{}: cannot lock {}: {}", output_path, path, std::strerror(error)));
    }
    struct stat held {}, named {};
    if (fstat(fd, &held) != 0 || stat(path.c_str(), &named) != 0 || held.st_ino != named.st_ino ||
        held.st_dev != named.st_dev) {
      close(fd);  // the file was removed or replaced while we waited: lock the one there now
      continue;
    }
    const std::string holder = fmt::format("pid {} host {} since {:%Y-%m-%dT%H:%M:%SZ}\n", static_cast<long>(getpid()),
                                           host_name(), fmt::gmtime(std::time(nullptr)));
    if (ftruncate(fd, 0) != 0 || pwrite(fd, holder.data(), holder.size(), 0) != static_cast<ssize_t>(holder.size())) {
      // The lock holds without the text; a refused run then cannot name us, nothing worse.
    }
    return std::unique_ptr<OutputLock>(new OutputLock(fd, path));
  }
  throw OutputLocked(fmt::format("{}: the lock file {} keeps being replaced; is another run starting and stopping?",
                                 output_path, path));
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  unlink(path_.c_str());  // while still holding the lock: see acquire()
  close(fd_);
}

}  // namespace eqsweep
