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
    const ScenarioOutputs& o = e.o;
    const double v[kScenarioOutputCount] = {o.p_A, o.p_B, o.q_A, o.q_B, o.w_A, o.w_B, o.pi_R, o.pi_M, o.pi_SC, o.c_B};
    for (int k = 0; k < kScenarioOutputCount; ++k) q[k][i] = keep ? v[k] : kNaN;
    regime[i] = e.regime;
  }
}

// Two passes per block of points, for evaluations whose regime follows from the outputs alone
// (the printed forms): the first pass is the closed form alone, straight-line arithmetic into a
// block buffer that stays in the L1 cache; the second derives each point's regime from the
// buffered outputs and writes every output row once, NaN outside regime 0, as evaluate_tile does.
template <class Outputs, class RegimeOf>
void evaluate_tile_two_pass(const TileRows& rows, Outputs outputs, RegimeOf regime_of) {
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
      const double v[kScenarioOutputCount] = {o.p_A, o.p_B, o.q_A, o.q_B, o.w_A, o.w_B, o.pi_R, o.pi_M, o.pi_SC, o.c_B};
      for (int k = 0; k < kScenarioOutputCount; ++k) q[k][i] = keep ? v[k] : kNaN;
      regime[i] = r;
    }
  }
}

}  // namespace eqsweep::ye2025
