// The structured solver. Every player's first-order conditions reduce to (docs/model-m.md):
//  - lead times: -c'(t) = (sum of beta_bar_i x_i over the options the slot serves) / (alpha sum x_i);
//  - markups that depend only on the choice probabilities: with full MNL a chain's options carry
//    one markup 1/(alpha (1 - S_s)) (centralized) or a retailer markup 1/(alpha (1 - S_s)) plus a
//    manufacturer margin 1/(alpha (1 - S_s)^2) (decentralized, leader anticipating its retailer),
//    S_s the chain's total share; sealed segments replace S_s by the option's own P_i.
// So an equilibrium is a fixed point P = Phi(P) in at most kMaxOptions unknowns, solved by
// Newton's method with the analytic Jacobian (markups.cpp differentiates the closed forms) in
// fixed-capacity Eigen storage.

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "models/ma_sue/latent_class.hpp"
#include "models/ma_sue/markups.hpp"
#include "models/ma_sue/solver.hpp"

namespace eqsweep::ma_sue {

std::string SolveSummary::brief() const {
  return fmt::format("{} after {} iterations, final error {:.3g}{}{}", converged ? "converged" : "not converged",
                     iterations, final_error, message.empty() ? "" : ": ", message);
}

void cold_start(const Instance& in, Strategy& s) {
  for (int k = 0; k < in.n_slots; ++k) {
    double b = 0;
    int n = 0;
    for (int i = 0; i < in.n_options; ++i)
      if (in.slots[k].options >> i & 1u) b += in.beta_bar[i], ++n;
    s.t[k] = lead_time_for_marginal(in.slots[k].cost, std::max(b / n, 1e-6) / in.alpha);
  }
  Outcome o;
  evaluate(in, s, o);
  for (int i = 0; i < in.n_options; ++i) {
    s.wh[i] = o.cost_m[i] + 1.0 / in.alpha;
    s.p[i] = o.cost_m[i] + o.cost_n[i] + 2.0 / in.alpha;
  }
}

namespace {

using Vec = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxOptions, 1>;
using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxOptions, kMaxOptions>;

// Everything lives in fixed-capacity storage (Eigen with compile-time maximum sizes, std::array):
// a solve allocates nothing on the heap.
class FastSolver final : public EquilibriumSolver {
 public:
  explicit FastSolver(const SolverOptions& o) : opt_(o) {}

  SolveSummary solve(const Instance& in, Strategy& s) override {
    // Latent classes: the markups need each option's demand curve, not only its share.
    if (in.readings.demand == DemandReading::latent_class) return solve_latent_class(in, s, opt_);
    const int n = in.n_options;
    cache_.clear();  // the lead-time cache is valid for one instance only
    Outcome o;
    evaluate(in, s, o);
    Vec P(n), F(n), Ft(n), step(n), Pt(n);
    Mat J(n, n), Jt(n, n);
    for (int i = 0; i < n; ++i) P[i] = o.P[i];
    SolveSummary sum;
    // s always holds the strategy built from P; trial points are built in `trial`.
    residual(in, P, s, F, &J);
    Strategy trial;
    for (int it = 1; it <= opt_.max_iterations; ++it) {
      sum.iterations = it;
      sum.final_error = F.cwiseAbs().maxCoeff();
      if (!std::isfinite(sum.final_error)) break;
      if (sum.final_error <= opt_.tolerance) {
        sum.converged = true;
        break;
      }
      step = J.partialPivLu().solve(-F);
      // Keep the shares inside (0, 1) and every chain's total below 1.
      double scale = 1.0;
      for (int i = 0; i < n; ++i)
        if (P[i] + step[i] <= 0) scale = std::min(scale, 0.5 * P[i] / -step[i]);
      for (int c = 0; c < in.n_chains; ++c) {
        double S = 0, dS = 0;
        for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) S += P[i], dS += step[i];
        if (S + dS >= 1) scale = std::min(scale, 0.5 * (1 - S) / dS);
      }
      if (!step.allFinite()) break;
      // Backtrack on the residual norm; fall back to a plain fixed-point step. Each trial
      // computes its Jacobian too, so an accepted trial is ready for the next step.
      const double best = sum.final_error;
      bool moved = false;
      for (int b = 0; b < 30 && !moved; ++b, scale *= 0.5) {
        trial = s;
        Pt = P + scale * step;
        residual(in, Pt, trial, Ft, &Jt);
        if (Ft.allFinite() && Ft.cwiseAbs().maxCoeff() < best) {
          P = Pt, F = Ft, J = Jt, s = trial;
          moved = true;
        }
      }
      if (!moved) {
        P = P + 0.5 * F;
        residual(in, P, s, F, &J);
      }
    }
    if (!sum.converged) sum.message = "Newton iteration on the choice probabilities stalled";
    return sum;
  }

 private:
  // F(P) = Phi(P) - P, writing the strategy Phi is built from into s, and the analytic Jacobian
  // dF/dP = dPhi/dV dV/dP - I (dV/dP from markups.cpp, dPhi/dV of the choice model).
  void residual(const Instance& in, const Vec& P, Strategy& s, Vec& F, Mat* J) {
    const int n = in.n_options;
    OptionArray<double> shares{}, V{}, Pn{};
    for (int i = 0; i < n; ++i) shares[i] = P[i];
    best_response_utilities(in, shares, s, V, J ? &dV_ : nullptr, &cache_);
    choice_probabilities(in, V, Pn);
    for (int i = 0; i < n; ++i) F[i] = Pn[i] - P[i];
    if (!J) return;
    const bool sealed = in.readings.choice == ChoiceReading::sealed;
    // MNL: dP_i/dV_l = P_i (delta_il - P_l); sealed: P_i (1 - P_i) delta_il.
    for (int j = 0; j < n; ++j) {
      double mix = 0;
      if (!sealed)
        for (int l = 0; l < n; ++l) mix += Pn[l] * dV_[l][j];
      for (int i = 0; i < n; ++i) {
        const double d = sealed ? Pn[i] * (1.0 - Pn[i]) * dV_[i][j] : Pn[i] * (dV_[i][j] - mix);
        (*J)(i, j) = d - (i == j ? 1.0 : 0.0);
      }
    }
  }

  SolverOptions opt_;
  LeadTimeCache cache_;
  OptionMatrix dV_{};
};

}  // namespace

std::unique_ptr<EquilibriumSolver> make_fast_solver(const SolverOptions& o) { return std::make_unique<FastSolver>(o); }

}  // namespace eqsweep::ma_sue
