#pragma once
// 2-D region maps with sharp boundaries, by quadtree refinement with new solves.
//
// A grid fine enough to show a region boundary sharply costs 4^d times the points of a coarse
// one, although only the cells the boundary crosses need them. After the sweep, every grid cell
// of the map's two axes (at every grid value of the other axes) whose four corners disagree is
// split into four by solving its edge midpoints and centre, and every child whose corners still
// disagree is split again, `depth` times. The extra solves then grow with the boundary's length
// (about 2^depth per boundary cell of the grid), not with the area (4^depth).
//
// Corners disagree when their status differs, or, between solved corners, a categorical value
// differs or a real indicator changes sign. A boundary that enters and leaves a cell through the
// same edge without changing any corner is not seen: the grid spacing sets what can be found, as
// for thresholds.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/sweep_spec.hpp"

namespace eqsweep {

// Columns of one refined leaf cell: slice index (row-major over the other axes), the cell's
// x and y extent in parameter values, and the indicator at its corners (x0y0, x1y0, x0y1, x1y1;
// the status code for a "status" indicator, NaN where an output indicator is not solved).
inline constexpr std::size_t kRegionCellColumns = 9;
inline constexpr const char* kRegionCellColumnNames = "slice x0 x1 y0 y1 v00 v10 v01 v11";
// Columns of one boundary segment: slice index, then the two end points (xa, ya), (xb, yb).
inline constexpr std::size_t kRegionSegmentColumns = 5;
inline constexpr const char* kRegionSegmentColumnNames = "slice xa ya xb yb";

struct RegionMapResult {
  std::vector<std::size_t> slice_shape;  // the sweep's shape without the two map axes
  std::size_t slices = 0;
  std::vector<double> cells;         // leaf cells at the final depth, kRegionCellColumns per row
  std::vector<double> segments;      // boundary segments, kRegionSegmentColumns per row
  std::vector<std::int32_t> solves;  // extra solves per slice
  std::vector<std::int32_t> grid_cells;  // grid cells of each slice whose corners disagree
  std::size_t total_solves = 0, total_grid_cells = 0;

  std::size_t cell_count() const { return cells.size() / kRegionCellColumns; }
  std::size_t segment_count() const { return segments.size() / kRegionSegmentColumns; }
};

// `grid` holds the indicator at every grid point (row-major; indicator - minus for a real one,
// the status code for "status"), `status` the stored status of every point.
RegionMapResult refine_region_map(const SweepSpec& spec, const RegionMapSpec& map, const std::vector<double>& grid,
                                  const std::vector<double>& status, int threads);

}  // namespace eqsweep
