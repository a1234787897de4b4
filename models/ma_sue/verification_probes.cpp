// The certificate's probes (verification_checks.hpp): for a player where the structural
// certificate does not apply, the second-order condition (the Hessian of its profit in its own
// decisions negative definite) and global deviation probes, its best response searched by
// safeguarded Newton ascent from far starts (every iterate a real unilateral deviation). The
// leader is judged with its retailer re-optimising at every point tried.

#include <algorithm>
#include <cmath>

#include "models/ma_sue/verification_checks.hpp"

namespace eqsweep::ma_sue::verification_detail {

namespace {

// Cholesky factorisation A = L L' of the leading n x n block in place (lower triangle), on the
// stack: false if A is not (numerically) positive definite.
bool cholesky(DMat& A, int n) {
  for (int j = 0; j < n; ++j) {
    double d = A(j, j);
    for (int k = 0; k < j; ++k) d -= A(j, k) * A(j, k);
    if (!(d > 0)) return false;
    d = std::sqrt(d);
    A(j, j) = d;
    for (int i = j + 1; i < n; ++i) {
      double x = A(i, j);
      for (int k = 0; k < j; ++k) x -= A(i, k) * A(j, k);
      A(i, j) = x / d;
    }
  }
  return true;
}

// Solves L L' x = b with the factor from cholesky().
void cholesky_solve(const DMat& L, int n, const DVec& b, DVec& x) {
  for (int i = 0; i < n; ++i) {
    double v = b[i];
    for (int k = 0; k < i; ++k) v -= L(i, k) * x[k];
    x[i] = v / L(i, i);
  }
  for (int i = n - 1; i >= 0; --i) {
    double v = x[i];
    for (int k = i + 1; k < n; ++k) v -= L(k, i) * x[k];
    x[i] = v / L(i, i);
  }
}

bool negative_definite(const DMat& H) {
  DMat M = -H;
  return cholesky(M, static_cast<int>(H.rows()));
}

// An ascent direction: the Newton step where -H is positive definite, otherwise the Newton step
// of H - mu I with mu growing from the largest diagonal entry (tends to the gradient direction).
bool ascent_direction(const DMat& H, const DVec& g, DVec& d) {
  const int n = static_cast<int>(g.size());
  double diag = 0, top = -INFINITY;
  for (int a = 0; a < n; ++a) diag = std::max(diag, std::abs(H(a, a))), top = std::max(top, H(a, a));
  double mu = 0;
  DMat M(n, n);
  for (int tries = 0; tries < 40; ++tries) {
    M = -H;
    for (int a = 0; a < n; ++a) M(a, a) += mu;
    if (cholesky(M, n)) {
      cholesky_solve(M, n, g, d);
      return d.allFinite();
    }
    mu = mu == 0 ? std::max(top, 0.0) + 1e-6 * std::max(diag, 1e-300) : mu * 4;
  }
  return false;
}

// Safeguarded Newton ascent of `who`'s profit in `dec` from s (changed in place): at most
// `steps` accepted steps. Every accepted iterate is a profit the player can reach by a
// unilateral deviation; returns the last profit. `converged`: the next ascent step is below
// step_tol relative to the decisions (a numerical critical point where Newton steps are taken).
double ascend(const ChainView& v, Strategy& s, Payee who, const Decisions& dec, int steps, double step_tol,
              bool& converged) {
  DVec g(dec.n), d(dec.n);
  DMat H(dec.n, dec.n);
  double f = chain_profit(v, s, who, &dec, &g, &H);
  converged = false;
  Strategy trial;
  for (int it = 0; it <= steps; ++it) {
    if (!std::isfinite(f) || !ascent_direction(H, g, d)) return f;
    double rel = 0;
    for (int a = 0; a < dec.n; ++a) rel = std::max(rel, std::abs(d[a]) / std::max(std::abs(ref(s, dec.d[a])), 1.0));
    if (rel <= step_tol) {
      converged = true;
      return f;
    }
    if (it == steps) return f;
    double lambda = 1;
    bool moved = false;
    for (int b = 0; b < 30 && !moved; ++b, lambda *= 0.5) {
      trial = s;
      bool inside = true;
      for (int a = 0; a < dec.n; ++a) {
        double& x = ref(trial, dec.d[a]);
        x += lambda * d[a];
        if (dec.d[a].kind == Decision::slot && !(x > 0)) inside = false;  // lead times stay positive
      }
      if (!inside) continue;
      const double ft = chain_profit(v, trial, who, nullptr, nullptr, nullptr);
      if (ft >= f) {
        s = trial;
        f = chain_profit(v, s, who, &dec, &g, &H);
        moved = true;
      }
    }
    if (!moved) return f;  // no increase along the ascent direction at any step length
  }
  return f;
}

// The retailer's best response by Newton from where it stands, to Newton steps below 1e-13 of
// its decisions (the leader's profit is first-order in them); false if Newton does not get
// there (then after the first session's fixed-point response).
// `far`: the leader moved far (a probe's start), where Newton from the old response crawls
// through the region where the retailer's profit is not concave; the fixed-point response
// comes first and Newton polishes it.
constexpr double kResponseStep = 1e-13;
bool respond(const Instance& in, const ChainView& v, Strategy& s, const Decisions& y, bool far = false) {
  bool ok = false;
  if (far) retailer_best_response(in, s, v.c);
  ascend(v, s, Payee::retailer, y, 50, kResponseStep, ok);
  if (ok || far) return ok;
  retailer_best_response(in, s, v.c);
  ascend(v, s, Payee::retailer, y, 50, kResponseStep, ok);
  return ok;
}

// Probes stop where the Newton step is below 1e-9 of the decisions: the quadratic model then
// promises a gain of order 1e-18 of the profit, far below any deviation tolerance.
constexpr double kProbeStep = 1e-9;

}  // namespace

bool leader_gradient(const ChainView& v, const Strategy& s, const Decisions& y, const Decisions& z, DVec& G,
                     double& profit_m) {
  Decisions yz = y;
  for (int a = 0; a < z.n; ++a) yz.d[yz.n++] = z.d[a];
  DVec gn(yz.n), gm(yz.n);
  DMat Hn(yz.n, yz.n);
  chain_profit(v, s, Payee::retailer, &yz, &gn, &Hn);
  profit_m = chain_profit(v, s, Payee::manufacturer, &yz, &gm, nullptr);
  DMat L = -Hn.topLeftCorner(y.n, y.n);
  if (!cholesky(L, y.n)) return false;
  DVec w(y.n);
  cholesky_solve(L, y.n, gm.head(y.n), w);  // -Hn_yy^-1 gm_y
  G = gm.tail(z.n) + Hn.bottomLeftCorner(z.n, y.n) * w;
  return G.allFinite();
}

PlayerCheck check_own(const Instance& in, const Strategy& s, int c, PlayerKind kind, const VerifyOptions& opt) {
  PlayerCheck out;
  const ChainView v = view_of(in, s, c);
  const Decisions dec = own_decisions(in, c, kind);
  const Payee who = payee_of(kind);
  DVec g(dec.n);
  DMat H(dec.n, dec.n);
  const double base = chain_profit(v, s, who, &dec, &g, &H);
  const double scale = std::max(std::abs(base), 1.0);
  out.kkt = relative_gradient(g, s, dec, base);
  out.local_max = negative_definite(H);
  double best = base;
  for (double f : {1.0, opt.probe_low, opt.probe_high}) {
    Strategy d = s;
    for (int a = 0; a < dec.n; ++a) ref(d, dec.d[a]) *= f;
    bool conv = false;
    best = std::max(best, ascend(v, d, who, dec, opt.probe_steps, kProbeStep, conv));
  }
  out.gain = (best - base) / scale;
  return out;
}

PlayerCheck check_leader(const Instance& in, const Strategy& candidate, int c, const VerifyOptions& opt) {
  PlayerCheck out;
  const ChainView v = view_of(in, candidate, c);
  const Decisions y = own_decisions(in, c, PlayerKind::retailer);
  const Decisions z = own_decisions(in, c, PlayerKind::manufacturer);
  // The leader is judged against its own wholesale prices and lead times with the retailer's
  // response to them (as the audit does); at an equilibrium that response is the candidate's.
  Strategy s = candidate;
  if (!respond(in, v, s, y)) {
    out.kkt = INFINITY, out.local_max = false;
    return out;
  }
  DVec G(z.n), Gh(z.n);
  double base = 0, fh = 0;
  if (!leader_gradient(v, s, y, z, G, base)) {
    out.kkt = INFINITY, out.local_max = false;
    return out;
  }
  const double scale = std::max(std::abs(base), 1.0);
  out.kkt = relative_gradient(G, s, z, base);
  // Reduced Hessian: forward differences of the analytic reduced gradient, the retailer
  // re-optimising at each shifted z.
  DMat Hr(z.n, z.n);
  for (int a = 0; a < z.n; ++a) {
    Strategy d = s;
    double& za = ref(d, z.d[a]);
    const double h = 1e-6 * std::max(std::abs(za), 1.0);
    za += h;
    if (!respond(in, v, d, y) || !leader_gradient(v, d, y, z, Gh, fh)) {
      out.local_max = false;
      return out;
    }
    Hr.col(a) = (Gh - G) / h;
  }
  Hr = 0.5 * (Hr + Hr.transpose()).eval();
  out.local_max = negative_definite(Hr);
  // Probes: from far starts, chord-Newton steps with the reduced Hessian at the candidate
  // (regularised where it is not negative definite); every point tried is a deviation of the
  // leader with its retailer at its best response.
  auto leader_profit = [&](Strategy& d, bool far) -> double {
    if (!respond(in, v, d, y, far)) return -INFINITY;  // no converged response: not counted as a gain
    return chain_profit(v, d, Payee::manufacturer, nullptr, nullptr, nullptr);
  };
  double best = base;
  for (double f : {1.0, opt.probe_low, opt.probe_high}) {
    Strategy d = s;
    for (int a = 0; a < z.n; ++a) ref(d, z.d[a]) *= f;
    double fd = leader_profit(d, f != 1.0);
    best = std::max(best, fd);
    for (int it = 0; it < opt.probe_steps && std::isfinite(fd); ++it) {
      double pm = 0;
      DVec step(z.n);
      if (!leader_gradient(v, d, y, z, Gh, pm) || !ascent_direction(Hr, Gh, step)) break;
      double rel = 0;
      for (int a = 0; a < z.n; ++a) rel = std::max(rel, std::abs(step[a]) / std::max(std::abs(ref(d, z.d[a])), 1.0));
      if (rel <= kProbeStep) break;
      bool moved = false;
      double lambda = 1;
      for (int b = 0; b < 20 && !moved; ++b, lambda *= 0.5) {
        Strategy t = d;
        bool inside = true;
        for (int a = 0; a < z.n; ++a) {
          double& x = ref(t, z.d[a]);
          x += lambda * step[a];
          if (z.d[a].kind == Decision::slot && !(x > 0)) inside = false;
        }
        if (!inside) continue;
        const double ft = leader_profit(t, true);
        if (ft >= fd) d = t, fd = ft, moved = true;
      }
      best = std::max(best, fd);
      if (!moved) break;
    }
  }
  out.gain = (best - base) / scale;
  return out;
}


}  // namespace eqsweep::ma_sue::verification_detail
