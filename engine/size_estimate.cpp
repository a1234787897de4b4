#include "engine/size_estimate.hpp"

#include <sys/statvfs.h>

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <oneapi/tbb/info.h>

#include "engine/cube_file.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"

namespace eqsweep {

std::optional<std::uint64_t> checked_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<std::uint64_t> checked_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<std::uint64_t> checked_product(std::span<const std::size_t> factors) {
  std::uint64_t r = 1;
  for (std::size_t f : factors) {
    const auto next = checked_mul(r, f);
    if (!next) return std::nullopt;
    r = *next;
  }
  return r;
}

std::string byte_size_text(std::uint64_t bytes) {
  static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 6) {
    v /= 1000;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.3g} {}", v, units[u]);
}

SizeEstimate estimate_size(const SweepSpec& spec, int threads) {
  auto need = [](std::optional<std::uint64_t> v, const char* what) {
    if (!v) throw std::overflow_error(fmt::format("the {} of this sweep do not fit in 64 bits", what));
    return *v;
  };
  SizeEstimate e;
  const TileGrid grid(spec.shape(), spec.chunk);
  e.points = grid.point_count();
  e.tiles = grid.tile_count();
  // The per-point variables of engine/cube_layout.cpp: outputs and sensitivities (float64), then
  // status (uint8), iterations (int32) and residual (float64). A test keeps the two in step.
  std::uint64_t f64_variables = spec.outputs.size();
  for (const auto& s : spec.sensitivities) f64_variables += s.elasticity ? 2 : 1;
  e.bytes_per_point = f64_variables * element_size(ElementType::f64) + element_size(ElementType::u8) +
                      element_size(ElementType::i32) + element_size(ElementType::f64);
  e.bytes = need(checked_mul(e.points, e.bytes_per_point), "bytes");
  e.tile_bytes = need(checked_mul(grid.cells_per_tile(), e.bytes_per_point), "bytes of a tile");
  e.threads = threads > 0 ? threads : spec.threads > 0 ? spec.threads : tbb::info::default_concurrency();
  // Each worker solves into one tile buffer (and encodes into a second); the writer's queue holds
  // 2 * threads + 2 more. Bookkeeping is a few bytes per tile. Analyses (thresholds, region maps)
  // read whole variables: the status, an indicator and the output it is compared with.
  const auto workers = static_cast<std::uint64_t>(std::max(e.threads, 1));
  e.memory = need(checked_mul(e.tile_bytes, 4 * workers + 2), "bytes of memory");
  e.memory = need(checked_add(e.memory, need(checked_mul(e.tiles, 16), "bytes of memory")), "bytes of memory");
  if (spec.analysis_count() > 0)
    e.memory = need(checked_add(e.memory, need(checked_mul(e.points, 3 * sizeof(double)), "bytes of memory")),
                    "bytes of memory");
  return e;
}

std::string SizeEstimate::describe() const {
  return fmt::format("{} points in {} tiles, {} before compression ({} bytes per point), about {} of memory with {} "
                     "threads",
                     points, tiles, byte_size_text(bytes), bytes_per_point, byte_size_text(memory), threads);
}

std::optional<std::string> size_limit_exceeded(const SweepSpec& spec, const SizeEstimate& estimate,
                                               const std::string& output_path) {
  const auto max_points = static_cast<std::uint64_t>(spec.max_points);
  if (estimate.points > max_points)
    return fmt::format("{} points is more than run.max_points = {} allows", estimate.points, max_points);
  if (output_path.empty()) return std::nullopt;
  namespace fs = std::filesystem;
  const fs::path target(output_path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  struct statvfs fsinfo {};
  if (statvfs(dir.c_str(), &fsinfo) != 0) return std::nullopt;  // the output-path check says why
  const std::uint64_t free_bytes = static_cast<std::uint64_t>(fsinfo.f_bavail) * fsinfo.f_frsize;
  if (estimate.bytes > free_bytes)
    return fmt::format("the cube holds {} before compression and {} has {} free", byte_size_text(estimate.bytes),
                       dir.string(), byte_size_text(free_bytes));
  return std::nullopt;
}

}  // namespace eqsweep
