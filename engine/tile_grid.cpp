#include "engine/tile_grid.hpp"

#include <algorithm>
#include <stdexcept>

namespace eqsweep {

TileGrid::TileGrid(std::vector<std::size_t> shape, std::vector<std::size_t> chunk)
    : shape_(std::move(shape)), chunk_(std::move(chunk)) {
  if (shape_.empty() || shape_.size() != chunk_.size())
    throw std::invalid_argument("TileGrid: shape and chunk must have the same, non-zero rank");
  tiles_per_axis_.resize(shape_.size());
  for (std::size_t d = 0; d < shape_.size(); ++d) {
    if (shape_[d] == 0 || chunk_[d] == 0) throw std::invalid_argument("TileGrid: zero extent");
    tiles_per_axis_[d] = shape_[d] / chunk_[d] + (shape_[d] % chunk_[d] != 0);
    // Checked: a grid whose sizes do not fit in 64 bits is refused, never wrapped around.
    if (__builtin_mul_overflow(point_count_, shape_[d], &point_count_) ||
        __builtin_mul_overflow(tile_count_, tiles_per_axis_[d], &tile_count_) ||
        __builtin_mul_overflow(cells_per_tile_, chunk_[d], &cells_per_tile_))
      throw std::overflow_error("TileGrid: the number of points, tiles or cells per tile does not fit in 64 bits");
  }
}

std::vector<std::size_t> TileGrid::tile_origin(std::size_t tile) const {
  std::vector<std::size_t> origin(rank());
  for (std::size_t d = rank(); d-- > 0;) {
    origin[d] = (tile % tiles_per_axis_[d]) * chunk_[d];
    tile /= tiles_per_axis_[d];
  }
  return origin;
}

std::size_t TileGrid::points_in_tile(std::size_t tile) const {
  const auto origin = tile_origin(tile);
  std::size_t n = 1;
  for (std::size_t d = 0; d < rank(); ++d) n *= std::min(chunk_[d], shape_[d] - origin[d]);
  return n;
}

bool TileGrid::cell_to_point(const std::vector<std::size_t>& origin, std::size_t cell, std::size_t* point) const {
  bool inside = true;
  for (std::size_t d = rank(); d-- > 0;) {
    point[d] = origin[d] + cell % chunk_[d];
    cell /= chunk_[d];
    inside = inside && point[d] < shape_[d];
  }
  return inside;
}

std::vector<std::size_t> TileGrid::default_chunk(const std::vector<std::size_t>& shape, std::size_t continuation_axis,
                                                 std::size_t target_cells) {
  std::vector<std::size_t> chunk(shape.size(), 1);
  std::size_t budget = std::max<std::size_t>(target_cells, 1);
  chunk[continuation_axis] = std::min(shape[continuation_axis], budget);
  budget = std::max<std::size_t>(budget / chunk[continuation_axis], 1);
  for (std::size_t d = shape.size(); d-- > 0;) {
    if (d == continuation_axis) continue;
    chunk[d] = std::min(shape[d], budget);
    budget = std::max<std::size_t>(budget / chunk[d], 1);
  }
  return chunk;
}

}  // namespace eqsweep
