#include "engine/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace eqsweep {

namespace {
std::string duration_text(double s) {
  if (!std::isfinite(s)) return "--:--";
  const auto t = static_cast<long>(s + 0.5);
  return t >= 3600 ? fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60) : fmt::format("{:02}:{:02}", t / 60, t % 60);
}
}  // namespace

ProgressReporter::ProgressReporter(ProgressMode mode, std::size_t total, double line_interval_s, std::FILE* stream)
    : mode_(mode), total_(total), interval_(line_interval_s), stream_(stream), start_(std::chrono::steady_clock::now()) {
  if (mode_ == ProgressMode::automatic) mode_ = isatty(fileno(stream_)) ? ProgressMode::bar : ProgressMode::lines;
  if (mode_ != ProgressMode::none) thread_ = std::thread([this] { loop(); });
}

ProgressReporter::~ProgressReporter() { stop(); }

void ProgressReporter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    print(true);
  }
}

void ProgressReporter::loop() {
  const auto period = mode_ == ProgressMode::bar ? std::chrono::duration<double>(0.2) : std::chrono::duration<double>(interval_);
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) print(false);
}

void ProgressReporter::print(bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::size_t done = std::min(done_.load(std::memory_order_relaxed), total_);
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double fraction = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : NAN;
  if (mode_ == ProgressMode::bar) {
    constexpr int width = 30;
    const int filled = static_cast<int>(fraction * width);
    fmt::print(stream_, "\r[{}{}] {:5.1f}%  {}/{} points  {:.3g} points/s  ETA {}   ", std::string(filled, '#'),
               std::string(width - filled, ' '), 100 * fraction, done, total_, rate,
               final ? duration_text(elapsed) + " elapsed" : duration_text(eta));
    if (final) fmt::print(stream_, "\n");
  } else {
    fmt::print(stream_, "progress: {:.1f}% ({}/{} points), {:.3g} points/s, {} {}\n", 100 * fraction, done, total_, rate,
               final ? "elapsed" : "ETA", final ? duration_text(elapsed) : duration_text(eta));
  }
  std::fflush(stream_);
}

}  // namespace eqsweep
