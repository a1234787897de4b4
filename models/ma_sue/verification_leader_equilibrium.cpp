// The certificate's check of the leader under anticipation = "retail_equilibrium"
// (verification_checks.hpp; printed MNL: sealed options need no re-equilibration and take the
// structural certificate or the probes). Its profit is judged with every retailer
// re-equilibrating (retail_equilibrium()), also in the KKT residual (central differences of that
// profit). The gain: where every slot of the chain has a fixed target (fixed_target), the leader's
// problem reduces exactly to one scalar (docs/model-m.md, "Leader's anticipation"). Its lead
// times sit at t*, and the retailers' markups are one per chain, so only L = ln sum_i e^{g_i} of
// its chain reaches the other players. For a given L the best split of the wholesale prices is one
// margin k, and the profit is (Q/alpha) S_c(L) (L0 - L), with alpha k = L0 - L, L0 = ln sum_i
// e^{G0_i} at t*, S_c(L) the chain's share in the retail Nash over chain totals. That scalar is
// maximised by a geometric scan of alpha k over [1e-4, 100] (400 points; beyond, S_c < e^-99)
// and golden-section refinement around the best point. Elsewhere the audit's ladder.

#include <algorithm>
#include <array>
#include <cmath>

#include "models/ma_sue/verification_audit.hpp"
#include "models/ma_sue/verification_checks.hpp"
#include "models/ma_sue/verification_structural.hpp"

namespace eqsweep::ma_sue::verification_detail {

PlayerCheck check_leader_equilibrium(const Instance& in, const Strategy& candidate, int c, const VerifyOptions&) {
  PlayerCheck out;
  Strategy s = candidate;
  retail_equilibrium(in, s);
  const Player pl = make_player(in, c, PlayerKind::manufacturer);
  const double base = payoff(in, s, pl);
  const double scale = std::max(std::abs(base), 1.0);
  Strategy d = s;
  for (int a = 0; a < pl.n; ++a) {
    const double g = central_difference(in, d, pl, a);
    out.kkt = std::max(out.kkt, std::abs(g) * std::max(std::abs(var(d, pl, a)), 1.0) / scale);
  }
  const ChainView v = view_of(in, s, c);
  std::array<double, kMaxSlots> t = s.t;
  bool fixed = true;
  for (int p = 0; p < v.ns && fixed; ++p) fixed = fixed_target(in, v.slots[p], t[v.slots[p]]);
  double best = base;
  if (fixed) {
    Outcome o;
    evaluate(in, s, o);
    std::array<double, kMaxChains> L{}, y{};
    for (int u = 0; u < in.n_chains; ++u) {
      OptionArray<double> g{};
      for (int i = in.first_option[u]; i < in.first_option[u] + in.option_count[u]; ++i)
        g[i] = in.w - in.beta_bar[i] * o.lead_time[i] - in.alpha * (s.wh[i] + o.cost_n[i]);
      L[u] = log_sum_exp(&g[in.first_option[u]], in.option_count[u]);
      double S = 0;
      for (int i = in.first_option[u]; i < in.first_option[u] + in.option_count[u]; ++i) S += o.P[i];
      y[u] = std::log(S / (1 - S));
    }
    const Reduced r = reduce(v, s, t, false);
    const double L0 = log_sum_exp(r.g.data(), v.n);
    // The retail Nash over chain totals at the leader's L: retailer u's markup equation
    // y_u + 1 + e^{y_u} = L_u - ln A_u (markup_logit), A_u = 1 + sum_{w != u} e^{L_w - 1 - e^{y_w}}.
    auto profit = [&](double z) {
      L[c] = L0 - z;
      for (int pass = 0; pass < 1000; ++pass) {
        double change = 0;
        for (int u = 0; u < in.n_chains; ++u) {
          double A = 1;
          for (int w = 0; w < in.n_chains; ++w)
            if (w != u) A += std::exp(L[w] - 1 - std::exp(y[w]));
          const double yn = markup_logit(L[u] - std::log(A), false, y[u]);
          change = std::max(change, std::abs(yn - y[u]));
          y[u] = yn;
        }
        if (change < 1e-13) break;
      }
      return in.Q / in.alpha * z / (1 + std::exp(-y[c]));  // Q k S_c
    };
    constexpr int kScan = 400;
    const double lo = 1e-4, hi = 100, ratio = std::pow(hi / lo, 1.0 / (kScan - 1));
    int arg = 0;
    double fbest = -INFINITY;
    for (int j = 0; j < kScan; ++j) {
      const double f = profit(lo * std::pow(ratio, j));
      if (f > fbest) fbest = f, arg = j;
    }
    double a = lo * std::pow(ratio, std::max(arg - 1, 0)), b = lo * std::pow(ratio, std::min(arg + 1, kScan - 1));
    const double phi = 0.5 * (std::sqrt(5.0) - 1);
    double x1 = b - phi * (b - a), x2 = a + phi * (b - a), f1 = profit(x1), f2 = profit(x2);
    while (b - a > 1e-12 * b) {
      if (f1 < f2) a = x1, x1 = x2, f1 = f2, x2 = a + phi * (b - a), f2 = profit(x2);
      else b = x2, x2 = x1, f2 = f1, x1 = b - phi * (b - a), f1 = profit(x1);
    }
    best = std::max({best, fbest, f1, f2});
  } else {
    for (int a = 0; a < pl.n; ++a) {
      const double x0 = var(d, pl, a);
      for (double f : {0.5, 0.8, 0.95, 0.99, 0.999, 1.001, 1.01, 1.05, 1.25, 2.0}) {
        var(d, pl, a) = x0 * f;
        best = std::max(best, payoff(in, d, pl));
      }
      var(d, pl, a) = x0;
    }
    for (double f : {0.9, 0.98, 0.999, 1.001, 1.02, 1.1}) {
      for (int a = 0; a < pl.n; ++a) var(d, pl, a) *= f;
      best = std::max(best, payoff(in, d, pl));
      d = s;
    }
  }
  out.gain = (best - base) / scale;
  return out;
}

}  // namespace eqsweep::ma_sue::verification_detail
