#include "models/ma_sue/segmentation.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>

#include "engine/model.hpp"
#include "models/ma_sue/boundary_game.hpp"

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

  // The price/lead-time equilibrium with the current counts and boundaries u (mass fractions);
  // false where it does not converge.
  bool solve(Instance& in, Strategy& st, SolveSummary* summary = nullptr) {
    restrict_options(full_, r_.count, in);
    double h[kMaxOptions];
    int pos = 0;
    for (int s = 0; s < full_.n_chains; ++s)
      for (int k = 0; k < r_.count[s] - 1; ++k) h[pos++] = full_.beta.quantile(u_[s][k]);
    in.set_boundaries(h);
    cold_start(in, st);
    const SolveSummary sum = solver_.solve(in, st);
    ++r_.solves;
    if (summary) *summary = sum;
    return sum.converged;
  }

  // Equilibrium profit of chain c, NaN where the equilibrium does not converge or does not verify.
  double profit(int c, bool keep) {
    Instance in;
    Strategy st;
    SolveSummary sum;
    if (!solve(in, st, &sum)) return kNaN;
    Outcome o;
    evaluate(in, st, o);
    if (keep) {
      r_.in = in, r_.s = st, r_.summary = sum;
      r_.verification = verify(in, st);
      if (!r_.verification.passed) return kNaN;
    }
    return o.profit_chain[c];
  }

  // Chain c's boundaries for its current count (u_[c] updated) under `choice`; returns its
  // profit (NaN: no such menu; under "equilibrium" also where no interior boundary equilibrium exists).
  double best_boundaries(int c, BoundaryChoice choice) {
    const int n = r_.count[c] - 1;
    for (int k = 0; k < n; ++k) u_[c][k] = (k + 1.0) / (n + 1.0);
    if (choice == BoundaryChoice::equilibrium) {
      const Found f = equilibrium_boundaries();
      return f == Found::yes ? profit(c, false) : f == Found::none ? -kInf : kNaN;
    }
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

  enum class Found { yes, none, failed };  // none: no interior root; failed: a solve did not converge


  // Every chain's boundaries at the paper's equilibrium: each owner's marginal profit in its own
  // boundary (others' decisions fixed) is zero at the price/lead-time equilibrium those
  // boundaries induce. Gauss-Seidel over the boundaries; each one a root of that marginal in its
  // mass fraction, bracketed by a scan (a sign change from + to -: the owner's profit peaks there)
  // and refined by TOMS748.
  Found equilibrium_boundaries() {
    int n_total = 0;
    for (int s = 0; s < full_.n_chains; ++s) n_total += r_.count[s] - 1;
    if (n_total == 0) return Found::yes;
    for (int sweep = 0; sweep < 30; ++sweep) {
      double moved = 0;
      for (int s = 0; s < full_.n_chains; ++s)
        for (int k = 0; k < r_.count[s] - 1; ++k) {
          const double before = u_[s][k];
          const Found f = boundary_root(s, k, sweep > 0);
          if (f != Found::yes) return f;
          moved = std::max(moved, std::abs(u_[s][k] - before));
        }
      if (n_total == 1 || moved < 1e-11) return Found::yes;
    }
    return Found::failed;
  }

 private:

  // Owner s's marginal profit in its k-th boundary at mass fraction u, the price/lead-time game
  // re-solved there; NaN where it does not converge.
  double marginal(int s, int k, double u) {
    u_[s][k] = u;
    Instance in;
    Strategy st;
    if (!solve(in, st)) return kNaN;
    return boundary_marginal(in, st, s, k);
  }

  Found boundary_root(int s, int k, bool local) {
    const int n = r_.count[s] - 1;
    const double lo = k == 0 ? 0.0 : u_[s][k - 1], hi = k == n - 1 ? 1.0 : u_[s][k + 1];
    const double start = u_[s][k];
    constexpr int kScan = 24;
    std::array<double, kScan + 1> x{}, g{};
    int m = 0;
    if (local) {
      // Near the previous root first: the other boundaries moved a little.
      const double w = (hi - lo) / (4 * kScan);
      x[0] = std::max(lo + 1e-9, start - w), x[1] = std::min(hi - 1e-9, start + w), m = 2;
    } else {
      for (int j = 1; j < kScan; ++j) x[m++] = lo + (hi - lo) * j / kScan;
    }
    // A trial boundary without a price equilibrium (e.g. a segment whose beta_bar is not positive
    // under the untruncated reading) is a gap in the scan, not a failure of the point.
    int finite = 0;
    for (int j = 0; j < m; ++j) finite += std::isfinite(g[j] = marginal(s, k, x[j]));
    if (finite == 0 && !local) return Found::failed;
    double best_profit = -kInf, root = kNaN;
    for (int j = 0; j + 1 < m; ++j) {
      if (!(g[j] > 0 && g[j + 1] < 0)) continue;
      auto f = [&](double u) { return marginal(s, k, u); };
      std::uintmax_t iters = 60;
      const auto b = boost::math::tools::toms748_solve(
          f, x[j], x[j + 1], g[j], g[j + 1], boost::math::tools::eps_tolerance<double>(40), iters);
      const double u = 0.5 * (b.first + b.second);
      u_[s][k] = u;
      const double p = profit(s, false);
      if (std::isfinite(p) && p > best_profit) best_profit = p, root = u;
    }
    if (std::isnan(root) && local) {
      u_[s][k] = start;
      return boundary_root(s, k, false);
    }
    u_[s][k] = std::isnan(root) ? start : root;
    return std::isnan(root) ? Found::none : Found::yes;
  }

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
        if (std::isnan(p)) return r;  // a compared equilibrium failed: no choice can be claimed
        if (std::isinf(p)) r.profit_by_count[c][k - 1] = kNaN;  // no boundary equilibrium: not offered
        if (p > best) best = p, best_k = k, u_best = search.u_[c];  // ties go to fewer options
      }
      r.count[c] = best_k;
      search.u_[c] = u_best;
      if (best_k != before) settled = false;
    }
  }
  if (!settled) return r;
  const bool owned = o.boundaries == BoundaryChoice::equilibrium;
  // Other chains' boundaries moved while chain c's counts were compared: settle them for the chosen counts.
  if (owned && search.equilibrium_boundaries() != MenuSearch::Found::yes) return r;
  // The chosen menus, solved once more and verified.
  if (!std::isfinite(search.profit(0, true))) return r;
  for (int c = 0; c < full.n_chains; ++c)
    for (int k = 0; k < kMaxOptions; ++k)
      r.h[c][k] = k < r.count[c] - 1 ? full.beta.quantile(search.u_[c][k]) : kNaN;
  if (owned || o.measure_boundary_gain) {
    r.boundary_gain = 0;
    for (int c = 0; c < r.in.n_chains; ++c) {
      const double g = boundary_deviation_gain(r.in, r.s, c, VerifyOptions{});
      r.boundary_gain = std::max(r.boundary_gain, std::isnan(g) ? kInf : g);
      if (owned && !(g <= r.verification.deviation_gain)) {
        r.verification.deviation_gain = g;
        r.verification.worst_player = r.in.readings.equilibrium == Equilibrium::decentralized ? c + r.in.n_chains : c;
      }
    }
    if (owned) r.verification.passed = r.verification.passed && r.boundary_gain <= VerifyOptions{}.deviation_tolerance;
  }
  r.ok = r.summary.converged && r.verification.passed;
  return r;
}

}  // namespace eqsweep::ma_sue
