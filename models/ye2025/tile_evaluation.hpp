#pragma once
// One scenario evaluated over a whole tile of points held as structure of arrays (the engine's
// BatchView layout). The scenario is a template argument of the loop, so its closed form or game
// is inlined into one loop body: no per-point dispatch, and the compiler loads only the
// parameters the scenario reads.

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "models/ye2025/evaluation.hpp"

namespace eqsweep::ye2025 {

// Where a tile's points come from and where one scenario's outputs go: parameter j of point i is
// params[j * stride + i]; output q of point i goes to quantity[q][i], its regime code to regime[i].
struct TileRows {
  std::size_t size = 0, stride = 0;
  const double* params = nullptr;
  std::array<double*, kScenarioOutputCount> quantity{};
  double* regime = nullptr;
};

// Evaluates scenario `scenario` (published or derived) at every point of the tile; outputs are
// NaN outside the equilibrium regime, exactly as the per-point path stores them.
void published_tile(int scenario, const TileRows& rows);
void derived_tile(int scenario, const TileRows& rows);

// The instruction sets published_tile's loops are compiled for. Both are the same IEEE operations
// in the same order (two or four points per instruction, no FMA: GCC's "avx2" target does not
// enable it), so they store the same bits; published_tile takes avx2 where the CPU has it.
enum class TileIsa { sse2, avx2 };
bool tile_isa_supported(TileIsa isa);
void published_tile(int scenario, const TileRows& rows, TileIsa isa);  // isa must be supported

// published_tile as it ran before the block buffer became one row per output (same bits, slower);
// for the bench's same-run ratio only.
void published_tile_aos(int scenario, const TileRows& rows);

// A table with one entry per scenario, entry(std::integral_constant<int, S>{}) for S = 0..N-1:
// the scenario-specialised kernels, so that a tile dispatches once, not once per point.
template <int N, class Entry>
constexpr auto scenario_table(Entry entry) {
  return [&]<std::size_t... S>(std::index_sequence<S...>) {
    return std::array{entry(std::integral_constant<int, static_cast<int>(S)>{})...};
  }(std::make_index_sequence<N>());
}

// The parameter rows of a tile, one pointer per parameter computed once per tile, so that the
// loops index each row directly instead of computing j * stride + i per parameter and point.
struct ParamRows {
  const double* row[kParamCount];
  ParamRows(const double* params, std::size_t st) {
    for (int j = 0; j < kParamCount; ++j) row[j] = params + static_cast<std::size_t>(j) * st;
  }
  Point operator[](std::size_t i) const {
    Point p{row[kTheta][i], row[kK][i], row[kT][i], row[kSigma][i], row[kGamma][i]};
    p.m = row[kMShare][i];
    p.s = row[kS][i];
    p.phi = row[kPhi][i];
    p.y = row[kY][i];
    p.delta = row[kDelta][i];
    p.rho = row[kRho][i];
    p.M = row[kMarket][i];
    p.l = row[kL][i];
    p.V = row[kValue][i];
    p.F = row[kF][i];
    p.b = row[kB][i];
    p.c = row[kC][i];
    return p;
  }
};

inline Point load_point(const double* params, std::size_t st, std::size_t i) { return ParamRows(params, st)[i]; }

// The loop shared by both evaluations; `eval` is a scenario-specific inline evaluator.
template <class Eval>
void evaluate_tile(const TileRows& rows, Eval eval) {
  const std::size_t n = rows.size;
  const ParamRows params(rows.params, rows.stride);
  double* __restrict q[kScenarioOutputCount];
  for (int k = 0; k < kScenarioOutputCount; ++k) q[k] = rows.quantity[static_cast<std::size_t>(k)];
  double* __restrict regime = rows.regime;
  for (std::size_t i = 0; i < n; ++i) {
    const Evaluation e = eval(params[i]);
    const bool keep = e.regime == kEquilibrium;
    for_each_quantity([&](auto k) { q[k][i] = keep ? e.o.*kQuantities[k].value : kNaN; });
    regime[i] = e.regime;
  }
}

// The second pass of evaluate_tile_two_pass over one block, as functions whose rows are
// __restrict parameters: GCC ignores __restrict on the locals of a loop and then gives up on the
// run-time alias checks (more than ten), but takes it on parameters of inlined functions.
// regime_rows: each point's regime code from its outputs and the market size M (the one parameter
// a printed regime reads). store_row: one output row, NaN outside regime 0; the value is loaded
// unconditionally so that the select if-converts.
template <std::size_t kBlock, class RegimeCode>
inline void regime_rows(std::size_t count, const double* __restrict market,
                        const double (&out)[kScenarioOutputCount][kBlock], RegimeCode regime_code,
                        double* __restrict regime) {
  for (std::size_t j = 0; j < count; ++j) {
    ScenarioOutputs o;
    for_each_quantity([&](auto k) { o.*kQuantities[k].value = out[k][j]; });
    regime[j] = regime_code(market[j], o);
  }
}
inline void store_row(std::size_t count, const double* __restrict r, const double* __restrict v, double* __restrict q) {
  for (std::size_t j = 0; j < count; ++j) {
    const double x = v[j];
    q[j] = r[j] == double{kEquilibrium} ? x : kNaN;
  }
}

// Two passes per block of points, for evaluations whose regime follows from the outputs alone
// (the printed forms). The block buffer holds one row per output (structure of arrays), so that
// the first pass (the closed form alone, loads from the parameter rows, one store per output
// into its own row, no calls, no branches) is a plain loop that GCC vectorises with SSE2 doubles:
// each IEEE operation is the scalar one applied to two points, in the same order, so the bits are
// those of the per-point path. The second pass computes each point's regime code without branches
// (`regime_code`, a double), writes the regime row, then writes each output row once, NaN outside
// regime 0, as evaluate_tile does; each of these loops vectorises too.
template <class Outputs, class RegimeCode>
void evaluate_tile_two_pass(const TileRows& rows, Outputs outputs, RegimeCode regime_code) {
  constexpr std::size_t kBlock = 256;
  const std::size_t n = rows.size;
  alignas(64) double out[kScenarioOutputCount][kBlock];
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t count = start + kBlock < n ? kBlock : n - start;
    const ParamRows params(rows.params + start, rows.stride);
    for (std::size_t j = 0; j < count; ++j) {
      const ScenarioOutputs o = outputs(params[j]);
      for_each_quantity([&](auto k) { out[k][j] = o.*kQuantities[k].value; });
    }
    double* const regime = rows.regime + start;
    regime_rows(count, params.row[kMarket], out, regime_code, regime);
    for (int k = 0; k < kScenarioOutputCount; ++k)
      store_row(count, regime, out[k], rows.quantity[static_cast<std::size_t>(k)] + start);
  }
}

// The same two passes with a block buffer of whole ScenarioOutputs (array of structures) and a
// branching regime, as solve_batch ran them before: GCC vectorises neither pass for some
// scenarios (the store group of ten outputs). Kept for the bench (published_tile_aos).
template <class Outputs, class RegimeOf>
void evaluate_tile_two_pass_aos(const TileRows& rows, Outputs outputs, RegimeOf regime_of) {
  constexpr std::size_t kBlock = 256;
  const std::size_t n = rows.size;
  const ParamRows params(rows.params, rows.stride);
  double* __restrict q[kScenarioOutputCount];
  for (int k = 0; k < kScenarioOutputCount; ++k) q[k] = rows.quantity[static_cast<std::size_t>(k)];
  double* __restrict regime = rows.regime;
  ScenarioOutputs block[kBlock];
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t count = start + kBlock < n ? kBlock : n - start;
    for (std::size_t j = 0; j < count; ++j) block[j] = outputs(params[start + j]);
    for (std::size_t j = 0; j < count; ++j) {
      const std::size_t i = start + j;
      const ScenarioOutputs& o = block[j];
      const int r = regime_of(params[i], o);
      const bool keep = r == kEquilibrium;
      for_each_quantity([&](auto k) { q[k][i] = keep ? o.*kQuantities[k].value : kNaN; });
      regime[i] = r;
    }
  }
}

}  // namespace eqsweep::ye2025
