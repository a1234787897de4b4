#pragma once
// The writer thread of a run: workers push encoded tiles into a bounded queue (back-pressure
// from the disk to the workers), and this thread alone hands them to the sink and commits them
// every commit interval. Written tiles' buffers go back to the workers through a pool.

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <oneapi/tbb/concurrent_queue.h>

#include "engine/cube_sink.hpp"
#include "engine/tile_evaluator.hpp"

namespace eqsweep {

class TileWriter {
 public:
  TileWriter(CubeSink& sink, double commit_interval_s, std::size_t capacity);
  ~TileWriter() { close(); }
  TileWriter(const TileWriter&) = delete;
  TileWriter& operator=(const TileWriter&) = delete;

  // Blocks while the queue is full.
  void push(std::unique_ptr<TileResult> tile) { queue_.push(std::move(tile)); }
  // A written tile's buffers for a worker to fill again: fresh memory costs page faults that
  // dominate a cheap model's solve time.
  std::unique_ptr<TileResult> recycled();
  // Tiles outlive a run (up to a bound) for the next run of the process, which then reuses
  // their warm buffers: a spare one (or a new one), and one given back.
  static std::unique_ptr<TileResult> spare_tile();
  static void keep_spare(std::unique_ptr<TileResult> tile);
  // Writes and commits what is queued, then stops the thread.
  void close();

  bool failed() const { return failed_.load(std::memory_order_acquire); }
  std::string error() const;
  std::size_t tiles_written() const { return written_; }

 private:
  void loop();
  void commit(std::vector<std::size_t>& pending);
  void fail(const std::string& message);

  CubeSink& sink_;
  double commit_interval_;
  tbb::concurrent_bounded_queue<std::unique_ptr<TileResult>> queue_;
  tbb::concurrent_queue<std::unique_ptr<TileResult>> pool_;
  std::thread thread_;
  std::atomic<bool> failed_{false};
  mutable std::mutex mutex_;
  std::string error_;
  std::size_t written_ = 0;
};

}  // namespace eqsweep
