#pragma once
// Progress of a long sweep on stderr: a live bar with points/s and ETA on a terminal, a plain
// line every few seconds otherwise (logs, CI, nohup).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <thread>

namespace eqsweep {

enum class ProgressMode { automatic, bar, lines, none };

class ProgressReporter {
 public:
  // `total` points to do in this run (after resumed tiles are subtracted).
  ProgressReporter(ProgressMode mode, std::size_t total, double line_interval_s, std::FILE* stream = stderr);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  void add(std::size_t points) { done_.fetch_add(points, std::memory_order_relaxed); }
  void stop();  // prints the final state and joins

 private:
  void loop();
  void print(bool final);

  ProgressMode mode_;
  std::size_t total_;
  double interval_;
  std::FILE* stream_;
  std::atomic<std::size_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace eqsweep
