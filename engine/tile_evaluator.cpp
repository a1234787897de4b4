#include "engine/tile_evaluator.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace eqsweep {

namespace {

// How many of bytes[0, n) equal `value`. Summed in 8-bit lanes over blocks of 255 bytes, so the
// compiler compares 16 or 32 bytes per instruction instead of widening every byte to 64 bits.
std::size_t count_bytes(const std::uint8_t* bytes, std::size_t n, std::uint8_t value) {
  std::size_t total = 0;
  for (std::size_t start = 0; start < n; start += 255) {
    const std::size_t end = std::min(n, start + 255);
    std::uint8_t block = 0;
    for (std::size_t i = start; i < end; ++i) block += bytes[i] == value;
    total += block;
  }
  return total;
}

// Room for a trailer that a codec appends in place (Fletcher-32's 4 bytes), so that appending
// never moves a chunk.
constexpr std::size_t kChunkSlack = 16;

void size_chunk(std::vector<std::byte>& buf, std::size_t bytes) {
  buf.reserve(bytes + kChunkSlack);
  buf.resize(bytes);
}

template <typename T>
void put(std::vector<std::byte>& buf, std::size_t cell, T value) {
  std::memcpy(buf.data() + cell * sizeof(T), &value, sizeof(T));
}
}  // namespace

TileEvaluator::TileEvaluator(const SweepSpec& spec, const TileGrid& grid)
    : spec_(spec),
      grid_(grid),
      solver_(spec.model->make_solver(spec.solver_setup())),
      n_params_(spec.model->parameters().size()),
      n_outputs_(spec.model->outputs().size()) {
  const std::size_t cells = grid.cells_per_tile();
  params_.resize(n_params_ * cells);
  // Fixed parameters are the same in every tile: their columns are filled once per worker.
  for (std::size_t p = 0; p < n_params_; ++p)
    if (!std::isnan(spec.fixed[p])) std::fill_n(params_.data() + p * cells, cells, spec.fixed[p]);
  outputs_ = std::make_unique_for_overwrite<double[]>(n_outputs_ * cells);
  if (!spec.sensitivities.empty())
    for (auto& o : shifted_outputs_) o = std::make_unique_for_overwrite<double[]>(n_outputs_ * cells);
  results_.resize(cells);
  point_of_cell_.resize(cells);
  column_origin_.assign(grid.rank(), SIZE_MAX);
  for (const auto& axis : spec.axes) has_design_ = has_design_ || axis.is_design();
  rows_.resize(n_outputs_);
  direct_.resize(spec.outputs.size());
  coords_.resize(grid.rank());
  warm_a_.resize(spec.model->warm_start_size());
  warm_b_.resize(spec.model->warm_start_size());
}

void TileEvaluator::gather_full(const std::vector<std::size_t>& origin) {
  const std::size_t cells = grid_.cells_per_tile();
  const auto& chunk = grid_.chunk();
  std::size_t inner = cells;
  for (std::size_t d = 0; d < grid_.rank(); ++d) {
    // Cell c of the chunk sits at index (c / inner) % chunk[d] along axis d.
    inner /= chunk[d];
    if (column_origin_[d] == origin[d]) continue;
    const AxisSpec& axis = spec_.axes[d];
    double* column = params_.data() + static_cast<std::size_t>(axis.parameter) * cells;
    const double* values = axis.values.data() + origin[d];
    for (std::size_t run = 0; run < cells / inner; ++run)
      std::fill_n(column + run * inner, inner, values[run % chunk[d]]);
    column_origin_[d] = origin[d];
  }
  if (!identity_cells_) {
    for (std::size_t cell = 0; cell < cells; ++cell) point_of_cell_[cell] = static_cast<std::int64_t>(cell);
    identity_cells_ = true;
  }
}

std::size_t TileEvaluator::gather(std::size_t tile, const std::vector<std::size_t>& origin) {
  const std::size_t cells = grid_.cells_per_tile();
  if (!has_design_ && grid_.points_in_tile(tile) == cells) {
    gather_full(origin);
    return cells;
  }
  // The real points of the tile in chunk order, parameters in SoA layout; the cells are walked
  // with an odometer over the chunk's coordinates (no division per cell).
  std::fill(column_origin_.begin(), column_origin_.end(), SIZE_MAX);
  identity_cells_ = false;
  const std::size_t rank = grid_.rank();
  const auto& chunk = grid_.chunk();
  const auto& shape = grid_.shape();
  std::fill(coords_.begin(), coords_.end(), 0);
  std::size_t n = 0;
  for (std::size_t cell = 0; cell < cells; ++cell) {
    bool inside = true;
    for (std::size_t d = 0; d < rank; ++d) inside = inside && origin[d] + coords_[d] < shape[d];
    if (inside) {
      for (std::size_t d = 0; d < rank; ++d) spec_.set_axis_point(d, origin[d] + coords_[d], params_.data() + n, cells);
      point_of_cell_[cell] = static_cast<std::int64_t>(n);
      ++n;
    } else {
      point_of_cell_[cell] = -1;
    }
    for (std::size_t d = rank; d-- > 0;) {
      if (++coords_[d] < chunk[d]) break;
      coords_[d] = 0;
    }
  }
  return n;
}

void TileEvaluator::evaluate(std::size_t tile, TileResult& out) {
  const std::size_t cells = grid_.cells_per_tile();
  const auto origin = grid_.tile_origin(tile);
  const std::size_t n = gather(tile, origin);
  const bool cold = spec_.model->warm_start_size() == 0;
  const auto model_outputs = spec_.model->outputs();

  // Chunk buffers first: a tile without padding hands the stored outputs' chunks to the solver
  // as their rows (SoA rows are the chunk layout), so nothing is copied after the solve.
  std::size_t n_sens = 0;
  for (const auto& sens : spec_.sensitivities) n_sens += sens.elasticity ? 2 : 1;
  out.chunks.resize(spec_.outputs.size() + n_sens + 3);
  for (std::size_t o = 0; o < n_outputs_; ++o) rows_[o] = outputs_.get() + o * cells;
  const bool direct = cold && n == cells && solver_->writes_output_rows();
  for (std::size_t v = 0; v < spec_.outputs.size(); ++v) {
    const auto o = static_cast<std::size_t>(spec_.outputs[v]);
    const bool categorical = model_outputs[o].categorical();
    size_chunk(out.chunks[v], cells * (categorical ? sizeof(std::int32_t) : sizeof(double)));
    direct_[v] = direct && !categorical && rows_[o] == outputs_.get() + o * cells;  // an output stored twice: copied
    if (direct_[v]) rows_[o] = reinterpret_cast<double*>(out.chunks[v].data());
  }

  out.raw_checksums.assign(out.chunks.size(), std::nullopt);
  bool summing = false;
  for (std::size_t v = 0; v < spec_.outputs.size(); ++v)
    summing = summing || sums_while_solving(v);
  if (summing) solve_cold_summing(n, out);
  else if (cold) solve_cold(n);
  else solve_with_continuation();
  if (!spec_.sensitivities.empty()) compute_sensitivities(n);

  // Scatter into chunk buffers; padding cells keep the dataset's fill value.
  out.tile = tile;
  out.points = n;
  out.iterations = 0;
  std::fill(std::begin(out.status_counts), std::end(out.status_counts), 0);
  for (std::size_t v = 0; v < spec_.outputs.size(); ++v) {
    if (direct_[v]) continue;
    auto& buf = out.chunks[v];
    const auto o = static_cast<std::size_t>(spec_.outputs[v]);
    const double* column = rows_[o];
    if (model_outputs[o].categorical()) {
      for (std::size_t cell = 0; cell < cells; ++cell) {
        const std::int64_t i = point_of_cell_[cell];
        const double code = i < 0 ? kNaN : column[i];
        put(buf, cell, std::isnan(code) ? kCategoricalFill : static_cast<std::int32_t>(std::lround(code)));
      }
      continue;
    }
    if (n == cells) {  // no padding: point i is cell i, the SoA row is the chunk
      std::memcpy(buf.data(), column, cells * sizeof(double));
      continue;
    }
    for (std::size_t cell = 0; cell < cells; ++cell) {
      const std::int64_t i = point_of_cell_[cell];
      put(buf, cell, i < 0 ? kNaN : column[i]);
    }
  }
  for (std::size_t k = 0; k < n_sens; ++k) {
    auto& buf = out.chunks[spec_.outputs.size() + k];
    size_chunk(buf, cells * sizeof(double));
    for (std::size_t cell = 0; cell < cells; ++cell) {
      const std::int64_t i = point_of_cell_[cell];
      put(buf, cell, i < 0 ? kNaN : sensitivity_columns_[k][static_cast<std::size_t>(i)]);
    }
  }
  const std::size_t first_diag = spec_.outputs.size() + n_sens;
  auto& status = out.chunks[first_diag];
  auto& iterations = out.chunks[first_diag + 1];
  auto& residual = out.chunks[first_diag + 2];
  size_chunk(status, cells);
  size_chunk(iterations, cells * sizeof(std::int32_t));
  size_chunk(residual, cells * sizeof(double));
  if (n == cells && spec_.model->closed_form()) {
    // Every point is real and its iterations and residual are the model's constants.
    // Counted on the status bytes after the copy: a histogram indexed by the code (++counts[code])
    // made every point wait for the previous point's store to the same counter (3.5 % of a
    // compute-only run); counting contiguous bytes vectorises.
    auto* s = reinterpret_cast<std::uint8_t*>(status.data());
    const PointResult* r = results_.data();
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<std::uint8_t>(r[i].status);
    std::size_t counted = 0;
    for (PointStatus code : {PointStatus::solved, PointStatus::infeasible, PointStatus::failed}) {
      const std::size_t c = count_bytes(s, n, static_cast<std::uint8_t>(code));
      out.status_counts[static_cast<int>(code)] = c;
      counted += c;
    }
    out.status_counts[static_cast<int>(PointStatus::not_computed)] = n - counted;
    std::fill_n(reinterpret_cast<std::int32_t*>(iterations.data()), cells, 0);
    std::fill_n(reinterpret_cast<double*>(residual.data()), cells, kNaN);
    return;
  }
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

void TileEvaluator::solve_shifted(std::size_t n, int p, double step, double sign) {
  const std::size_t cells = grid_.cells_per_tile();
  const std::size_t side = sign > 0 ? 0 : 1;
  const Domain& domain = spec_.model->parameters()[static_cast<std::size_t>(p)].domain;
  shifted_params_ = params_;
  double* column = shifted_params_.data() + static_cast<std::size_t>(p) * cells;
  auto& x_out = shifted_x_[side];
  x_out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = column[i];
    const double moved = x + sign * step * std::max(std::abs(x), 1.0);
    // At a domain edge the difference becomes one-sided: the shifted point stays at x.
    column[i] = domain.contains(moved) ? moved : x;
    x_out[i] = column[i];
  }
  double* outs = shifted_outputs_[side].get();
  auto& results = shifted_results_[side];
  results.resize(results_.size());
  if (spec_.model->warm_start_size() == 0) {
    BatchView batch{n, cells, shifted_params_.data(), outs, results.data()};
    solver_->solve_batch(batch);
  } else {
    for (std::size_t i = 0; i < n; ++i)
      results[i] = solver_->solve_point(shifted_params_.data() + i, cells, outs + i, cells, {}, warm_b_);
  }
}

// Central differences (f(x+h) - f(x-h)) / 2h from two extra solves per point, one-sided at a
// domain edge; NaN wherever the point or a shifted point is not a solved equilibrium.
void TileEvaluator::compute_sensitivities(std::size_t n) {
  const std::size_t cells = grid_.cells_per_tile();
  sensitivity_columns_.clear();
  for (const auto& sens : spec_.sensitivities) {
    solve_shifted(n, sens.parameter, sens.step, +1);
    solve_shifted(n, sens.parameter, sens.step, -1);
    const std::size_t o = static_cast<std::size_t>(sens.output);
    const double* base = rows_[o];
    const double* x = params_.data() + static_cast<std::size_t>(sens.parameter) * cells;
    std::vector<double> derivative(n, kNaN), elasticity(n, kNaN);
    for (std::size_t i = 0; i < n; ++i) {
      const double xp = shifted_x_[0][i], xm = shifted_x_[1][i];
      const bool ok = results_[i].status == PointStatus::solved && xp != xm &&
                      (xp == x[i] || shifted_results_[0][i].status == PointStatus::solved) &&
                      (xm == x[i] || shifted_results_[1][i].status == PointStatus::solved);
      if (!ok) continue;
      const double fp = xp == x[i] ? base[i] : shifted_outputs_[0][o * cells + i];
      const double fm = xm == x[i] ? base[i] : shifted_outputs_[1][o * cells + i];
      derivative[i] = (fp - fm) / (xp - xm);
      elasticity[i] = derivative[i] * x[i] / base[i];
    }
    sensitivity_columns_.push_back(std::move(derivative));
    if (sens.elasticity) sensitivity_columns_.push_back(std::move(elasticity));
  }
}

void TileEvaluator::solve_cold(std::size_t n) {
  BatchView batch;
  batch.size = n;
  batch.stride = grid_.cells_per_tile();
  batch.params = params_.data();
  batch.outputs = outputs_.get();
  batch.results = results_.data();
  if (solver_->writes_output_rows()) batch.output_rows = rows_.data();
  solver_->solve_batch(batch);
}

void TileEvaluator::solve_cold_summing(std::size_t n, TileResult& out) {
  // 512 points: twenty 4 KiB output rows and the parameters stay in L2 between the solve and
  // the sum. Slices split Fletcher-32's 360-word blocks anywhere; the running sums stay exact.
  constexpr std::size_t kSlice = 512;
  const std::size_t stored = spec_.outputs.size();
  sums_.assign(stored, Fletcher32{});
  slice_rows_.resize(n_outputs_);
  BatchView batch;
  batch.stride = grid_.cells_per_tile();
  batch.output_rows = slice_rows_.data();
  for (std::size_t start = 0; start < n; start += kSlice) {
    batch.size = std::min(kSlice, n - start);
    batch.params = params_.data() + start;
    batch.results = results_.data() + start;
    for (std::size_t o = 0; o < n_outputs_; ++o) slice_rows_[o] = rows_[o] + start;
    solver_->solve_batch(batch);
    for (std::size_t v = 0; v < stored; ++v)
      if (sums_while_solving(v))
        sums_[v].update(std::as_bytes(std::span(slice_rows_[static_cast<std::size_t>(spec_.outputs[v])], batch.size)));
  }
  for (std::size_t v = 0; v < stored; ++v)
    if (sums_while_solving(v)) out.raw_checksums[v] = sums_[v].finish();
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
      const PointResult r = solver_->solve_point(params_.data() + p, cells, outputs_.get() + p, cells, warm_in, warm_b_);
      results_[p] = r;
      have_warm = r.status == PointStatus::solved;
      if (have_warm) std::swap(warm_a_, warm_b_);
    }
  }
}

}  // namespace eqsweep
