#include "engine/tile_grid.hpp"

#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace eqsweep {
namespace {

TEST(TileGrid, CountsTilesWithOverhangingEdgeTiles) {
  const TileGrid grid({5, 7}, {2, 3});
  EXPECT_EQ(grid.point_count(), 35u);
  EXPECT_EQ(grid.tiles_per_axis(), (std::vector<std::size_t>{3, 3}));
  EXPECT_EQ(grid.tile_count(), 9u);
  EXPECT_EQ(grid.cells_per_tile(), 6u);
  EXPECT_EQ(grid.points_in_tile(0), 6u);
  EXPECT_EQ(grid.points_in_tile(2), 2u);  // last column of tiles holds 1 of 3 columns
  EXPECT_EQ(grid.points_in_tile(8), 1u);  // corner: 1 x 1
}

TEST(TileGrid, EveryGridPointBelongsToExactlyOneTileCell) {
  const TileGrid grid({4, 3, 5}, {3, 2, 2});
  std::set<std::vector<std::size_t>> seen;
  std::size_t padding = 0;
  for (std::size_t t = 0; t < grid.tile_count(); ++t) {
    const auto origin = grid.tile_origin(t);
    std::size_t real = 0;
    for (std::size_t c = 0; c < grid.cells_per_tile(); ++c) {
      std::vector<std::size_t> p(3);
      if (grid.cell_to_point(origin, c, p.data())) {
        EXPECT_TRUE(seen.insert(p).second) << "point visited twice";
        ++real;
      } else {
        ++padding;
      }
    }
    EXPECT_EQ(real, grid.points_in_tile(t));
  }
  EXPECT_EQ(seen.size(), grid.point_count());
  EXPECT_EQ(seen.size() + padding, grid.tile_count() * grid.cells_per_tile());
}

TEST(TileGrid, TileOriginsAreRowMajorOverTiles) {
  const TileGrid grid({10, 10}, {4, 5});
  EXPECT_EQ(grid.tile_origin(0), (std::vector<std::size_t>{0, 0}));
  EXPECT_EQ(grid.tile_origin(1), (std::vector<std::size_t>{0, 5}));
  EXPECT_EQ(grid.tile_origin(2), (std::vector<std::size_t>{4, 0}));
  EXPECT_EQ(grid.tile_origin(5), (std::vector<std::size_t>{8, 5}));
}

TEST(TileGrid, CellIndexIsRowMajorInsideTheChunk) {
  const TileGrid grid({10, 10}, {4, 5});
  std::size_t p[2];
  ASSERT_TRUE(grid.cell_to_point({4, 5}, 7, p));  // cell 7 = row 1, column 2
  EXPECT_EQ(p[0], 5u);
  EXPECT_EQ(p[1], 7u);
}

TEST(TileGrid, DefaultChunkKeepsTheContinuationAxisWhole) {
  const auto chunk = TileGrid::default_chunk({1000, 300, 50}, 1, 16384);
  EXPECT_EQ(chunk[1], 300u);
  EXPECT_EQ(chunk[2], 50u);  // 16384 / 300 = 54 left for the fastest other axis
  EXPECT_EQ(chunk[0], 1u);
}

TEST(TileGrid, DefaultChunkCapsALongContinuationAxis) {
  const auto chunk = TileGrid::default_chunk({3, 100000}, 1, 16384);
  EXPECT_EQ(chunk[1], 16384u);
  EXPECT_EQ(chunk[0], 1u);
}

TEST(TileGrid, RejectsMismatchedRanks) {
  EXPECT_THROW(TileGrid({3, 4}, {2}), std::invalid_argument);
  EXPECT_THROW(TileGrid({0, 4}, {1, 1}), std::invalid_argument);
}

}  // namespace
}  // namespace eqsweep
