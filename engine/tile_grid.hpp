#pragma once
// The N-D point grid of a sweep cut into tiles. A tile is exactly one HDF5 chunk of every
// dataset, so a finished tile is written with one direct chunk write per dataset. Edge tiles
// overhang the grid; their overhanging cells are padding and never solved.

#include <cstddef>
#include <vector>

namespace eqsweep {

class TileGrid {
 public:
  // shape: points per axis (row-major, last axis fastest); chunk: points per axis in a tile.
  TileGrid(std::vector<std::size_t> shape, std::vector<std::size_t> chunk);

  std::size_t rank() const { return shape_.size(); }
  const std::vector<std::size_t>& shape() const { return shape_; }
  const std::vector<std::size_t>& chunk() const { return chunk_; }
  const std::vector<std::size_t>& tiles_per_axis() const { return tiles_per_axis_; }
  std::size_t point_count() const { return point_count_; }
  std::size_t tile_count() const { return tile_count_; }
  std::size_t cells_per_tile() const { return cells_per_tile_; }

  // First grid point of a tile (row-major tile numbering).
  std::vector<std::size_t> tile_origin(std::size_t tile) const;
  // Number of real (non-padding) grid points in a tile.
  std::size_t points_in_tile(std::size_t tile) const;
  // Grid coordinates of cell `cell` (row-major inside the chunk) of a tile; false for padding.
  bool cell_to_point(const std::vector<std::size_t>& origin, std::size_t cell, std::size_t* point) const;

  // A chunk shape of about `target_cells` cells: the continuation axis is kept whole where it
  // fits (continuation runs never cross a tile), then the remaining budget goes to the fastest
  // axes, as HDF5 stores chunks row-major.
  static std::vector<std::size_t> default_chunk(const std::vector<std::size_t>& shape, std::size_t continuation_axis,
                                                std::size_t target_cells);

 private:
  std::vector<std::size_t> shape_, chunk_, tiles_per_axis_;
  std::size_t point_count_ = 1, tile_count_ = 1, cells_per_tile_ = 1;
};

}  // namespace eqsweep
