#pragma once
// What a run will cost before it starts: points, tiles, bytes before compression and the memory
// of its tile buffers, all in checked 64-bit arithmetic, and the limits a run must stay inside
// unless forced (run.max_points, the free space of the output's file system). `eqsweep validate`
// and `eqsweep run` print the estimate; `eqsweep run --dry-run` prints it and stops.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace eqsweep {

struct SweepSpec;

// The largest grid a spec may describe at all (2^48 points, 2.8e14): every size derived from it
// (bytes, tiles, HDF5 extents) then fits in 64 bits. Practical runs stop far below, at
// run.max_points.
inline constexpr std::uint64_t kMaxGridPoints = std::uint64_t{1} << 48;

// a * b, or nullopt when it does not fit in 64 bits.
std::optional<std::uint64_t> checked_mul(std::uint64_t a, std::uint64_t b);
std::optional<std::uint64_t> checked_add(std::uint64_t a, std::uint64_t b);
// The product of `factors`, or nullopt when it does not fit in 64 bits.
std::optional<std::uint64_t> checked_product(std::span<const std::size_t> factors);

struct SizeEstimate {
  std::uint64_t points = 0, tiles = 0;
  std::uint64_t bytes_per_point = 0;  // every per-point variable of the cube
  std::uint64_t bytes = 0;            // the per-point variables before compression
  std::uint64_t tile_bytes = 0;       // one tile of every variable, before compression
  std::uint64_t memory = 0;           // tile buffers and queue of `threads` workers, plus what analyses read
  int threads = 0;

  std::string describe() const;  // "96641 points in 81 tiles, 18.4 MB before compression, ..."
};

// From the spec alone (no fingerprint, no layout), so that a huge grid is refused in
// milliseconds. `threads` as the run resolves it (0: all cores). Throws std::overflow_error
// naming the size that does not fit (only past kMaxGridPoints).
SizeEstimate estimate_size(const SweepSpec& spec, int threads);

// Why the run would be refused (above run.max_points, more bytes than the file system of
// `output_path` has free; no disk check for an empty path), or nullopt when it fits. Does not
// look at run.force.
std::optional<std::string> size_limit_exceeded(const SweepSpec& spec, const SizeEstimate& estimate,
                                               const std::string& output_path);

std::string byte_size_text(std::uint64_t bytes);  // "18.4 MB", "3.2 TB"

}  // namespace eqsweep
