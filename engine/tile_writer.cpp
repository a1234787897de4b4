#include "engine/tile_writer.hpp"

#include <chrono>

#include "engine/cube_file.hpp"

namespace eqsweep {

TileWriter::TileWriter(CubeSink& sink, double commit_interval_s, std::size_t capacity)
    : sink_(sink), commit_interval_(commit_interval_s) {
  queue_.set_capacity(static_cast<std::ptrdiff_t>(capacity));
  thread_ = std::thread([this] { loop(); });
}

namespace {

// Tiles left over when a run ends, for the next run of the process (the Python module and the
// benchmarks run many): a fresh tile's chunks are megabytes of zero-filled, page-faulted memory.
// At most kSpareTiles are kept, so a finished run holds a bounded amount.
constexpr std::size_t kSpareTiles = 16;
tbb::concurrent_queue<std::unique_ptr<TileResult>>& spare_tiles() {
  static tbb::concurrent_queue<std::unique_ptr<TileResult>> spares;
  return spares;
}
std::atomic<std::size_t> spare_count{0};

}  // namespace

std::unique_ptr<TileResult> TileWriter::spare_tile() {
  std::unique_ptr<TileResult> tile;
  if (spare_tiles().try_pop(tile)) {
    spare_count.fetch_sub(1);
    return tile;
  }
  return std::make_unique<TileResult>();
}

void TileWriter::keep_spare(std::unique_ptr<TileResult> tile) {
  if (!tile) return;
  if (spare_count.fetch_add(1) < kSpareTiles) spare_tiles().push(std::move(tile));
  else spare_count.fetch_sub(1);
}

std::unique_ptr<TileResult> TileWriter::recycled() {
  std::unique_ptr<TileResult> tile;
  if (pool_.try_pop(tile)) return tile;
  return spare_tile();
}

void TileWriter::close() {
  if (!thread_.joinable()) return;
  queue_.push(nullptr);
  thread_.join();
  std::unique_ptr<TileResult> tile;
  while (pool_.try_pop(tile)) keep_spare(std::move(tile));
}

std::string TileWriter::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void TileWriter::commit(std::vector<std::size_t>& pending) {
  sink_.commit(pending);
  written_ += pending.size();
  pending.clear();
}

void TileWriter::loop() {
  std::vector<std::size_t> pending;
  auto last_commit = std::chrono::steady_clock::now();
  for (;;) {
    std::unique_ptr<TileResult> tile;
    queue_.pop(tile);
    if (!tile) break;
    if (failed()) continue;  // drain so that workers never block on a dead writer
    try {
      std::size_t bytes = 0;
      for (const auto& c : tile->chunks) bytes += c.size();
      try {
        sink_.reserve(bytes);
      } catch (const CubeIoError&) {
        // Out of space before anything of this tile was written: keep what is finished.
        commit(pending);
        throw;
      }
      for (std::size_t v = 0; v < tile->chunks.size(); ++v) sink_.write_chunk(v, tile->tile, tile->chunks[v]);
      pending.push_back(tile->tile);
      pool_.push(std::move(tile));
      const auto now = std::chrono::steady_clock::now();
      if (std::chrono::duration<double>(now - last_commit).count() >= commit_interval_) {
        commit(pending);
        last_commit = now;
      }
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
  if (!failed() && !pending.empty()) {
    try {
      commit(pending);
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
}

void TileWriter::fail(const std::string& message) {
  std::lock_guard lock(mutex_);
  if (error_.empty()) error_ = message;
  failed_.store(true, std::memory_order_release);
}

}  // namespace eqsweep
