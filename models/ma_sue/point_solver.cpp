// Glue between the engine and the model-M solvers: builds the point's Instance, solves it (warm
// or cold), verifies it, and writes outputs. A point that fails verification is stored as failed.

#include <cmath>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "models/ma_sue/outputs.hpp"
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
    const std::string b = option(o, "segment_boundaries");
    segmentation_.boundaries = b == "quantiles"     ? BoundaryChoice::quantiles
                               : b == "equilibrium" ? BoundaryChoice::equilibrium
                                                    : BoundaryChoice::joint_optimal;
    // Measuring the gain costs a best-response scan per chain: only when the sweep stores it.
    for (std::size_t k = 0; k < model_.outputs().size(); ++k)
      if (model_.outputs()[k].name == "boundary_gain") segmentation_.measure_boundary_gain = needed(k);
    // "audit": the deviation ladder of the first session instead of the certificate (verification.hpp).
    verify_.level = option(o, "verification") == "audit" ? VerifyLevel::audit : VerifyLevel::certificate;
    need_outcome_ = outcome_needed(model_.network(), model_.base_instance(), segments_, needed_);
  }

  void solve_batch(const BatchView& b) override {
    for (std::size_t i = 0; i < b.size; ++i)
      b.results[i] = solve_point(b.params + i, b.stride, b.outputs + i, b.stride, {}, {});
  }

  PointResult solve_point(const double* params, std::size_t ps, double* out, std::size_t os,
                          std::span<const double> warm_in, std::span<double> warm_out) override {
    Instance in;
    model_.instance_at(params, ps, in);
    if (!boundaries_increasing(params, ps)) {
      // Outputs the sweep does not read are left unwritten (SolverSetup::needed_outputs).
      for (std::size_t o = 0; o < model_.outputs().size(); ++o)
        if (needed(o)) out[o * os] = kNaN;
      return {PointStatus::infeasible, 0, kNaN};
    }
    if (segments_) return solve_segmented_point(in, out, os);
    // UE (eq. 12): closed form and its own verification (ue_solver.cpp, ue_verification.cpp).
    if (in.readings.equilibrium == Equilibrium::ue) return solve_ue_equilibrium(in, out, os, warm_out);
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
    write(in, in, s, sum, v, ok, nullptr, out, os);
    if (ok && warm_out.size() == static_cast<std::size_t>(2 * n + ns)) {
      for (int i = 0; i < n; ++i) warm_out[i] = s.p[i], warm_out[n + i] = s.wh[i];
      for (int q = 0; q < ns; ++q) warm_out[2 * n + q] = s.t[q];
    }
    return {ok ? PointStatus::solved : PointStatus::failed, sum.iterations, v.kkt_residual};
  }

 private:
  // Writes the outputs of the layout `full` from a solution on `in`, which offers the first
  // option_count[c] of each chain's options (fewer where the segmentation stage chose so).
  void write(const Instance& full, const Instance& in, const Strategy& s, const SolveSummary& sum,
             const Verification& v, bool ok, const Segmented* segmented, double* out, std::size_t os) const {
    Outcome o;
    if (need_outcome_) evaluate(in, s, o);
    PointValues values;
    values.in = &in;
    values.s = &s;
    values.o = &o;
    values.ok = ok;
    values.stackelberg = in.readings.equilibrium == Equilibrium::decentralized;
    values.kkt_residual = v.kkt_residual;
    values.deviation_gain = v.deviation_gain;
    values.solver_error = sum.final_error;
    values.segmented = segmented;
    write_outputs(model_.network(), full, segments_, values, out, os, needed_);
  }

  PointResult solve_segmented_point(const Instance& full, double* out, std::size_t os) {
    const Segmented r = solve_segmented(full, *solver_, segmentation_);
    write(full, r.in, r.s, r.summary, r.verification, r.ok, &r, out, os);
    return {r.ok ? PointStatus::solved : PointStatus::failed, r.solves, r.verification.kkt_residual};
  }

  PointResult solve_ue_equilibrium(const Instance& in, double* out, std::size_t os, std::span<double> warm_out) const {
    const UePoint p = solve_ue_point(in);
    PointValues values;
    values.in = &in;
    values.s = &p.s;
    values.o = &p.o;
    values.ok = p.ok;
    values.stackelberg = in.readings.ue_decentralized;  // centralized chains: no profit_m, profit_n
    values.kkt_residual = p.summary.converged ? p.verification.kkt_residual : kNaN;
    values.deviation_gain = p.summary.converged ? p.verification.deviation_gain : kNaN;
    values.solver_error = p.summary.final_error;
    // The UE path writes every output, read or not, as it always has.
    write_outputs(model_.network(), in, segments_, values, out, os, {});
    const std::size_t w = static_cast<std::size_t>(2 * in.n_options + in.n_slots);
    if (p.ok && warm_out.size() == w) {
      for (int i = 0; i < in.n_options; ++i) warm_out[i] = p.s.p[i], warm_out[in.n_options + i] = p.s.wh[i];
      for (int q = 0; q < in.n_slots; ++q) warm_out[2 * in.n_options + q] = p.s.t[q];
    }
    return {p.ok ? PointStatus::solved : PointStatus::failed, 0, p.verification.kkt_residual};
  }

  static std::string option(const OptionValues& o, const char* k) {
    auto it = o.find(k);
    return it == o.end() ? std::string() : it->second;
  }

  bool boundaries_increasing(const double* params, std::size_t ps) const {
    const auto& net = model_.network();
    std::size_t pos = 0;
    for (const auto& ch : net.chains) {
      double prev = model_.base_instance().beta.lower;  // -inf under time_sensitivity = "untruncated"
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
