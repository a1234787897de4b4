// The structural certificate (verification_checks.hpp): the player's global best response in
// closed form.
//
// docs/model-m.md ("Speed", "The structural certificate") proves: when
// every lead-time slot the player's problem sets (its own; for the leader also its retailer's)
// serves options of one time sensitivity beta_bar > 0 and c(t) = a/t^k + b with a, k > 0, the
// player's profit, written in the market shares of its own options with each slot at its convex
// minimiser -c'(t) = beta_bar/alpha, is strictly concave; its unique stationary point has the
// markups below, and they solve one increasing scalar equation. So the best response and its
// profit are computed exactly, and the deviation gain is that profit minus the candidate's:
// no probing. Where the hypotheses fail the probes are used (check_own, check_leader).

#include <algorithm>
#include <cmath>

#include "models/ma_sue/verification_checks.hpp"
#include "models/ma_sue/verification_structural.hpp"

namespace eqsweep::ma_sue::verification_detail {

bool fixed_target(const Instance& in, int k, double& t) {
  const Slot& sl = in.slots[k];
  double b = NAN;
  for (int i = 0; i < in.n_options; ++i) {
    if (!(sl.options >> i & 1u)) continue;
    if (std::isnan(b)) b = in.beta_bar[i];
    else if (in.beta_bar[i] != b) return false;
  }
  if (!(b > 0) || !(sl.cost.a > 0) || !(sl.cost.k > 0)) return false;
  t = lead_time_for_marginal(sl.cost, b / in.alpha);
  return std::isfinite(t) && t > 0;
}

Reduced reduce(const ChainView& v, const Strategy& s, const std::array<double, kMaxSlots>& t, bool over_wholesale) {
  const Instance& in = *v.in;
  Reduced r;
  OptionArray<double> T{};
  for (int q = 0; q < v.n; ++q)
    T[q] = in.fixed_time[v.i0 + q], r.cm[q] = in.iface_cost_m[v.i0 + q], r.cn[q] = in.iface_cost_n[v.i0 + q];
  for (int p = 0; p < v.ns; ++p) {
    const int k = v.slots[p];
    const Slot& sl = in.slots[k];
    const double c = unit_cost(sl.cost, t[k]);
    for (int q = 0; q < v.n; ++q)
      if (sl.options >> (v.i0 + q) & 1u) T[q] += t[k], (sl.retailer ? r.cn[q] : r.cm[q]) += c;
  }
  for (int q = 0; q < v.n; ++q) {
    const int i = v.i0 + q;
    const double C = over_wholesale ? s.wh[i] + r.cn[q] : r.cm[q] + r.cn[q];
    r.g[q] = in.w - in.beta_bar[i] * T[q] - in.alpha * C;
  }
  return r;
}

namespace {

// Root of the strictly increasing f on [lo, hi] (f(lo) < 0 < f(hi)) by Newton's method from x0,
// bisecting whenever a step leaves the bracket. Returns the iterate after a Newton step below
// 1e-10 max(|x|, 1): the error after such a step is of order (f''/2f') step^2 ~ 1e-20 (f''/f'
// is below 2 for the logit markup equations; the mass-weighted h(Pi) is smooth with h' >=
// alpha (1 - S) > 0), far below the rounding of f itself, whereas demanding steps of a few ulp
// would spend iterations in rounding noise (measured: 5.6 evaluations per root instead of ~2).
template <typename F>
double increasing_root(F&& f, double lo, double hi, double x0) {
  // Without a start inside the bracket: from hi, where Newton on a convex increasing f (the
  // markup equations below) converges monotonically.
  double x = x0 > lo && x0 < hi ? x0 : hi;
  for (int it = 0; it < 100; ++it) {
    double d = 0;
    const double fx = f(x, d);
    if (fx == 0) return x;
    (fx < 0 ? lo : hi) = x;
    double next = x - fx / d;
    if (!(next > lo && next < hi)) {
      next = 0.5 * (lo + hi);  // a bisection step: no stop on its length
    } else if (std::abs(next - x) <= 1e-10 * std::max(std::abs(x), 1.0)) {
      return next;
    }
    x = next;
  }
  return x;
}

}  // namespace

// With y = logit of the share S that the markups are set on (the chain's total with MNL, the
// option's P_i sealed), 1/(1-S) = 1 + e^y. The first-order conditions with G/A = e^L (L = ln of
// the summed e^{g_i} over the other chains' part of the denominator, A = 1 sealed) read
//   retail markup alpha m = 1 + e^y:                         y + (1 + e^y) - L = 0
//   leader margin alpha k = (1 + e^y)^2 on top of it:         y + (1 + e^y) + (1 + e^y)^2 - L = 0
// (S/(1-S) = (G/A) e^{-alpha (markup over C)}); both strictly increasing in y. Brackets: for
// y <= 0, 1 + e^y <= 2, so f < 0 below min(L - 3, -1) (retail) or min(L - 7, -1) (leader); f > 0 at
// y = L if L <= 1, else at y = sqrt(L) (retail) or sqrt(L)/2 (leader), where e^y > y^2 gives
// e^{sqrt L} > L.
double markup_logit(double L, bool leader, double y0) {
  auto f = [&](double y, double& d) {
    const double e = std::exp(y), u = 1.0 + e;
    d = 1.0 + e + (leader ? 2.0 * u * e : 0.0);
    return y + u + (leader ? u * u : 0.0) - L;
  };
  const double lo = std::min(L - (leader ? 7.0 : 3.0), -1.0);
  const double hi = L > 1.0 ? (leader ? 0.5 : 1.0) * std::sqrt(L) : L;
  return increasing_root(f, lo, hi, y0);
}

namespace {

// ln(sum_q e^{g_q}) - ln A for the chain's options (MNL), A = the other chains' and not buying's
// part of the denominator (ChainView: outside e^shift).
double log_ratio(const ChainView& v, const OptionArray<double>& g) {
  return log_sum_exp(g.data(), v.n) - v.shift - std::log(v.outside);
}

}  // namespace

// The retail best response to the costs in r (chain owner or retailer), mass-weighted MNL:
// m_i = 1/alpha + Pi/mass_i with Pi = sum_j mass_j m_j P_j, the root of the increasing
// h(Pi) = alpha Pi (1 - S(Pi)) - M(Pi) (M = sum mass_j P_j < sum mass_j); h(0) < 0 and
// h(sum mass / (alpha (1 - S(0)))) > 0 since S decreases in Pi. Returns Pi (profit Q Pi - F).
double weighted_markup_level(const ChainView& v, const Reduced& r, double x0) {
  const Instance& in = *v.in;
  const double a = in.alpha;
  const double lnA = v.shift + std::log(v.outside);
  auto shares = [&](double Pi, OptionArray<double>& P, double& S, double& M, double& dS, double& dM) {
    // P_q = e^{V_q} / (A + sum e^V), V_q = g_q - 1 - alpha Pi / mass_q, relative to max(lnA, V).
    OptionArray<double> V{}, dV{};
    double top = lnA;
    for (int q = 0; q < v.n; ++q) {
      dV[q] = -a / in.mass[v.i0 + q];
      V[q] = r.g[q] - 1.0 + dV[q] * Pi;
      top = std::max(top, V[q]);
    }
    double den = std::exp(lnA - top);
    for (int q = 0; q < v.n; ++q) den += (P[q] = std::exp(V[q] - top));
    S = M = 0;
    double mix = 0;
    for (int q = 0; q < v.n; ++q) P[q] /= den, S += P[q], M += in.mass[v.i0 + q] * P[q], mix += P[q] * dV[q];
    dS = dM = 0;
    for (int q = 0; q < v.n; ++q) {
      const double dP = P[q] * (dV[q] - mix);
      dS += dP, dM += in.mass[v.i0 + q] * dP;
    }
  };
  OptionArray<double> P{};
  double S0, M0, dS, dM, mass = 0;
  shares(0.0, P, S0, M0, dS, dM);
  for (int q = 0; q < v.n; ++q) mass += in.mass[v.i0 + q];
  auto h = [&](double Pi, double& d) {
    double S, M;
    shares(Pi, P, S, M, dS, dM);
    d = a * (1.0 - S) - a * Pi * dS - dM;
    return a * Pi * (1.0 - S) - M;
  };
  return increasing_root(h, 0.0, mass / (a * (1.0 - S0)) * (1.0 + 1e-12), x0);
}

namespace {

enum class Structural { not_applicable, done };

// The chain owner's or the retailer's exact best-response profit; `respond` (optional) receives
// the best response (prices and the player's lead times).
Structural retail_best_response(const ChainView& v, const Strategy& s, Payee who, double& value,
                                Strategy* respond = nullptr) {
  const Instance& in = *v.in;
  const bool sealed = in.readings.choice == ChoiceReading::sealed;
  const bool weighted = in.readings.demand == DemandReading::mass_weighted;
  std::array<double, kMaxSlots> t = s.t;
  for (int p = 0; p < v.ns; ++p) {
    const int k = v.slots[p];
    if (pays(who, in.slots[k]) && !fixed_target(in, k, t[k])) return Structural::not_applicable;
  }
  const Reduced r = reduce(v, s, t, who == Payee::retailer);
  OptionArray<double> m{};  // markups over C_i
  value = -in.fixed_cost[v.c];
  // Newton starts from the candidate's own markup (alpha m = 1 + e^y): at an equilibrium it is
  // the root, and the iteration stops after a step or two.
  auto start = [&](int q) {
    const int i = v.i0 + q;
    const double C = who == Payee::retailer ? s.wh[i] + r.cn[q] : r.cm[q] + r.cn[q];
    return std::log(in.alpha * (s.p[i] - C) - 1.0);  // NaN (no start) where alpha m <= 1
  };
  if (sealed) {
    // Separable: each option is its own logit market with A = 1 (footnote 2).
    for (int q = 0; q < v.n; ++q) {
      const int i = v.i0 + q;
      const double y = markup_logit(r.g[q], false, start(q));
      m[q] = (1.0 + std::exp(y)) / in.alpha;
      value += in.Q * (weighted ? in.mass[i] : 1.0) * std::exp(y) / in.alpha;  // Q mass m P = Q mass e^y / alpha
    }
  } else if (!weighted) {
    const double y = markup_logit(log_ratio(v, r.g), false, start(0));
    for (int q = 0; q < v.n; ++q) m[q] = (1.0 + std::exp(y)) / in.alpha;
    value += in.Q * std::exp(y) / in.alpha;  // Q m S
  } else {
    const double Pi = weighted_markup_level(v, r, NAN);
    for (int q = 0; q < v.n; ++q) m[q] = 1.0 / in.alpha + Pi / in.mass[v.i0 + q];
    value += in.Q * Pi;
  }
  if (!std::isfinite(value)) return Structural::not_applicable;
  if (respond) {
    for (int p = 0; p < v.ns; ++p)
      if (pays(who, in.slots[v.slots[p]])) respond->t[v.slots[p]] = t[v.slots[p]];
    for (int q = 0; q < v.n; ++q) {
      const int i = v.i0 + q;
      respond->p[i] = (who == Payee::retailer ? s.wh[i] + r.cn[q] : r.cm[q] + r.cn[q]) + m[q];
    }
  }
  return Structural::done;
}

// The leader's exact best-response profit, its retailer answering every wholesale price and
// lead time with its own best response (printed MNL demand or sealed segments; the retailer's
// slots have fixed targets, so its lead times do not move with the leader's choice).
Structural leader_best_response(const ChainView& v, const Strategy& s, double& value) {
  const Instance& in = *v.in;
  const bool sealed = in.readings.choice == ChoiceReading::sealed;
  const bool weighted = in.readings.demand == DemandReading::mass_weighted;
  if (weighted && !sealed) return Structural::not_applicable;
  std::array<double, kMaxSlots> t = s.t;
  for (int p = 0; p < v.ns; ++p)
    if (!fixed_target(in, v.slots[p], t[v.slots[p]])) return Structural::not_applicable;
  const Reduced r = reduce(v, s, t, false);
  // Newton starts from the candidate's total markup M over C: alpha M = u + u^2, u = 1 + e^y.
  auto start = [&](int q) {
    const int i = v.i0 + q;
    const double u = 0.5 * (std::sqrt(1.0 + 4.0 * in.alpha * (s.p[i] - r.cm[q] - r.cn[q])) - 1.0);
    return std::log(u - 1.0);  // NaN (no start) where u <= 1
  };
  value = 0;
  if (sealed) {
    for (int q = 0; q < v.n; ++q) {
      const double e = std::exp(markup_logit(r.g[q], true, start(q)));
      value += in.Q * (weighted ? in.mass[v.i0 + q] : 1.0) * e * (1.0 + e) / in.alpha;  // Q mass k P
    }
  } else {
    const double e = std::exp(markup_logit(log_ratio(v, r.g), true, start(0)));
    value = in.Q * e * (1.0 + e) / in.alpha;  // Q k S, k = (1 + e^y)^2 / alpha, S = e^y / (1 + e^y)
  }
  return std::isfinite(value) ? Structural::done : Structural::not_applicable;
}

}  // namespace

bool structural_own(const ChainView& v, const Strategy& s, PlayerKind kind, PlayerCheck& out, Strategy* respond) {
  const Payee who = payee_of(kind);
  double best = 0;
  if (retail_best_response(v, s, who, best, respond) != Structural::done) return false;
  const Decisions dec = own_decisions(*v.in, v.c, kind);
  DVec g(dec.n);
  const double base = chain_profit(v, s, who, &dec, &g, nullptr);
  out.kkt = relative_gradient(g, s, dec, base);
  out.gain = (best - base) / std::max(std::abs(base), 1.0);
  return true;
}

namespace {

// The leader's profit and its gradient in its own decisions z (wholesale prices, then its
// slots) with the retailer at its exact best response r, where that response is the closed form
// above (retail_best_response): the retailer's lead times do not move, and its markups
// 1/(alpha (1-S)) move with the shares. With g the retailer's utilities at zero markup
// (g_i = w - beta_bar_i T_i - alpha (wh_i + cn_i)):
//   printed MNL: alpha dm = sum_j P_j dg_j, so dV_i = dg_i - sum_j P_j dg_j and
//                dP_i = P_i (dV_i - sum_j P_j dV_j);
//   sealed:      alpha dm_i = dP_i / (1-P_i)^2, so dP_i = P_i (1-P_i)^2 dg_i.
// A wholesale price wh_k moves g_k by -alpha; a leader's slot moves g_i by -beta_bar_i on the
// options it serves and saves -c'(t) per unit on them. The same reduced gradient as
// leader_gradient's implicit function theorem, without the retailer's Hessian (tested against
// central differences with the retailer re-optimising, certificate_test.cpp).
double reduced_leader_gradient(const ChainView& v, const Strategy& r, const Decisions& z, DVec& G) {
  const Instance& in = *v.in;
  const int n = v.n, i0 = v.i0;
  const bool sealed = in.readings.choice == ChoiceReading::sealed;
  const bool weighted = in.readings.demand == DemandReading::mass_weighted;
  std::array<CostAt, kMaxSlots> ca;
  const OwnOptions own = own_options(v, r, ca);
  const auto &cm = own.cm, &P = own.P;
  OptionArray<double> flow, margin;
  double profit = 0;
  for (int q = 0; q < n; ++q) {
    const double qw = in.Q * (weighted ? in.mass[i0 + q] : 1.0);
    flow[q] = qw * P[q];
    margin[q] = r.wh[i0 + q] - cm[q];
    profit += margin[q] * flow[q];
  }
  for (int a = 0; a < z.n; ++a) {
    const Decision& d = z.d[a];
    OptionArray<double> dg{};
    double direct = 0;
    if (d.kind == Decision::slot) {
      const Slot& sl = in.slots[d.index];
      for (int q = 0; q < n; ++q)
        if (sl.options >> (i0 + q) & 1u) dg[q] = -in.beta_bar[i0 + q], direct += ca[v.position[d.index]].saving * flow[q];
    } else {
      const int q = d.index - i0;
      dg[q] = -in.alpha;
      direct = flow[q];
    }
    double ga = direct;
    if (sealed) {
      for (int q = 0; q < n; ++q) ga += margin[q] * flow[q] * (1.0 - P[q]) * (1.0 - P[q]) * dg[q];  // flow dP/P
    } else {
      double mixg = 0, mixv = 0;
      for (int q = 0; q < n; ++q) mixg += P[q] * dg[q];
      for (int q = 0; q < n; ++q) mixv += P[q] * (dg[q] - mixg);
      for (int q = 0; q < n; ++q) ga += margin[q] * flow[q] * (dg[q] - mixg - mixv);
    }
    G[a] = ga;
  }
  return profit;
}

}  // namespace

bool structural_leader(const ChainView& v, const Strategy& candidate, const Strategy& response, PlayerCheck& out) {
  double best = 0;
  if (leader_best_response(v, candidate, best) != Structural::done) return false;
  const Decisions z = own_decisions(*v.in, v.c, PlayerKind::manufacturer);
  DVec G(z.n);
  const double base = reduced_leader_gradient(v, response, z, G);
  out.kkt = relative_gradient(G, response, z, base);
  out.gain = (best - base) / std::max(std::abs(base), 1.0);
  return true;
}

}  // namespace eqsweep::ma_sue::verification_detail

namespace eqsweep::ma_sue {

int structural_leader_gradient(const Instance& in, const Strategy& s, int c, double* g) {
  using namespace verification_detail;
  const ChainView v = view_of(in, s, c);
  double value = 0;
  Strategy response = s;
  if (leader_best_response(v, s, value) != Structural::done ||
      retail_best_response(v, s, Payee::retailer, value, &response) != Structural::done)
    return -1;
  const Decisions z = own_decisions(in, c, PlayerKind::manufacturer);
  DVec G(z.n);
  reduced_leader_gradient(v, response, z, G);
  for (int a = 0; a < z.n; ++a) g[a] = G[a];
  return z.n;
}

}  // namespace eqsweep::ma_sue
