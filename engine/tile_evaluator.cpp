#include "engine/tile_evaluator.hpp"

#include <cmath>
#include <cstring>

namespace eqsweep {

namespace {
template <typename T>
void put(std::vector<std::byte>& buf, std::size_t cell, T value) {
  std::memcpy(buf.data() + cell * sizeof(T), &value, sizeof(T));
}
}  // namespace

TileEvaluator::TileEvaluator(const SweepSpec& spec, const TileGrid& grid)
    : spec_(spec),
      grid_(grid),
      solver_(spec.model->make_solver_with_options(spec.variant, spec.options)),
      n_params_(spec.model->parameters().size()),
      n_outputs_(spec.model->outputs().size()) {
  const std::size_t cells = grid.cells_per_tile();
  params_.resize(n_params_ * cells);
  outputs_.resize(n_outputs_ * cells);
  results_.resize(cells);
  cell_of_point_.resize(cells);
  point_of_cell_.resize(cells);
  coords_.resize(grid.rank());
  warm_a_.resize(spec.model->warm_start_size());
  warm_b_.resize(spec.model->warm_start_size());
}

void TileEvaluator::evaluate(std::size_t tile, TileResult& out) {
  const std::size_t cells = grid_.cells_per_tile();
  const auto origin = grid_.tile_origin(tile);

  // Gather the real points of the tile in chunk order, parameters in SoA layout.
  std::size_t n = 0;
  for (std::size_t cell = 0; cell < cells; ++cell) {
    if (!grid_.cell_to_point(origin, cell, coords_.data())) {
      point_of_cell_[cell] = -1;
      continue;
    }
    point_of_cell_[cell] = static_cast<std::int64_t>(n);
    cell_of_point_[n] = cell;
    ++n;
  }
  for (std::size_t p = 0; p < n_params_; ++p) {
    double* column = params_.data() + p * cells;
    if (!std::isnan(spec_.fixed[p])) std::fill(column, column + n, spec_.fixed[p]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    grid_.cell_to_point(origin, cell_of_point_[i], coords_.data());
    for (std::size_t d = 0; d < spec_.axes.size(); ++d)
      params_[static_cast<std::size_t>(spec_.axes[d].parameter) * cells + i] = spec_.axes[d].values[coords_[d]];
  }

  if (spec_.model->warm_start_size() == 0) solve_cold(n);
  else solve_with_continuation();

  // Scatter into chunk buffers; padding cells keep the dataset's fill value.
  const std::size_t n_vars = spec_.outputs.size() + 3;
  out.tile = tile;
  out.points = n;
  out.chunks.resize(n_vars);
  out.iterations = 0;
  std::fill(std::begin(out.status_counts), std::end(out.status_counts), 0);
  for (std::size_t v = 0; v < spec_.outputs.size(); ++v) {
    auto& buf = out.chunks[v];
    buf.resize(cells * sizeof(double));
    const double* column = outputs_.data() + static_cast<std::size_t>(spec_.outputs[v]) * cells;
    for (std::size_t cell = 0; cell < cells; ++cell) {
      const std::int64_t i = point_of_cell_[cell];
      put(buf, cell, i < 0 ? kNaN : column[i]);
    }
  }
  auto& status = out.chunks[n_vars - 3];
  auto& iterations = out.chunks[n_vars - 2];
  auto& residual = out.chunks[n_vars - 1];
  status.resize(cells);
  iterations.resize(cells * sizeof(std::int32_t));
  residual.resize(cells * sizeof(double));
  for (std::size_t cell = 0; cell < cells; ++cell) {
    const std::int64_t i = point_of_cell_[cell];
    if (i < 0) {
      put(status, cell, static_cast<std::uint8_t>(PointStatus::not_computed));
      put(iterations, cell, std::int32_t{-1});
      put(residual, cell, kNaN);
      continue;
    }
    const PointResult& r = results_[static_cast<std::size_t>(i)];
    put(status, cell, static_cast<std::uint8_t>(r.status));
    put(iterations, cell, r.iterations);
    put(residual, cell, r.residual);
    ++out.status_counts[static_cast<std::size_t>(r.status) & 3];
    out.iterations += r.iterations;
  }
}

void TileEvaluator::solve_cold(std::size_t n) {
  BatchView batch;
  batch.size = n;
  batch.stride = grid_.cells_per_tile();
  batch.params = params_.data();
  batch.outputs = outputs_.data();
  batch.results = results_.data();
  solver_->solve_batch(batch);
}

// Walks each line of the tile along the continuation axis in axis order, handing every solution
// to the next point as its starting guess; a failure restarts the line's chain cold.
void TileEvaluator::solve_with_continuation() {
  const std::size_t cells = grid_.cells_per_tile();
  const std::size_t axis = spec_.continuation_axis;
  const auto& chunk = grid_.chunk();
  std::size_t stride = 1;
  for (std::size_t d = axis + 1; d < chunk.size(); ++d) stride *= chunk[d];
  const std::size_t line_length = chunk[axis];

  for (std::size_t cell = 0; cell < cells; ++cell) {
    if ((cell / stride) % line_length != 0) continue;  // not the start of a line
    bool have_warm = false;
    for (std::size_t j = 0; j < line_length; ++j) {
      const std::int64_t i = point_of_cell_[cell + j * stride];
      if (i < 0) break;  // padding only follows the real points of a line
      const auto p = static_cast<std::size_t>(i);
      std::span<const double> warm_in = have_warm ? std::span<const double>(warm_a_) : std::span<const double>();
      const PointResult r = solver_->solve_point(params_.data() + p, cells, outputs_.data() + p, cells, warm_in, warm_b_);
      results_[p] = r;
      have_warm = r.status == PointStatus::solved;
      if (have_warm) std::swap(warm_a_, warm_b_);
    }
  }
}

}  // namespace eqsweep
