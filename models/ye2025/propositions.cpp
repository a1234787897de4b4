#include "models/ye2025/propositions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <functional>

#include "models/ye2025/published_scenarios.hpp"

namespace eqsweep::ye2025 {

namespace {

constexpr double kNaNv = std::numeric_limits<double>::quiet_NaN();

double flag(bool holds) { return holds ? kHolds : kFails; }

// The tie rule (propositions.hpp): -1 where a < b, +1 where a > b, 0 where they are equal to within
// kTieUlps units in the last place of max(|a|, |b|, unit); unit is 1 for profits.
int order(double a, double b, double unit = 1) {
  const double scale = std::max({std::abs(a), std::abs(b), unit});
  if (std::abs(a - b) <= kTieUlps * std::numeric_limits<double>::epsilon() * scale) return 0;
  return a < b ? -1 : 1;
}
// Strict claims "a < b" and "a > b": holds, fails (the reverse order) or tie.
double less(double a, double b, double unit = 1) {
  const int o = order(a, b, unit);
  return o < 0 ? kHolds : o > 0 ? kFails : kTie;
}
double greater(double a, double b, double unit = 1) { return less(b, a, unit); }
// Equality claims "a = b": a tie is the claim holding.
double equal(double a, double b) { return flag(order(a, b) == 0); }

// Unit costs c = x/q_B (the same t² in both scenarios compared) are compared through the q_B they
// imply, on the scale of q_B's terms: prices of order one times the covered demand's slope
// |dq_B/dp_B| = 1/θ + 1/(1-θ) = 1/(θ(1-θ)) (c_B = t²/q_B would magnify their rounding by 1/q_B).
double quantity_unit(const Point& p) { return 1 / (p.theta * (1 - p.theta)); }

// Equalities between two different closed forms of Prop. 1 (printed c_B against t²/q_B): these
// agree to the rounding of each form's own terms, some of order t/(θ(1-θ)), not of the values.
bool same_closed_form(double a, double b) { return std::abs(a - b) <= 1e-11 * (1 + std::abs(a) + std::abs(b)); }

bool ok(const Evaluation& e) { return e.regime == kEquilibrium; }

// Central difference of one output of one scenario along one parameter; NaN where a shifted point
// leaves the domain or the equilibrium region.
double derivative(const Point& p, Evaluator eval, int scenario, int param, double ScenarioOutputs::*field) {
  const double x = p[param], h = 1e-5 * std::max(1.0, std::abs(x));
  if (param == kT && x - h <= 0) return kNaNv;
  Point lo = p, hi = p;
  lo[param] = x - h;
  hi[param] = x + h;
  const Evaluation a = eval(scenario, lo), b = eval(scenario, hi);
  if (!ok(a) || !ok(b)) return kNaNv;
  return (b.o.*field - a.o.*field) / (2 * h);
}

// Sign claims on a derivative: a difference quotient of closed forms in double precision is good to
// ~1e-9, so slopes within kZeroSlope of zero are ties (propositions.hpp).
double positive(double d) {
  if (std::isnan(d)) return kNaNv;
  return d > kZeroSlope ? kHolds : d < -kZeroSlope ? kFails : kTie;
}
double zero(double d) { return std::isnan(d) ? kNaNv : flag(std::abs(d) <= kZeroSlope); }

// "Both firms at least as well off in `x` as under N" (equilibrium E): holds where neither firm is
// worse off beyond a tie; a tie where it holds only because some firm's profit ties with N's.
double at_least_as_well_off_as_N(const Evaluation& x, const Evaluation& n) {
  const int r = order(x.o.pi_R, n.o.pi_R), m = order(x.o.pi_M, n.o.pi_M);
  if (r < 0 || m < 0) return kFails;
  return r == 0 || m == 0 ? kTie : kHolds;
}
bool better_than_N(const Evaluation& x, const Evaluation& n) { return at_least_as_well_off_as_N(x, n) != kFails; }

// The set {v in [lo, hi] : holds(v)} as [first, last], located on a grid and refined by bisection
// at both ends; NaN if no grid point holds. Assumes the set is an interval at the grid's resolution.
struct Interval {
  double lo = kNaNv, hi = kNaNv;
};
Interval scan(double lo, double hi, const std::function<int(double)>& holds) {
  constexpr int kGrid = 64, kBisect = 40;
  int first = -1, last = -1;
  const double step = (hi - lo) / kGrid;
  for (int i = 0; i <= kGrid; ++i) {
    if (holds(lo + i * step) == 1) {
      if (first < 0) first = i;
      last = i;
    }
  }
  Interval r;
  if (first < 0) return r;
  auto refine = [&](double in, double out) {
    for (int i = 0; i < kBisect; ++i) {
      const double mid = (in + out) / 2;
      (holds(mid) == 1 ? in : out) = mid;
    }
    return in;
  };
  r.lo = first == 0 ? lo : refine(lo + first * step, lo + (first - 1) * step);
  r.hi = last == kGrid ? hi : refine(lo + last * step, lo + (last + 1) * step);
  return r;
}

// Upper end of the t scan for Prop. 10(2)'s bound: past the sweeps' t range (at most 1.5).
constexpr double kTHiScan = 2.0;

// {x : a + b x >= c + d x} intersected with [lo, hi], for profits affine in a contract term.
Interval affine_window(double f0, double f1, double g0, double g1, double lo, double hi) {
  // f(x) = f0 + (f1 - f0) x must satisfy f >= 0 and g >= 0.
  Interval r{lo, hi};
  auto cut = [&](double v0, double v1) {
    const double slope = v1 - v0;
    if (slope == 0) {
      if (v0 < 0) r = {kNaNv, kNaNv};
      return;
    }
    const double root = -v0 / slope;
    if (slope > 0) r.lo = std::max(r.lo, root);
    else r.hi = std::min(r.hi, root);
  };
  cut(f0, f1);
  if (!std::isnan(r.lo)) cut(g0, g1);
  if (std::isnan(r.lo) || r.lo > r.hi) return {kNaNv, kNaNv};
  return r;
}

}  // namespace

PrintedWindows printed_windows(const Point& p) {
  const double th = p.theta, k = p.k, t = p.t, s2 = p.sigma * p.sigma;
  return {1 - (1 + t * s2 * (1 + th * s2)) / (8 * t * t * (1 + t * s2)) - (1 - k) * (1 - k) / (8 * (1 - th) * th),
          (2 - th - 2 * std::sqrt(1 - th)) / th, ((p.b - p.c) + 2 * t * (1 - k)) * (p.b - p.c) / (8 * th * (1 - th)),
          (p.c - p.b) / (2 * (1 - k))};
}

void evaluate_claims(const Point& p, Evaluator eval, double* c, double* w) {
  for (std::size_t i = 0; i < kClaims.size(); ++i) c[i] = kNaNv;
  for (std::size_t i = 0; i < kWindows.size(); ++i) w[i] = kNaNv;
  Evaluation ev[kScenarioCount];
  for (int s = 0; s < kScenarioCount; ++s) ev[s] = eval(s, p);
  const Evaluation &N = ev[kScenarioN], &Y = ev[kScenarioY];
  const bool base = ok(N) && ok(Y);
  int i = 0;

  // Lemma 1.
  using SO = ScenarioOutputs;
  for (double SO::*f : {&SO::w_B, &SO::p_B, &SO::q_B}) {
    const bool gamma_free_in_N = f != &SO::p_B;  // the lemma claims dw_B^N/dΓ = dq_B^N/dΓ = 0
    if (base) {
      c[i + 0] = positive(derivative(p, eval, kScenarioN, kT, f));
      c[i + 1] = positive(derivative(p, eval, kScenarioY, kT, f));
      const double dN = derivative(p, eval, kScenarioN, kGamma, f);
      c[i + 2] = gamma_free_in_N ? zero(dN) : positive(dN);
      c[i + 3] = positive(derivative(p, eval, kScenarioY, kGamma, f));
    }
    i += 4;
  }
  // Proposition 1.
  if (base) {
    // Compared through the q_B = t²/c_B they imply: c_B magnifies q_B's rounding by 1/q_B.
    const double tt = p.t * p.t;
    c[i] = flag(same_closed_form(tt / printed_prop1_c_B_N(p), N.o.q_B));
    c[i + 1] = flag(same_closed_form(tt / printed_prop1_c_B_Y(p), Y.o.q_B));
    c[i + 2] = greater(N.o.q_B, Y.o.q_B, quantity_unit(p));  // c_B^N < c_B^Y
  }
  i += 3;
  // Proposition 2.
  if (base) {
    c[i] = greater(N.o.pi_R, Y.o.pi_R);
    c[i + 1] = less(N.o.pi_M, Y.o.pi_M);
    c[i + 2] = greater(N.o.pi_SC, Y.o.pi_SC);
  }
  i += 3;
  // Proposition 3 and the m window (profits are affine in m: two evaluations give the line).
  const Evaluation& YC = ev[kScenarioYC];
  Interval m_window;
  if (ok(N) && ok(YC)) {
    Point p0 = p, p1 = p;
    p0.m = 0;
    p1.m = 1;
    const Evaluation a = eval(kScenarioYC, p0), b = eval(kScenarioYC, p1);
    m_window = affine_window(a.o.pi_R - N.o.pi_R, b.o.pi_R - N.o.pi_R, a.o.pi_M - N.o.pi_M, b.o.pi_M - N.o.pi_M, 0, 1);
    w[0] = m_window.lo;
    w[1] = m_window.hi;
  }
  if (ok(Y) && ok(YC)) {
    c[i] = less(Y.o.pi_R, YC.o.pi_R);
    c[i + 1] = greater(Y.o.pi_M, YC.o.pi_M);
    c[i + 2] = equal(Y.o.pi_SC, YC.o.pi_SC);
    c[i + 3] = greater(YC.o.q_B, Y.o.q_B, quantity_unit(p));  // c_B^Y > c_B^{Y-C}
    // c_B^Y = t²/q_B^Y > c_B_R^{Y-C} = m t²/q_B^{Y-C}  <=>  q_B^{Y-C} > m q_B^Y
    const double m = information_cost_split(kScenarioYC, p).retailer / (p.t * p.t);
    c[i + 4] = greater(YC.o.q_B, m * Y.o.q_B, quantity_unit(p));
  }
  if (ok(N) && ok(YC)) {
    const double m_hi = printed_windows(p).m_hi;
    const double e = at_least_as_well_off_as_N(YC, N);
    c[i + 5] = e == kTie ? kTie : flag((p.m > 0 && p.m < m_hi) == (e == kHolds));
  }
  i += 6;
  // Propositions 4, 5, 6(1): Y against a contract scenario.
  auto compare = [&](const Evaluation& X, bool claim_x_better_for_M) {
    if (ok(Y) && ok(X)) {
      c[i] = greater(X.o.pi_R, Y.o.pi_R);
      c[i + 1] = claim_x_better_for_M ? greater(X.o.pi_M, Y.o.pi_M) : less(X.o.pi_M, Y.o.pi_M);
      c[i + 2] = greater(X.o.pi_SC, Y.o.pi_SC);
      c[i + 3] = greater(X.o.q_B, Y.o.q_B, quantity_unit(p));  // c_B^X < c_B^Y
    }
    i += 4;
  };
  compare(ev[kScenarioYS], true);
  compare(ev[kScenarioYD], true);
  compare(ev[kScenarioYR], true);
  // Proposition 6(2): y_MAX and its slope in t.
  auto y_max = [&](const Point& q) {
    const Evaluation n = eval(kScenarioN, q);
    if (!ok(n)) return kNaNv;
    return scan(0, 4, [&](double y) {
             Point r = q;
             r.y = y;
             const Evaluation x = eval(kScenarioYR, r);
             return ok(x) && better_than_N(x, n) ? 1 : 0;
           }).hi;
  };
  w[4] = y_max(p);
  {
    const double h = 1e-4 * std::max(1.0, p.t);
    if (!std::isnan(w[4]) && p.t - h > 0) {
      Point lo = p, hi = p;
      lo.t -= h;
      hi.t += h;
      const double a = y_max(lo), b = y_max(hi);
      if (!std::isnan(a) && !std::isnan(b)) c[i] = positive((a - b) / (2 * h));  // -dy_MAX/dt > 0
    }
  }
  i += 1;
  // Proposition 7.
  const Evaluation &Np = ev[kScenarioNp], &Yp = ev[kScenarioYp];
  if (ok(Np) && ok(Yp)) {
    c[i] = greater(Np.o.pi_R, Yp.o.pi_R);
    c[i + 1] = less(Np.o.pi_M, Yp.o.pi_M);
    c[i + 2] = greater(Np.o.pi_SC, Yp.o.pi_SC);
  }
  i += 3;
  // Proposition 8.
  const Evaluation &YN = ev[kScenarioYN], &YNC = ev[kScenarioYNC], &YNCO = ev[kScenarioYNCO];
  if (ok(YN) && ok(YNC)) {
    c[i] = less(YN.o.pi_R, YNC.o.pi_R);
    c[i + 1] = greater(YN.o.pi_M, YNC.o.pi_M);
    c[i + 2] = equal(YN.o.pi_SC, YNC.o.pi_SC);
  }
  if (ok(YN) && ok(YNCO)) c[i + 3] = less(YN.o.pi_R, YNCO.o.pi_SC);
  i += 4;
  // Proposition 9.
  const PrintedWindows pw = printed_windows(p);
  const Evaluation &DE1 = ev[kScenarioYDE1], &DE2 = ev[kScenarioYDE2];
  if (ok(Y) && ok(DE1) && p.delta > pw.delta_lo && p.delta < 1) {
    c[i] = less(Y.o.pi_R, DE1.o.pi_R);
    c[i + 1] = less(Y.o.pi_M, DE1.o.pi_M);
    c[i + 2] = less(Y.o.pi_SC, DE1.o.pi_SC);
  }
  if (ok(Y) && ok(DE2)) {
    c[i + 3] = greater(DE2.o.pi_R, Y.o.pi_R);
    c[i + 4] = greater(DE2.o.pi_M, Y.o.pi_M);
    c[i + 5] = greater(DE2.o.pi_SC, Y.o.pi_SC);
  }
  i += 6;
  {
    const Interval d = ok(Y) ? scan(0, 1, [&](double delta) {
                                 Point r = p;
                                 r.delta = std::max(delta, 1e-9);
                                 const Evaluation x = eval(kScenarioYDE1, r);
                                 return ok(x) && order(x.o.pi_R, Y.o.pi_R) > 0 && order(x.o.pi_M, Y.o.pi_M) > 0 &&
                                        order(x.o.pi_SC, Y.o.pi_SC) > 0;
                               })
                             : Interval{};
    w[5] = d.lo;
    w[6] = d.hi;
  }
  // Proposition 10 and the F window (profits are affine in F).
  const Evaluation& NEW = ev[kScenarioYNEW];
  const bool in_F = p.F > 0 && p.F < pw.F_hi;
  for (int part = 1; part <= 2; ++part) {
    const bool region = part == 1 ? p.b > p.c && in_F : p.b <= p.c && p.t > 0 && p.t < pw.t_hi && in_F;
    if (region && ok(Y) && ok(NEW)) {
      c[i] = less(Y.o.pi_R, NEW.o.pi_R);
      c[i + 1] = less(Y.o.pi_M, NEW.o.pi_M);
      c[i + 2] = less(Y.o.pi_SC, NEW.o.pi_SC);
    }
    i += 3;
  }
  if (ok(Y) && ok(NEW)) {
    Point p0 = p, p1 = p;
    p0.F = 0;
    p1.F = 1;
    const Evaluation a = eval(kScenarioYNEW, p0), b = eval(kScenarioYNEW, p1);
    const Interval f = affine_window(a.o.pi_R - Y.o.pi_R, b.o.pi_R - Y.o.pi_R, a.o.pi_M - Y.o.pi_M, b.o.pi_M - Y.o.pi_M, 0,
                                     std::numeric_limits<double>::max());
    w[7] = f.lo;
    w[8] = f.hi;
  }
  // Prop. 10(2)'s t bound implied by the profits. F is a lump-sum transfer (eqs. 23-24: +F to R,
  // -F to M), so at a given t the F window is [max(0, -dR0), dM0] with dX0 = pi_X^{Y-NEW}(F = 0) -
  // pi_X^Y; some F > 0 works exactly when dM0 > max(0, -dR0). The printed bound is claimed for
  // b <= c only; above it the window never closes in t.
  if (p.b <= p.c) {
    w[9] = scan(0, kTHiScan, [&](double t) {
             Point r = p;
             r.t = t;
             r.F = 0;
             const Evaluation y = eval(kScenarioY, r), x = eval(kScenarioYNEW, r);
             if (!ok(y) || !ok(x)) return 0;
             const double dR = x.o.pi_R - y.o.pi_R, dM = x.o.pi_M - y.o.pi_M;
             return dM > std::max(0.0, -dR) ? 1 : 0;
           }).hi;
  }
  // Equilibrium E of Figs. 1-3 and the ϕ window.
  for (int s : {kScenarioYC, kScenarioYD, kScenarioYR, kScenarioYDE1}) {
    if (ok(N) && ok(ev[s])) c[i] = at_least_as_well_off_as_N(ev[s], N);
    ++i;
  }
  if (ok(N)) {
    const Interval f = scan(0, 1, [&](double phi) {
      Point r = p;
      r.phi = std::max(phi, 1e-9);
      const Evaluation x = eval(kScenarioYD, r);
      return ok(x) && better_than_N(x, N) ? 1 : 0;
    });
    w[2] = f.lo;
    w[3] = f.hi;
  }
}

}  // namespace eqsweep::ye2025
