// Glue between the engine and the model-M solvers: builds the point's Instance, solves it (warm
// or cold), verifies it, and writes outputs. A point that fails verification is stored as failed.

#include <cmath>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "models/ma_sue/segmentation.hpp"
#include "models/ma_sue/ue_solver.hpp"

namespace eqsweep::ma_sue {

class MaSuePointSolver final : public PointSolver {
 public:
  MaSuePointSolver(const MaSueModel& m, const OptionValues& o, std::vector<bool> needed_outputs)
      : model_(m),
        solver_(option(o, "solver") == "projection" ? make_projection_solver(MaSueModel::solver_options(o))
                                                    : make_fast_solver(MaSueModel::solver_options(o))),
        segments_(option(o, "segments") == "optimal"),
        needed_(std::move(needed_outputs)) {
    segmentation_.boundaries =
        option(o, "segment_boundaries") == "quantiles" ? BoundaryChoice::quantiles : BoundaryChoice::optimal;
    // "audit": the deviation ladder of the first session instead of the certificate (verification.hpp).
    verify_.level = option(o, "verification") == "audit" ? VerifyLevel::audit : VerifyLevel::certificate;
    // The outcome (demand, lead times, profits) is evaluated only if the sweep reads one of them.
    const auto outs = model_.outputs();
    for (std::size_t k = 0; k < outs.size(); ++k) {
      const std::string& name = outs[k].name;
      for (const char* prefix : {"T.", "x.", "P.", "profit", "no_purchase"})
        if (needed(k) && name.rfind(prefix, 0) == 0) need_outcome_ = true;
    }
  }

  void solve_batch(const BatchView& b) override {
    for (std::size_t i = 0; i < b.size; ++i)
      b.results[i] = solve_point(b.params + i, b.stride, b.outputs + i, b.stride, {}, {});
  }

  PointResult solve_point(const double* params, std::size_t ps, double* out, std::size_t os,
                          std::span<const double> warm_in, std::span<double> warm_out) override {
    Instance in;
    model_.instance_at(params, ps, in);
    const std::size_t n_out = model_.outputs().size();
    // Outputs the sweep does not read are left unwritten (SolverSetup::needed_outputs).
    auto put = [&](std::size_t o, double v) {
      if (needed(o)) out[o * os] = v;
    };
    if (!boundaries_increasing(params, ps)) {
      for (std::size_t o = 0; o < n_out; ++o) put(o, kNaN);
      return {PointStatus::infeasible, 0, kNaN};
    }
    if (segments_) return solve_segmented_point(in, put);
    // UE (eq. 12): closed form and its own verification (ue_solver.cpp, ue_verification.cpp).
    if (in.readings.equilibrium == Equilibrium::ue) return solve_ue_point(in, out, os, warm_out);
    Strategy s;
    const int n = in.n_options, ns = in.n_slots;
    if (warm_in.size() == static_cast<std::size_t>(2 * n + ns)) {
      for (int i = 0; i < n; ++i) s.p[i] = warm_in[i], s.wh[i] = warm_in[n + i];
      for (int k = 0; k < ns; ++k) s.t[k] = warm_in[2 * n + k];
    } else {
      cold_start(in, s);
    }
    const SolveSummary sum = solver_->solve(in, s);
    const Verification v = verify(in, s, verify_);
    const bool ok = sum.converged && v.passed;
    write(in, in, s, sum, v, ok, put);
    if (ok && warm_out.size() == static_cast<std::size_t>(2 * n + ns)) {
      for (int i = 0; i < n; ++i) warm_out[i] = s.p[i], warm_out[n + i] = s.wh[i];
      for (int q = 0; q < ns; ++q) warm_out[2 * n + q] = s.t[q];
    }
    return {ok ? PointStatus::solved : PointStatus::failed, sum.iterations, v.kkt_residual};
  }

 private:
  // Writes the outputs of the full layout `full` from a solution on `in`, which offers the first
  // option_count[c] of each chain's options (fewer where the segmentation stage chose so); the
  // options and lead times `in` does not offer are NaN.
  template <typename Put>
  std::size_t write(const Instance& full, const Instance& in, const Strategy& s, const SolveSummary& sum,
                    const Verification& v, bool ok, Put& put) const {
    Outcome o;
    if (need_outcome_) evaluate(in, s, o);
    std::size_t k = 0;
    for (int q = 0; q < full.n_slots; ++q) {
      int r = &in == &full ? q : -1;  // the same lead-time decision in `in`
      for (int j = 0; j < in.n_slots && r < 0; ++j)
        if (in.slots[j].chain == full.slots[q].chain && in.slots[j].link == full.slots[q].link &&
            in.slots[j].copy == full.slots[q].copy)
          r = j;
      put(k++, ok && r >= 0 ? s.t[r] : kNaN);
    }
    const bool dec = in.readings.equilibrium == Equilibrium::decentralized;
    for (int c = 0; c < full.n_chains; ++c) {
      for (int q = 0; q < full.option_count[c]; ++q) {
        const int i = in.first_option[c] + q;
        const bool offered = ok && q < in.option_count[c];
        const double vals[6] = {s.p[i], s.wh[i], o.lead_time[i], o.x[i], o.P[i], in.beta_bar[i]};
        for (double x : vals) put(k++, offered ? x : kNaN);
      }
      put(k++, ok ? o.profit_chain[c] : kNaN);
      put(k++, ok && dec ? o.profit_m[c] : kNaN);
      put(k++, ok && dec ? o.profit_n[c] : kNaN);
    }
    put(k++, ok ? o.no_purchase : kNaN);
    put(k++, v.kkt_residual);
    put(k++, v.deviation_gain);
    put(k++, sum.final_error);
    return k;
  }

  template <typename Put>
  PointResult solve_segmented_point(const Instance& full, Put& put) {
    const Segmented r = solve_segmented(full, *solver_, segmentation_);
    std::size_t k = write(full, r.in, r.s, r.summary, r.verification, r.ok, put);
    for (int c = 0; c < full.n_chains; ++c) {
      const int K = full.option_count[c];
      if (K == 1) continue;
      put(k++, r.ok ? r.count[c] : kNaN);
      for (int j = 0; j < K - 1; ++j) put(k++, r.ok ? r.h[c][j] : kNaN);
      for (int j = 0; j < K; ++j) put(k++, r.ok ? r.profit_by_count[c][j] : kNaN);
    }
    return {r.ok ? PointStatus::solved : PointStatus::failed, r.solves, r.verification.kkt_residual};
  }

  static std::string option(const OptionValues& o, const char* k) {
    auto it = o.find(k);
    return it == o.end() ? std::string() : it->second;
  }

  bool boundaries_increasing(const double* params, std::size_t ps) const {
    const auto& net = model_.network();
    std::size_t pos = 0;
    for (const auto& ch : net.chains) {
      double prev = net.market.beta_lower;
      for (int k = 0; k < ch.options - 1; ++k) {
        const int idx = model_.parameter_index(fmt::format("{}.h{}", ch.name, k + 1));
        const double h = params[static_cast<std::size_t>(idx) * ps];
        if (!(h > prev)) return false;
        prev = h;
        ++pos;
      }
    }
    return true;
  }

  bool needed(std::size_t o) const { return needed_.empty() || needed_[o]; }

  const MaSueModel& model_;
  std::unique_ptr<EquilibriumSolver> solver_;
  bool segments_ = false;
  std::vector<bool> needed_;  // empty: every output is read
  bool need_outcome_ = false;
  VerifyOptions verify_;
  SegmentationOptions segmentation_;
};

std::unique_ptr<PointSolver> MaSueModel::make_solver(const SolverSetup& setup) const {
  const std::string& variant = setup.variant;
  // Without options, the solver uses what configure() chose.
  const OptionValues& options = setup.options.empty() ? chosen_ : setup.options;
  if (variant != "sue") throw std::invalid_argument(fmt::format("model ma_sue has no variant '{}'", variant));
  if (!configured_)
    throw std::invalid_argument("model ma_sue must be configured with options.network before solving");
  return std::make_unique<MaSuePointSolver>(*this, options, setup.needed_outputs);
}

}  // namespace eqsweep::ma_sue
