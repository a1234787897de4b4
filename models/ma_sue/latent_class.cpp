#include "models/ma_sue/latent_class.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <Eigen/Dense>
#include <boost/math/tools/roots.hpp>
#include <unsupported/Eigen/NonLinearOptimization>

#include "models/ma_sue/markups.hpp"

namespace eqsweep::ma_sue {

void refine_classes(Instance& in) {
  std::array<double, kMaxOptions> b{};
  int nb = 0;
  for (int c = 0; c < in.n_chains; ++c)
    for (int k = 0; k < in.option_count[c] - 1; ++k) {  // insertion keeps b sorted (std::sort warns here)
      const double v = in.h[in.boundary_offset(c) + k];
      int j = nb++;
      for (; j > 0 && b[j - 1] > v; --j) b[j] = b[j - 1];
      b[j] = v;
    }
  nb = static_cast<int>(std::unique(b.begin(), b.begin() + nb) - b.begin());
  in.n_classes = nb + 1;
  for (int q = 0; q <= nb; ++q) {
    const double lo = q == 0 ? in.beta.lower : b[q - 1], hi = q == nb ? INFINITY : b[q];
    in.class_mass[q] = nb == 0 ? 1.0 : in.beta.mass(lo, hi);
    // The chain's option whose segment holds the class: one past each of its boundaries at or below lo.
    for (int c = 0; c < in.n_chains; ++c) {
      int k = 0;
      for (int j = 0; j < in.option_count[c] - 1; ++j) k += q > 0 && in.h[in.boundary_offset(c) + j] <= lo;
      in.class_option[q][c] = in.first_option[c] + k;
    }
  }
}

void latent_class_demand(const Instance& in, const OptionArray<double>& V, OwnDemand& d) {
  for (int i = 0; i < in.n_options; ++i) d.share[i] = d.slope[i] = d.curvature[i] = 0.0;
  for (int q = 0; q < in.n_classes; ++q) {
    // Utilities relative to the largest (not buying: 0) keep exp() finite for any prices.
    double vmax = 0.0;
    for (int c = 0; c < in.n_chains; ++c) vmax = std::max(vmax, V[in.class_option[q][c]]);
    double denom = vmax == 0.0 ? 1.0 : std::exp(-vmax);
    for (int c = 0; c < in.n_chains; ++c) denom += std::exp(V[in.class_option[q][c]] - vmax);
    const double mu = in.class_mass[q];
    for (int c = 0; c < in.n_chains; ++c) {
      const int i = in.class_option[q][c];
      const double P = std::exp(V[i] - vmax) / denom;
      d.share[i] += mu * P;
      d.slope[i] += mu * P * (1.0 - P);
      d.curvature[i] += mu * P * (1.0 - P) * (1.0 - 2.0 * P);
    }
  }
}

// Where an option's demand underflows, its curve is e^V-like: D = D' = D'', so the rules' limits
// are r = k = 1/alpha.
double latent_markup(const Instance& in, const OwnDemand& d, int i) {
  return d.slope[i] > 0 ? d.share[i] / (in.alpha * d.slope[i]) : 1.0 / in.alpha;
}

double latent_leader_margin(const Instance& in, const OwnDemand& d, int i) {
  if (!(d.slope[i] > 0)) return 1.0 / in.alpha;
  return (2.0 - d.share[i] * d.curvature[i] / (d.slope[i] * d.slope[i])) * latent_markup(in, d, i);
}

double latent_retail_markup(const Instance& in, OptionArray<double> V, int i, double g) {
  const double a = in.alpha;
  OwnDemand d;
  // alpha r D'/D - 1: D'/D = 1 - (mu-weighted mean of P over the classes) rises as r lowers V_i.
  auto f = [&](double r) {
    V[i] = g - a * r;
    latent_class_demand(in, V, d);
    return d.share[i] > 0 ? a * r * d.slope[i] / d.share[i] - 1.0 : a * r - 1.0;
  };
  double lo = 0.0, hi = 1.0 / a, fhi = f(hi);
  for (int k = 0; k < 80 && !(fhi > 0); ++k) lo = hi, hi *= 2.0, fhi = f(hi);
  const double flo = f(lo);
  if (!(fhi > 0) || !(flo < 0)) return NAN;
  std::uintmax_t iters = 200;
  const auto root = boost::math::tools::toms748_solve(f, lo, hi, flo, fhi,
                                                      boost::math::tools::eps_tolerance<double>(52), iters);
  return 0.5 * (root.first + root.second);
}

namespace {

// The strategy every player's conditions prescribe at utilities V, and the utilities it produces.
void respond_to(const Instance& in, const OptionArray<double>& V, Strategy& s, OptionArray<double>& Vn) {
  OwnDemand d;
  latent_class_demand(in, V, d);
  // Lead times from markups.cpp (weights x_i = Q D_i); its prices are replaced below.
  best_response_strategy(in, d.share, s);
  Outcome o;
  evaluate(in, s, o);
  const bool central = in.readings.equilibrium == Equilibrium::centralized;
  for (int i = 0; i < in.n_options; ++i) {
    const double r = latent_markup(in, d, i);
    s.wh[i] = o.cost_m[i] + (central ? 0.0 : latent_leader_margin(in, d, i));
    s.p[i] = (central ? o.cost_m[i] : s.wh[i]) + o.cost_n[i] + r;
    Vn[i] = in.w - in.alpha * s.p[i] - in.beta_bar[i] * o.lead_time[i];
  }
}

struct FixedPoint {
  using Scalar = double;
  enum { InputsAtCompileTime = Eigen::Dynamic, ValuesAtCompileTime = Eigen::Dynamic };
  using InputType = Eigen::VectorXd;
  using ValueType = Eigen::VectorXd;
  using JacobianType = Eigen::MatrixXd;

  const Instance* in;
  Strategy* s;
  int operator()(const Eigen::VectorXd& x, Eigen::VectorXd& F) const {
    OptionArray<double> V{}, Vn{};
    for (int i = 0; i < in->n_options; ++i) V[i] = x[i];
    respond_to(*in, V, *s, Vn);
    for (int i = 0; i < in->n_options; ++i) F[i] = Vn[i] - V[i];
    return 0;
  }
};

}  // namespace

SolveSummary solve_latent_class(const Instance& in, Strategy& s, const SolverOptions& opt) {
  const int n = in.n_options;
  Outcome o;
  evaluate(in, s, o);
  Eigen::VectorXd x(n), F(n);
  for (int i = 0; i < n; ++i) x[i] = in.w - in.alpha * s.p[i] - in.beta_bar[i] * o.lead_time[i];
  FixedPoint fp{&in, &s};
  Eigen::HybridNonLinearSolver<FixedPoint> solver(fp);
  solver.parameters.maxfev = std::max(opt.max_iterations, 1) * (n + 1);
  solver.parameters.xtol = 1e-15;
  solver.solveNumericalDiff(x);
  fp(x, F);  // leaves s at the strategy of the final utilities
  SolveSummary sum;
  sum.iterations = static_cast<int>(solver.iter);
  sum.final_error = F.cwiseAbs().maxCoeff();
  // The fixed point is in utilities (order 1); the fast solver's 1e-12 is in shares.
  sum.converged = sum.final_error <= std::max(opt.tolerance, 1e-10);
  if (!sum.converged) sum.message = "hybrid method on the latent-class utilities stalled";
  return sum;
}

}  // namespace eqsweep::ma_sue
