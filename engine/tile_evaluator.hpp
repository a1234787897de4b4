#pragma once
// Solves every point of one tile and lays the results out as one HDF5 chunk per variable.
// Each worker thread owns one evaluator (and through it one PointSolver and its buffers).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/codecs/fletcher32.hpp"
#include "engine/model.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"

namespace eqsweep {

// Per-variable raw chunk buffers of one tile, in dataset order: the selected outputs, the
// sensitivities (derivative, then elasticity if asked), then status, iterations, residual.
struct TileResult {
  std::size_t tile = 0;
  std::size_t points = 0;                        // real (non-padding) points
  std::vector<std::vector<std::byte>> chunks;     // raw or encoded, one per variable
  // Per variable: fletcher32 of its raw chunk where the evaluator took it while solving.
  std::vector<std::optional<std::uint32_t>> raw_checksums;
  std::size_t status_counts[4] = {0, 0, 0, 0};   // by PointStatus
  std::int64_t iterations = 0;                   // summed over the tile's points
};

class TileEvaluator {
 public:
  TileEvaluator(const SweepSpec& spec, const TileGrid& grid);

  // Solves the tile; fills `out.chunks` with raw (unencoded) chunk bytes.
  void evaluate(std::size_t tile, TileResult& out);
  // Which variables (dataset order) get their raw chunk's Fletcher-32 in out.raw_checksums. It is
  // taken where it is cheap: a stored output solved straight into its chunk is summed slice by
  // slice while the slice is in cache; other variables are left to the codec.
  void take_raw_checksums(std::vector<bool> variables) { checksum_variables_ = std::move(variables); }

 private:
  // Lays out the tile's real points' parameters; returns their number.
  std::size_t gather(std::size_t tile, const std::vector<std::size_t>& origin);
  // The same for a tile without padding or design axes: every column is a pattern of runs.
  void gather_full(const std::vector<std::size_t>& origin);
  void solve_cold(std::size_t n);
  // solve_cold in cache-sized slices, each slice's chunk bytes summed as soon as it is solved.
  void solve_cold_summing(std::size_t n, TileResult& out);
  bool sums_while_solving(std::size_t v) const {
    return direct_[v] && v < checksum_variables_.size() && checksum_variables_[v];
  }
  void solve_with_continuation();
  // Solves every real point again with parameter p moved to x + dx (cold starts) into
  // shifted_outputs_/shifted_results_; points whose shifted value leaves the domain are copied.
  void solve_shifted(std::size_t n, int p, double step, double sign);
  void compute_sensitivities(std::size_t n);

  const SweepSpec& spec_;
  const TileGrid& grid_;
  std::unique_ptr<PointSolver> solver_;
  std::size_t n_params_, n_outputs_;
  std::vector<double> params_;  // SoA over the tile's real points
  // Outputs in SoA layout, one row per model output. Left uninitialised on purpose: a model with
  // hundreds of outputs writes only the rows a sweep reads (SolverSetup::needed_outputs), and the
  // rows it never touches then never cost a page fault.
  std::unique_ptr<double[]> outputs_;
  std::vector<PointResult> results_;
  std::vector<std::int64_t> point_of_cell_;  // -1 for padding
  bool identity_cells_ = false;             // point_of_cell_ is 0, 1, ..., cells - 1
  // Axis columns of params_ as the last tile without padding left them (by origin along the
  // axis; SIZE_MAX: to fill): consecutive tiles of a row share most of them.
  std::vector<std::size_t> column_origin_;
  bool has_design_ = false;
  // Where the solver writes each model output: a stored output's chunk buffer (tiles without
  // padding), otherwise its row of outputs_.
  std::vector<double*> rows_;
  std::vector<bool> direct_;  // per stored output: rows_ is its chunk, nothing to copy
  std::vector<bool> checksum_variables_;
  std::vector<double*> slice_rows_;
  std::vector<Fletcher32> sums_;  // per stored output
  std::vector<double> warm_a_, warm_b_;
  std::vector<double> shifted_params_, shifted_x_[2];
  std::unique_ptr<double[]> shifted_outputs_[2];
  std::vector<PointResult> shifted_results_[2];
  std::vector<std::vector<double>> sensitivity_columns_;  // per sensitivity variable, per point
  std::vector<std::size_t> coords_;
};

}  // namespace eqsweep
