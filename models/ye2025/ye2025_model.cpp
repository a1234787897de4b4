#include "models/ye2025/ye2025_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "models/ye2025/evaluation.hpp"
#include "models/ye2025/propositions.hpp"
#include "models/ye2025/tile_evaluation.hpp"

namespace eqsweep::ye2025 {

namespace {

constexpr int kQuantityOutputs = kScenarioCount * kScenarioOutputCount;

// Where output `q` (kQuantities order) of scenario `s` goes: the original quantities of every
// scenario first (N.* and Y.* keep indices 0-19), then the ones added since (scenario_outputs.hpp).
constexpr int quantity_output(int s, int q) {
  constexpr int kOriginal = kOriginalQuantityCount, kAdded = kScenarioOutputCount - kOriginalQuantityCount;
  return q < kOriginal ? s * kOriginal + q : kScenarioCount * kOriginal + s * kAdded + (q - kOriginal);
}
constexpr int kClaimCount = static_cast<int>(kClaims.size());
constexpr int kWindowCount = static_cast<int>(kWindows.size());
constexpr int kBlock = kQuantityOutputs + kScenarioCount + kClaimCount + kWindowCount;
constexpr int kPrintedCount = static_cast<int>(kPrintedWindows.size());

constexpr const char* kRegimeMeanings = "0 equilibrium, 1 outside the two-product region (a non-positive quantity or price, or more than the market), 2 second-order condition fails, "
                                        "3 degenerate, 4 not printed";
// The same codes as CF flags.
const std::vector<FlagInfo> kRegimeFlags = {{0, "equilibrium"},
                                            {1, "outside_two_product_region"},
                                            {2, "second_order_condition_fails"},
                                            {3, "degenerate"},
                                            {4, "not_printed"}};

// Which parts of an evaluation block the engine will read. A sweep of N and Y alone then costs
// two scenario evaluations per point instead of all scenarios plus every claim and window.
struct Needs {
  bool scenario[kScenarioCount] = {};
  bool claims = false;   // claims and windows (they evaluate every scenario)
  bool printed = false;  // printed windows
  bool derived_block = false;

  // `offset`: where the block starts among the model's outputs (0, or the derived copy's offset).
  static Needs from(const std::vector<bool>& needed, int offset = 0) {
    Needs n;
    auto wanted = [&](int index) { return needed.empty() || needed[static_cast<std::size_t>(offset + index)]; };
    for (int s = 0; s < kScenarioCount; ++s) {
      n.scenario[s] = wanted(kQuantityOutputs + s);
      for (int q = 0; q < kScenarioOutputCount; ++q) n.scenario[s] = n.scenario[s] || wanted(quantity_output(s, q));
    }
    for (int c = kQuantityOutputs + kScenarioCount; c < kBlock; ++c) n.claims = n.claims || wanted(c);
    if (offset == 0) {
      for (int w = kBlock; w < kBlock + kPrintedCount; ++w) n.printed = n.printed || wanted(w);
      for (int d = kBlock + kPrintedCount; d < kBlock + kPrintedCount + kBlock; ++d)
        n.derived_block = n.derived_block || wanted(d);
    }
    // The point's status rests on N and Y; the claims compare every scenario.
    for (int s = 0; s < kScenarioCount; ++s)
      n.scenario[s] = n.scenario[s] || n.claims || s == kScenarioN || s == kScenarioY;
    return n;
  }
  static Needs all() { return from({}); }
};

// Writes one evaluation block (scenario outputs, regimes, claims, windows) of point i; the block
// starts at output `offset`.
void store_block(const Point& p, Evaluator eval, const BatchView& b, int offset, std::size_t i, Evaluation* ev,
                 const Needs& needs) {
  auto put = [&](int index, double v) { b.row(static_cast<std::size_t>(offset + index))[i] = v; };
  for (int s = 0; s < kScenarioCount; ++s) {
    if (!needs.scenario[s]) continue;
    ev[s] = eval(s, p);
    const ScenarioOutputs& o = ev[s].o;
    const auto values = quantity_values(o);
    const bool keep = ev[s].regime == kEquilibrium;
    for (int q = 0; q < kScenarioOutputCount; ++q) put(quantity_output(s, q), keep ? values[q] : kNaN);
    put(kQuantityOutputs + s, ev[s].regime);
  }
  if (!needs.claims) return;
  double claims[kClaims.size()], windows[kWindows.size()];
  evaluate_claims(p, eval, claims, windows);
  for (int c = 0; c < kClaimCount; ++c) put(kQuantityOutputs + kScenarioCount + c, claims[c]);
  for (int w = 0; w < kWindowCount; ++w) put(kQuantityOutputs + kScenarioCount + kClaimCount + w, windows[w]);
}

void clear_block(const BatchView& b, int offset) {
  for (int o = 0; o < kBlock; ++o) std::fill_n(b.row(static_cast<std::size_t>(offset + o)), b.size, kNaN);
}

// Fills one evaluation block of a whole batch. Without claims every scenario is evaluated over
// the tile by its own inlined loop (tile_evaluation.hpp); the claims compare scenarios and scan
// contract parameters point by point, so with claims the block is filled point by point.
void fill_block(const BatchView& b, Variant evaluation, const Needs& needs, int offset) {
  const std::size_t st = b.stride;
  const Evaluator eval = evaluation == Variant::derived ? &derived : &published;
  if (needs.claims) {
    for (std::size_t i = 0; i < b.size; ++i) {
      Point p = load_point(b.params, st, i);
      Evaluation ev[kScenarioCount];
      store_block(p, eval, b, offset, i, ev, needs);
    }
    return;
  }
  for (int s = 0; s < kScenarioCount; ++s) {
    if (!needs.scenario[s]) continue;
    TileRows rows;
    rows.size = b.size;
    rows.stride = st;
    rows.params = b.params;
    for (int q = 0; q < kScenarioOutputCount; ++q)
      rows.quantity[static_cast<std::size_t>(q)] = b.row(static_cast<std::size_t>(offset + quantity_output(s, q)));
    rows.regime = b.row(static_cast<std::size_t>(offset + kQuantityOutputs + s));
    if (evaluation == Variant::derived) derived_tile(s, rows);
    else published_tile(s, rows);
  }
}

class Ye2025Solver final : public PointSolver {
 public:
  Ye2025Solver(Variant v, const std::vector<bool>& needed)
      : variant_(v), needs_(Needs::from(needed)), derived_needs_(Needs::from(needed, kBlock + kPrintedCount)) {}

  void solve_batch(const BatchView& b) override {
    const std::size_t st = b.stride;
    fill_block(b, variant_ == Variant::derived ? Variant::derived : Variant::published, needs_, 0);
    if (needs_.printed) {
      for (std::size_t i = 0; i < b.size; ++i) {
        const PrintedWindows pw = printed_windows(load_point(b.params, st, i));
        for (int w = 0; w < kPrintedCount; ++w)
          b.row(static_cast<std::size_t>(kBlock + w))[i] = pw.*kPrintedWindows[static_cast<std::size_t>(w)].value;
      }
    }
    if (needs_.derived_block) {
      if (variant_ == Variant::both) fill_block(b, Variant::derived, derived_needs_, kBlock + kPrintedCount);
      else clear_block(b, kBlock + kPrintedCount);
    }
    // The point stands or falls with the basic model: N and Y of the stored evaluation (their
    // regimes are always computed, see Needs).
    const double* regime_N = b.row(static_cast<std::size_t>(kQuantityOutputs + kScenarioN));
    const double* regime_Y = b.row(static_cast<std::size_t>(kQuantityOutputs + kScenarioY));
    for (std::size_t i = 0; i < b.size; ++i) {
      const int rN = static_cast<int>(regime_N[i]), rY = static_cast<int>(regime_Y[i]);
      const bool degenerate = rN == kDegenerate || rY == kDegenerate;
      b.results[i] = {degenerate                                   ? PointStatus::failed
                      : rN == kEquilibrium && rY == kEquilibrium ? PointStatus::solved
                                                                   : PointStatus::infeasible,
                      0, kNaN};
    }
  }
  bool writes_output_rows() const override { return true; }

 private:
  Variant variant_;
  Needs needs_, derived_needs_;
};


// The outputs in the order the solver writes them: an evaluation block, the printed windows, the
// derived copy of the block (the offsets below index this list).
std::vector<OutputInfo> declare_outputs() {
  std::vector<OutputInfo> outputs;
  auto block = [&](const std::string& prefix, const std::string& what) {
    for (auto [first, last] : {std::pair{0, kOriginalQuantityCount}, std::pair{kOriginalQuantityCount, kScenarioOutputCount}})
      for (int s = 0; s < kScenarioCount; ++s)
        for (int k = first; k < last; ++k) {
          const auto& q = kQuantities[static_cast<std::size_t>(k)];
          outputs.push_back({fmt::format("{}{}.{}", prefix, kScenarioNames[s], q.name),
                             fmt::format("{} in scenario {} ({}), {}", q.description, kScenarioNames[s], kScenarioTitles[s], what),
                             "1"});
        }
    for (int s = 0; s < kScenarioCount; ++s)
      outputs.push_back({fmt::format("{}{}.regime", prefix, kScenarioNames[s]),
                         fmt::format("regime of scenario {} ({}), {}: {}", kScenarioNames[s], kScenarioTitles[s], what, kRegimeMeanings),
                         "1", kRegimeFlags});
    for (const auto& c : kClaims)
      outputs.push_back({fmt::format("{}{}", prefix, c.name), fmt::format("{} ({}; {})", c.description, what, claim_codes(c.kind)),
                         "1", claim_flags(c.kind)});
    for (const auto& w : kWindows)
      outputs.push_back({fmt::format("{}{}", prefix, w.name), fmt::format("{} ({})", w.description, what), "1"});
  };
  block("", "the variant's evaluation (published in variants published and both)");
  for (const auto& w : kPrintedWindows) outputs.push_back({std::string(w.name), std::string(w.description), "1"});
  block("derived.", "derived evaluation, filled in variant both");
  return outputs;
}

ModelDescription describe_ye2025() {
  const auto params = parameter_table();
  return {
      .name = "ye2025",
      .description = "Manufacturer-leader Stackelberg game over a standard and a customised product with demand "
                     "information shared through a blockchain: scenarios N, Y and their contracts and extensions, "
                     "published and derived",
      .source = "Ye, Wang & Zhao (2025), blockchain information sharing under mass customization; "
                "shared/papers/ye-wang-zhao-2025-blockchain-mass-customization.txt",
      .parameters = {params.begin(), params.end()},
      .outputs = declare_outputs(),
      .variants = {{"published", "closed forms transcribed from Appendix A as printed", {"derived.*"}},
                   {"derived", "backward induction from the model's primitives (one linear-quadratic Stackelberg solver)",
                    {"derived.*"}},
                   {"both", "published outputs, plus the derived evaluation under the prefix 'derived.'"}},
      .closed_form = true,  // every status comes with iterations 0 and residual NaN
  };
}

}  // namespace

Ye2025Model::Ye2025Model() : Model(describe_ye2025()) {}

int Ye2025Model::output_index(int scenario, int quantity) { return quantity_output(scenario, quantity); }
int Ye2025Model::regime_index(int scenario) { return kQuantityOutputs + scenario; }
int Ye2025Model::claims_offset() { return kQuantityOutputs + kScenarioCount; }
int Ye2025Model::windows_offset() { return kQuantityOutputs + kScenarioCount + kClaimCount; }
int Ye2025Model::printed_windows_offset() { return kBlock; }
int Ye2025Model::block_size() { return kBlock; }
int Ye2025Model::derived_offset() { return kBlock + kPrintedCount; }

std::unique_ptr<PointSolver> Ye2025Model::make_solver(const SolverSetup& setup) const {
  const std::string_view variant = setup.variant;
  if (variant == "published") return std::make_unique<Ye2025Solver>(Variant::published, setup.needed_outputs);
  if (variant == "derived") return std::make_unique<Ye2025Solver>(Variant::derived, setup.needed_outputs);
  if (variant == "both") return std::make_unique<Ye2025Solver>(Variant::both, setup.needed_outputs);
  throw std::invalid_argument(fmt::format("model ye2025 has no variant '{}' (published, derived, both)", variant));
}

}  // namespace eqsweep::ye2025
