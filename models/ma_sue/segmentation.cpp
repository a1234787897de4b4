#include "models/ma_sue/segmentation.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/tools/minima.hpp>

#include "engine/model.hpp"

namespace eqsweep::ma_sue {

void restrict_options(const Instance& full, const ChainCounts& counts, Instance& out) {
  out = full;
  int opt = 0;
  for (int c = 0; c < full.n_chains; ++c) {
    const int f0 = full.first_option[c];
    out.first_option[c] = opt;
    out.option_count[c] = counts[c];
    out.fixed_cost[c] = full.option_count[c] > 0 ? full.fixed_cost[c] / full.option_count[c] * counts[c] : 0.0;
    for (int q = 0; q < counts[c]; ++q, ++opt) {
      out.chain[opt] = c;
      out.fixed_time[opt] = full.fixed_time[f0 + q];
      out.iface_cost_m[opt] = full.iface_cost_m[f0 + q];
      out.iface_cost_n[opt] = full.iface_cost_n[f0 + q];
    }
  }
  out.n_options = opt;
  int slot = 0;
  for (int k = 0; k < full.n_slots; ++k) {
    Slot sl = full.slots[k];
    const int c = sl.chain;
    if (sl.copy >= counts[c]) continue;
    const int f0 = out.first_option[c];
    sl.options = 0;
    for (int q = 0; q < counts[c]; ++q)
      if (sl.copy < 0 || sl.copy == q) sl.options |= 1u << (f0 + q);
    out.slots[slot++] = sl;
  }
  out.n_slots = slot;
}

namespace {

// One chain's menu search with the other chains' menus held.
class MenuSearch {
 public:
  MenuSearch(const Instance& full, EquilibriumSolver& solver, Segmented& r) : full_(full), solver_(solver), r_(r) {}

  // Equilibrium with the current counts and boundaries u (mass fractions); profit of chain c,
  // NaN where the equilibrium does not converge or does not verify.
  double profit(int c, bool keep) {
    Instance in;
    restrict_options(full_, r_.count, in);
    double h[kMaxOptions];
    int pos = 0;
    for (int s = 0; s < full_.n_chains; ++s)
      for (int k = 0; k < r_.count[s] - 1; ++k) h[pos++] = full_.beta.quantile(u_[s][k]);
    in.set_boundaries(h);
    Strategy st;
    cold_start(in, st);
    const SolveSummary sum = solver_.solve(in, st);
    ++r_.solves;
    if (!sum.converged) return kNaN;
    Outcome o;
    evaluate(in, st, o);
    if (keep) {
      r_.in = in, r_.s = st, r_.summary = sum;
      r_.verification = verify(in, st);
      if (!r_.verification.passed) return kNaN;
    }
    return o.profit_chain[c];
  }

  // Chain c's best boundaries for its current count (u_[c] updated); returns its profit.
  double best_boundaries(int c, BoundaryChoice choice) {
    const int n = r_.count[c] - 1;
    for (int k = 0; k < n; ++k) u_[c][k] = (k + 1.0) / (n + 1.0);
    if (n == 0 || choice == BoundaryChoice::quantiles) return profit(c, false);
    // Cyclic coordinate search: a coarse scan (profits in u need not be unimodal), then Brent.
    double best = profit(c, false);
    for (int cycle = 0; cycle < (n == 1 ? 1 : 4); ++cycle)
      for (int k = 0; k < n; ++k) {
        const double lo = k == 0 ? 0.0 : u_[c][k - 1], hi = k == n - 1 ? 1.0 : u_[c][k + 1];
        auto negative = [&](double u) {
          u_[c][k] = u;
          const double p = profit(c, false);
          return std::isfinite(p) ? -p : 1e300;
        };
        constexpr int kScan = 24;
        double u_best = u_[c][k], f_best = -best;
        for (int j = 1; j < kScan; ++j) {
          const double u = lo + (hi - lo) * j / kScan;
          const double f = negative(u);
          if (f < f_best) f_best = f, u_best = u;
        }
        const double w = (hi - lo) / kScan;
        std::uintmax_t iters = 60;
        const auto m = boost::math::tools::brent_find_minima(negative, std::max(lo, u_best - w) + 1e-12,
                                                             std::min(hi, u_best + w) - 1e-12, 40, iters);
        if (m.second < f_best) f_best = m.second, u_best = m.first;
        u_[c][k] = u_best;
        best = -f_best;
      }
    return best;
  }

  std::array<std::array<double, kMaxOptions>, kMaxChains> u_{};

 private:
  const Instance& full_;
  EquilibriumSolver& solver_;
  Segmented& r_;
};

}  // namespace

Segmented solve_segmented(const Instance& full, EquilibriumSolver& solver, const SegmentationOptions& o) {
  Segmented r;
  for (int c = 0; c < full.n_chains; ++c) r.count[c] = 1;
  for (auto& row : r.profit_by_count) row.fill(kNaN);
  MenuSearch search(full, solver, r);
  bool settled = false;
  for (int round = 0; round < o.max_rounds && !settled; ++round) {
    settled = true;
    for (int c = 0; c < full.n_chains; ++c) {
      if (full.option_count[c] == 1) continue;
      const int before = r.count[c];
      int best_k = 1;
      double best = -kInf;
      auto u_best = search.u_[c];
      for (int k = 1; k <= full.option_count[c]; ++k) {
        r.count[c] = k;
        const double p = search.best_boundaries(c, o.boundaries);
        r.profit_by_count[c][k - 1] = p;
        if (!std::isfinite(p)) return r;  // a compared equilibrium failed: no choice can be claimed
        if (p > best) best = p, best_k = k, u_best = search.u_[c];  // ties go to fewer options
      }
      r.count[c] = best_k;
      search.u_[c] = u_best;
      if (best_k != before) settled = false;
    }
  }
  if (!settled) return r;
  // The chosen menus, solved once more and verified.
  if (!std::isfinite(search.profit(0, true))) return r;
  for (int c = 0; c < full.n_chains; ++c)
    for (int k = 0; k < kMaxOptions; ++k)
      r.h[c][k] = k < r.count[c] - 1 ? full.beta.quantile(search.u_[c][k]) : kNaN;
  r.ok = r.summary.converged && r.verification.passed;
  return r;
}

}  // namespace eqsweep::ma_sue
