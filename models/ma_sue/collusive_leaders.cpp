// The joint leader's margins and reduced profit (collusive_leaders.hpp).

#include "models/ma_sue/collusive_leaders.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

namespace eqsweep::ma_sue {

namespace {

struct Totals {
  std::array<double, kMaxChains> S{};
  double P0 = 1;
};

Totals totals(const Instance& in, const OptionArray<double>& P) {
  Totals t;
  for (int i = 0; i < in.n_options; ++i) t.S[in.chain[i]] += P[i], t.P0 -= P[i];
  return t;
}

}  // namespace

bool joint_leaders(const Instance& in) {
  return in.readings.equilibrium == Equilibrium::decentralized &&
         in.readings.leader_objective == LeaderObjective::joint && in.readings.choice == ChoiceReading::mnl &&
         in.readings.demand == DemandReading::printed;
}

void joint_leader_margins(const Instance& in, const OptionArray<double>& P, std::array<double, kMaxChains>& k,
                          std::array<OptionArray<double>, kMaxChains>* dk) {
  const double a = in.alpha;
  const Totals t = totals(in, P);
  for (int u = 0; u < in.n_chains; ++u) {
    const double v = 1.0 / (1.0 - t.S[u]);
    k[u] = (1.0 / t.P0 + v * v - v) / a;
    if (!dk) continue;
    // d(1/P_0)/dP_j = 1/P_0^2 for every option; d(v^2 - v)/dP_j = 2 v^3 - v^2 for the chain's own.
    for (int j = 0; j < in.n_options; ++j)
      (*dk)[u][j] = (1.0 / (t.P0 * t.P0) + (in.chain[j] == u ? 2.0 * v * v * v - v * v : 0.0)) / a;
  }
}

double joint_leader_value(const Instance& in, const OptionArray<double>& G, const OptionArray<double>& P,
                          OptionArray<double>* grad, OptionMatrix* hess) {
  const int n = in.n_options;
  const Totals t = totals(in, P);
  const double lnP0 = std::log(t.P0), c = in.Q / in.alpha;
  double f = 0;
  for (int j = 0; j < n; ++j) f += P[j] * (G[j] - std::log(P[j]) + lnP0);
  for (int u = 0; u < in.n_chains; ++u) f -= t.S[u] / (1.0 - t.S[u]);
  if (grad)
    for (int j = 0; j < n; ++j) {
      const double v = 1.0 / (1.0 - t.S[in.chain[j]]);
      (*grad)[j] = c * (G[j] - std::log(P[j]) + lnP0 - 1.0 / t.P0 - v * v);
    }
  if (hess)
    for (int j = 0; j < n; ++j)
      for (int l = 0; l < n; ++l) {
        const double v = 1.0 / (1.0 - t.S[in.chain[j]]);
        (*hess)[j][l] = -c * ((j == l ? 1.0 / P[j] : 0.0) + 1.0 / t.P0 + 1.0 / (t.P0 * t.P0) +
                              (in.chain[j] == in.chain[l] ? 2.0 * v * v * v : 0.0));
      }
  return c * f;
}

double joint_leader_optimum(const Instance& in, const OptionArray<double>& G, OptionArray<double>& P) {
  using Vec = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxOptions, 1>;
  using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxOptions, kMaxOptions>;
  const int n = in.n_options;
  OptionArray<double> g{};
  OptionMatrix H{};
  double f = joint_leader_value(in, G, P, &g, &H);
  for (int it = 0; it < 200; ++it) {
    Vec gv(n), d(n);
    Mat Hm(n, n);
    for (int j = 0; j < n; ++j) {
      gv[j] = g[j];
      for (int l = 0; l < n; ++l) Hm(j, l) = H[j][l];
    }
    d = (-Hm).llt().solve(gv);  // -H is positive definite (strict concavity)
    // Stop where the Newton step is below 1e-15 of the shares: the quadratic model then
    // promises a gain of order 1e-30 Q, below the rounding of Phi.
    double rel = 0;
    for (int j = 0; j < n; ++j) rel = std::max(rel, std::abs(d[j]) / P[j]);
    if (!d.allFinite() || rel <= 1e-15) break;
    double lambda = 1;
    bool moved = false;
    for (int b = 0; b < 60 && !moved; ++b, lambda *= 0.5) {
      OptionArray<double> T = P;
      double sum = 0;
      bool inside = true;
      for (int j = 0; j < n; ++j) inside = inside && (T[j] += lambda * d[j]) > 0, sum += T[j];
      if (!inside || !(sum < 1)) continue;
      OptionArray<double> gt{};
      OptionMatrix Ht{};
      const double ft = joint_leader_value(in, G, T, &gt, &Ht);
      if (ft >= f) P = T, f = ft, g = gt, H = Ht, moved = true;
    }
    if (!moved) break;
  }
  return f;
}

}  // namespace eqsweep::ma_sue
