// A tile without padding hands the stored outputs' chunk buffers to a solver that writes through
// BatchView::row() (no copy after the solve), and a closed-form model's iterations and residual
// chunks are written without reading its results point by point. Neither may change a byte: the
// same model solved through the dense layout gives the same chunks, padded tiles included, and
// the values are the model's.

#include "engine/tile_evaluator.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/codecs/fletcher32.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"

namespace eqsweep {
namespace {

// f = x y + sin(3 x) + z, g = x - y, above = (x > y); infeasible where x > 0.8 (f, g NaN there).
double f_of(double x, double y, double z) { return x * y + std::sin(3 * x) + z; }

template <bool kRows>
class ToySolver final : public PointSolver {
 public:
  void solve_batch(const BatchView& b) override {
    const double *x = b.params, *y = b.params + b.stride, *z = b.params + 2 * b.stride;
    double *f = b.row(0), *g = b.row(1), *above = b.row(2);
    for (std::size_t i = 0; i < b.size; ++i) {
      const bool ok = x[i] <= 0.8;
      f[i] = ok ? f_of(x[i], y[i], z[i]) : kNaN;
      g[i] = ok ? x[i] - y[i] : kNaN;
      above[i] = x[i] > y[i] ? 1 : 0;
      b.results[i] = {ok ? PointStatus::solved : PointStatus::infeasible, 0, kNaN};
    }
  }
  bool writes_output_rows() const override { return kRows; }
};

template <bool kRows>
class ToyModel final : public Model {
 public:
  ToyModel()
      : Model({.name = kRows ? "toy_rows" : "toy_dense",
               .description = "f = x y + sin(3x) + z, g = x - y, above = x > y",
               .source = "tests/engine/tile_evaluator_test.cpp",
               .parameters = {{"x", "x", "x", "1", Domain::real()},
                              {"y", "y", "y", "1", Domain::real()},
                              {"z", "z", "z", "1", Domain::real()}},
               .outputs = {{"f", "f", "1"}, {"g", "g", "1"}, {"above", "above", "1", {{0, "no"}, {1, "yes"}}}},
               .variants = {{"exact", "closed form"}},
               .closed_form = kRows}) {}
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override {
    return std::make_unique<ToySolver<kRows>>();
  }
};

// Every tile's chunks, as the evaluator lays them out.
std::vector<TileResult> evaluate_all(const SweepSpec& spec) {
  const TileGrid grid(spec.shape(), spec.chunk);
  TileEvaluator evaluator(spec, grid);
  std::vector<TileResult> tiles(grid.tile_count());
  // Twice over, in two orders, so that state kept between tiles (columns, row maps) is exercised.
  for (std::size_t t = grid.tile_count(); t-- > 0;) evaluator.evaluate(t, tiles[t]);
  for (std::size_t t = 0; t < grid.tile_count(); ++t) evaluator.evaluate(t, tiles[t]);
  return tiles;
}

void expect_same_chunks_and_values(const std::string& grid_and_chunk) {
  static const ToyModel<true> rows_model;
  static const ToyModel<false> dense_model;
  ModelCatalog catalog;
  catalog.add(rows_model);
  catalog.add(dense_model);
  const std::string body = "outputs = [\"g\", \"f\", \"above\"]\n[fixed]\nz = 0.25\n" + grid_and_chunk;
  const SweepSpec rows_spec = parse_spec("model = \"toy_rows\"\n" + body, "rows.toml", catalog);
  const SweepSpec dense_spec = parse_spec("model = \"toy_dense\"\n" + body, "dense.toml", catalog);
  const auto rows = evaluate_all(rows_spec);
  const auto dense = evaluate_all(dense_spec);
  ASSERT_EQ(rows.size(), dense.size());
  const TileGrid grid(rows_spec.shape(), rows_spec.chunk);
  const auto f_var = static_cast<std::size_t>(
      std::find(rows_spec.outputs.begin(), rows_spec.outputs.end(), 0) - rows_spec.outputs.begin());
  ASSERT_LT(f_var, rows_spec.outputs.size());
  std::size_t checked = 0;
  for (std::size_t t = 0; t < rows.size(); ++t) {
    ASSERT_EQ(rows[t].chunks.size(), 6u);
    EXPECT_EQ(rows[t].points, dense[t].points);
    for (int s = 0; s < 4; ++s) EXPECT_EQ(rows[t].status_counts[s], dense[t].status_counts[s]) << "tile " << t;
    for (std::size_t v = 0; v < rows[t].chunks.size(); ++v)
      EXPECT_EQ(rows[t].chunks[v], dense[t].chunks[v]) << "tile " << t << " variable " << v;
    // The values are the model's: f at every real cell.
    const auto origin = grid.tile_origin(t);
    for (std::size_t cell = 0; cell < grid.cells_per_tile(); ++cell) {
      std::size_t point[2];
      double f = 0;
      std::memcpy(&f, rows[t].chunks[f_var].data() + cell * sizeof(double), sizeof f);
      if (!grid.cell_to_point(origin, cell, point)) {
        EXPECT_TRUE(std::isnan(f));
        continue;
      }
      const double x = rows_spec.axes[0].values[point[0]], y = rows_spec.axes[1].values[point[1]];
      if (x > 0.8) continue;
      EXPECT_EQ(f, f_of(x, y, 0.25)) << "tile " << t << " cell " << cell;
      ++checked;
    }
  }
  EXPECT_GT(checked, grid.point_count() / 2);
}

TEST(TileEvaluator, ChunksWrittenInPlaceEqualTheCopiedOnesOnTilesWithoutPadding) {
  expect_same_chunks_and_values(
      "[[axis]]\nname = \"x\"\nlinspace = [0.0, 1.0, 6]\n[[axis]]\nname = \"y\"\nlinspace = [0.0, 1.0, 10]\n"
      "[run]\nchunk = [3, 5]\n");
}

TEST(TileEvaluator, ChunksWrittenInPlaceEqualTheCopiedOnesWithPaddedTilesBetween) {
  expect_same_chunks_and_values(
      "[[axis]]\nname = \"x\"\nlinspace = [0.0, 1.0, 7]\n[[axis]]\nname = \"y\"\nlinspace = [0.0, 1.0, 13]\n"
      "[run]\nchunk = [3, 5]\n");
}

// A closed-form model's full tiles count their statuses on the status bytes in blocks of 255; tiles
// of 2400 cells with solved and infeasible points mixed (x > 0.8) must count as the dense model's
// point-by-point path does.
TEST(TileEvaluator, ClosedFormStatusCountsOverManyCountingBlocksEqualThePointByPointCounts) {
  expect_same_chunks_and_values(
      "[[axis]]\nname = \"x\"\nlinspace = [0.0, 1.0, 90]\n[[axis]]\nname = \"y\"\nlinspace = [0.0, 1.0, 120]\n"
      "[run]\nchunk = [40, 60]\n");
}

// With raw checksums asked for, a tile solved straight into its chunks is solved in slices and
// each asked-for output's Fletcher-32 taken slice by slice: the chunks are the same bytes as one
// whole-tile solve, and each checksum is that of the finished chunk. Variables that are not
// solved in place (categorical, diagnostics, every variable of a padded tile) and those not asked
// for get none, so the codec sums them itself.
TEST(TileEvaluator, ChecksumsTakenWhileSolvingAreThoseOfTheFinishedChunks) {
  static const ToyModel<true> rows_model;
  ModelCatalog catalog;
  catalog.add(rows_model);
  // Tiles of 40 x 60 = 2400 cells: four full 512-point slices and a partial one; x has 90 points,
  // so the third row of tiles is padded and four tiles are full.
  const SweepSpec spec = parse_spec(
      "model = \"toy_rows\"\noutputs = [\"g\", \"f\", \"above\"]\n[fixed]\nz = 0.25\n"
      "[[axis]]\nname = \"x\"\nlinspace = [0.0, 1.0, 90]\n[[axis]]\nname = \"y\"\nlinspace = [0.0, 1.0, 120]\n"
      "[run]\nchunk = [40, 60]\n",
      "sums.toml", catalog);
  const TileGrid grid(spec.shape(), spec.chunk);
  TileEvaluator plain(spec, grid), summing(spec, grid);
  summing.take_raw_checksums({true, false, true, true, true, true});
  std::size_t full_tiles = 0;
  for (std::size_t t = 0; t < grid.tile_count(); ++t) {
    TileResult a, b;
    plain.evaluate(t, a);
    summing.evaluate(t, b);
    ASSERT_EQ(b.chunks.size(), 6u);
    ASSERT_EQ(b.raw_checksums.size(), 6u);
    for (std::size_t v = 0; v < 6; ++v) EXPECT_EQ(a.chunks[v], b.chunks[v]) << "tile " << t << " variable " << v;
    for (const auto& sum : a.raw_checksums) EXPECT_FALSE(sum.has_value()) << "tile " << t << ": none asked for";
    const bool full = b.points == grid.cells_per_tile();
    full_tiles += full;
    if (full) {
      ASSERT_TRUE(b.raw_checksums[0].has_value()) << "tile " << t;
      EXPECT_EQ(*b.raw_checksums[0], fletcher32(b.chunks[0])) << "tile " << t;
    } else {
      EXPECT_FALSE(b.raw_checksums[0].has_value()) << "padded tile " << t;
    }
    for (std::size_t v = 1; v < 6; ++v) EXPECT_FALSE(b.raw_checksums[v].has_value()) << "tile " << t << " variable " << v;
  }
  EXPECT_EQ(full_tiles, 4u);
}

}  // namespace
}  // namespace eqsweep
