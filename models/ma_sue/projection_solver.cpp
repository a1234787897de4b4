// The paper's reference method: the modified projection (extragradient) method on the
// augmented-Lagrangian variational inequality (J1) of the centralized network, in the
// variables (x_i, p_i, lambda_i, t_k), and on (G1) of the decentralized one (the retailers'
// markup terms of decentralized_projection.hpp added to the same rows). Each step is a
// projection onto Omega = {x >= 0, p >= 0, t >= t_min}, so the paper's quadratic subproblems
// with H = I are closed-form clamps.
//
// The multiplier row of (J1) is printed as [x_i - Q P_i] x [lambda_i - lambda_i*]. In a VI for
// the saddle point max_X min_lambda AL the multiplier row must be -(x_i - Q P_i); with the printed
// sign the operator is not monotone and the iteration moves away from the equilibrium
// (docs/model-m.md records what converges from where). `printed_signs` selects the row as printed.

#include <cmath>

#include <Eigen/Dense>

#include "models/ma_sue/collusive_leaders.hpp"
#include "models/ma_sue/decentralized_projection.hpp"
#include "models/ma_sue/solver.hpp"

namespace eqsweep::ma_sue {

namespace {

constexpr int kMaxVars = 3 * kMaxOptions + kMaxSlots;
using State = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxVars, 1>;

class ProjectionSolver final : public EquilibriumSolver {
 public:
  explicit ProjectionSolver(const SolverOptions& o) : opt_(o) {}

  SolveSummary solve(const Instance& in, Strategy& s) override {
    const int n = in.n_options, ns = in.n_slots, dim = 3 * n + ns;
    State X(dim), Xbar(dim), F(dim), Xn(dim);
    Outcome o;
    evaluate(in, s, o);
    for (int i = 0; i < n; ++i) {
      X[i] = o.x[i];
      X[n + i] = s.p[i];
      X[2 * n + i] = 0.0;
    }
    for (int k = 0; k < ns; ++k) X[3 * n + k] = s.t[k];
    SolveSummary sum;
    for (int it = 1; it <= opt_.max_iterations; ++it) {
      field(in, X, F);
      Xbar = X - opt_.rho * F;
      project(in, Xbar);
      field(in, Xbar, F);
      Xn = X - opt_.rho * F;
      project(in, Xn);
      sum.iterations = it;
      sum.final_error = (Xn - X).norm();
      X = Xn;
      if (!std::isfinite(sum.final_error) || X.cwiseAbs().maxCoeff() > 1e12) {
        sum.message = "the iteration diverged";
        break;
      }
      if (sum.final_error <= opt_.epsilon) {
        sum.converged = true;
        break;
      }
    }
    for (int i = 0; i < n; ++i) s.p[i] = X[n + i];
    for (int k = 0; k < ns; ++k) s.t[k] = X[3 * n + k];
    evaluate(in, s, o);
    if (in.readings.equilibrium == Equilibrium::decentralized) {  // wh = p - cn - r(P): the retailers' response
      RetailerTerms rt;
      double x[kMaxOptions];
      for (int i = 0; i < n; ++i) x[i] = o.x[i];
      retailer_terms(in, o.P, x, false, rt);
      for (int i = 0; i < n; ++i) s.wh[i] = s.p[i] - o.cost_n[i] - rt.r[i];
    } else {
      for (int i = 0; i < n; ++i) s.wh[i] = o.cost_m[i];
    }
    if (!sum.converged && sum.message.empty()) sum.message = "iteration limit reached";
    return sum;
  }

 private:
  static void project(const Instance& in, State& X) {
    const int n = in.n_options;
    for (int i = 0; i < 2 * n; ++i) X[i] = std::max(X[i], 0.0);
    for (int k = 0; k < in.n_slots; ++k) X[3 * n + k] = std::max(X[3 * n + k], 1e-6);
  }

  // F = (-dAL/dx, -dAL/dp, +-(x - Q P), -dAL/dt) with AL = sum (p - c) x - lambda (x - xhat)
  // - phi/2 (x - xhat)^2 per chain, xhat the demand of eq. (8).
  void field(const Instance& in, const State& X, State& F) const {
    const int n = in.n_options;
    Strategy s;
    for (int i = 0; i < n; ++i) s.p[i] = X[n + i];
    for (int k = 0; k < in.n_slots; ++k) s.t[k] = X[3 * n + k];
    Outcome o;
    evaluate(in, s, o);
    OptionArray<double> M{};
    for (int i = 0; i < n; ++i) M[i] = X[2 * n + i] + opt_.phi * (X[i] - o.x[i]);
    // d xhat_j / d V_i within the chain (the chain's AL holds only its own constraints).
    auto dxdv = [&](int j, int i) {
      if (in.readings.choice == ChoiceReading::sealed) return j == i ? o.x[i] * (1 - o.P[i]) : 0.0;
      return o.x[j] * ((j == i ? 1.0 : 0.0) - o.P[i]);
    };
    // Collusive leaders hold one Lagrangian over all chains; otherwise each chain holds its own.
    const bool joint = joint_leaders(in);
    OptionArray<double> Z{};  // sum_j M_j d xhat_j / d V_i
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (joint || in.chain[j] == in.chain[i]) Z[i] += M[j] * dxdv(j, i);
    // (G1): the retailers' best-response markups in the leaders' Lagrangians (decentralized_projection.hpp).
    RetailerTerms rt;
    if (in.readings.equilibrium == Equilibrium::decentralized) {
      double x[kMaxOptions];
      for (int i = 0; i < n; ++i) x[i] = X[i];
      retailer_terms(in, o.P, x, joint, rt);
    }
    for (int i = 0; i < n; ++i) {
      F[i] = o.cost_m[i] + o.cost_n[i] - X[n + i] + rt.r[i] + M[i];
      F[n + i] = -X[i] - in.alpha * rt.R[i] + in.alpha * Z[i];
      const double g = X[i] - o.x[i];
      F[2 * n + i] = opt_.printed_signs ? g : -g;
    }
    for (int k = 0; k < in.n_slots; ++k) {
      const Slot& sl = in.slots[k];
      double f = 0;
      for (int i = 0; i < n; ++i)
        if (sl.options >> i & 1u) f += -marginal_saving(sl.cost, s.t[k]) * X[i] + in.beta_bar[i] * (Z[i] - rt.R[i]);
      F[3 * n + k] = f;
    }
  }

  SolverOptions opt_;
};

}  // namespace

std::unique_ptr<EquilibriumSolver> make_projection_solver(const SolverOptions& o) {
  return std::make_unique<ProjectionSolver>(o);
}

}  // namespace eqsweep::ma_sue
