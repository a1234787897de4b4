// The structured solver. Every player's first-order conditions reduce to (docs/model-m.md):
//  - lead times: -c'(t) = (sum of beta_bar_i x_i over the options the slot serves) / (alpha sum x_i);
//  - markups that depend only on the choice probabilities: with full MNL a chain's options carry
//    one markup 1/(alpha (1 - S_s)) (centralized) or a retailer markup 1/(alpha (1 - S_s)) plus a
//    manufacturer margin 1/(alpha (1 - S_s)^2) (decentralized, leader anticipating its retailer),
//    S_s the chain's total share; sealed segments replace S_s by the option's own P_i.
// So an equilibrium is a fixed point P = Phi(P) in at most kMaxOptions unknowns, solved by
// Newton's method with a finite-difference Jacobian in fixed-capacity Eigen storage.

#include <cmath>

#include <Eigen/Dense>
#include <fmt/format.h>

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

class FastSolver final : public EquilibriumSolver {
 public:
  explicit FastSolver(const SolverOptions& o) : opt_(o) {}

  SolveSummary solve(const Instance& in, Strategy& s) override {
    const int n = in.n_options;
    Outcome o;
    evaluate(in, s, o);
    Vec P(n), F(n), Fp(n), step(n);
    for (int i = 0; i < n; ++i) P[i] = o.P[i];
    SolveSummary sum;
    residual(in, P, s, F);
    Mat J(n, n);
    for (int it = 1; it <= opt_.max_iterations; ++it) {
      sum.iterations = it;
      sum.final_error = F.cwiseAbs().maxCoeff();
      if (!std::isfinite(sum.final_error)) break;
      if (sum.final_error <= opt_.tolerance) {
        sum.converged = true;
        break;
      }
      for (int j = 0; j < n; ++j) {
        const double h = 1e-7 * std::max(P[j], 1e-6);
        Vec Ph = P;
        Ph[j] += h;
        residual(in, Ph, s, Fp);
        J.col(j) = (Fp - F) / h;
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
      // Backtrack on the residual norm; fall back to a plain fixed-point step.
      double best = F.cwiseAbs().maxCoeff();
      bool moved = false;
      for (int b = 0; b < 30 && !moved; ++b, scale *= 0.5) {
        Vec Pn = P + scale * step;
        residual(in, Pn, s, Fp);
        if (Fp.allFinite() && Fp.cwiseAbs().maxCoeff() < best) {
          P = Pn;
          F = Fp;
          moved = true;
        }
      }
      if (!moved) {
        P = P + 0.5 * F;
        residual(in, P, s, F);
      }
    }
    residual(in, P, s, F);  // leaves s at the last iterate
    if (!sum.converged) sum.message = "Newton iteration on the choice probabilities stalled";
    return sum;
  }

 private:
  // F(P) = Phi(P) - P, writing the strategy Phi is built from into s.
  void residual(const Instance& in, const Vec& P, Strategy& s, Vec& F) const {
    OptionArray<double> shares{};
    for (int i = 0; i < in.n_options; ++i) shares[i] = P[i];
    best_response_strategy(in, shares, s);
    Outcome o;
    evaluate(in, s, o);
    for (int i = 0; i < in.n_options; ++i) F[i] = o.P[i] - P[i];
  }

  SolverOptions opt_;
};

}  // namespace

std::unique_ptr<EquilibriumSolver> make_fast_solver(const SolverOptions& o) { return std::make_unique<FastSolver>(o); }

}  // namespace eqsweep::ma_sue
