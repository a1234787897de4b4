#include "models/ma_sue/verification.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

#include "models/ma_sue/markups.hpp"

namespace eqsweep::ma_sue {

namespace {

// A player's decision variables as pointers into a strategy.
struct Player {
  int chain = 0;
  enum Kind { chain_owner, manufacturer, retailer } kind = chain_owner;
  int n = 0;
  std::array<int, kMaxOptions + kMaxSlots> index{};  // < kMaxOptions: price of option; else slot
  std::array<bool, kMaxOptions + kMaxSlots> is_slot{};
};

double& var(Strategy& s, const Player& pl, int v) {
  const int idx = pl.index[v];
  if (pl.is_slot[v]) return s.t[idx];
  return pl.kind == Player::manufacturer ? s.wh[idx] : s.p[idx];
}

Player make_player(const Instance& in, int c, Player::Kind kind) {
  Player pl;
  pl.chain = c;
  pl.kind = kind;
  for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) {
    pl.index[pl.n] = i;
    pl.is_slot[pl.n++] = false;
  }
  for (int k = 0; k < in.n_slots; ++k) {
    const Slot& sl = in.slots[k];
    if (sl.chain != c) continue;
    if (kind == Player::manufacturer && sl.retailer) continue;
    if (kind == Player::retailer && !sl.retailer) continue;
    pl.index[pl.n] = k;
    pl.is_slot[pl.n++] = true;
  }
  return pl;
}

double payoff(const Instance& in, Strategy s, const Player& pl) {
  // The leader's anticipation (readings.hpp): its own retailer, or every retailer re-equilibrating.
  if (pl.kind == Player::manufacturer) {
    if (in.readings.anticipation == Anticipation::retail_equilibrium) retail_equilibrium(in, s);
    else retailer_best_response(in, s, pl.chain);
  }
  Outcome o;
  evaluate(in, s, o);
  switch (pl.kind) {
    case Player::chain_owner: return o.profit_chain[pl.chain];
    case Player::manufacturer: return o.profit_m[pl.chain];
    case Player::retailer: return o.profit_n[pl.chain];
  }
  return 0;
}

// dpi/dv by central differences with step 1e-5 max(|v|, 1); fp, fm, h for the audit's curvature.
double central_difference(const Instance& in, Strategy& d, const Player& pl, int v, double* fp_out = nullptr,
                          double* fm_out = nullptr, double* h_out = nullptr) {
  const double x0 = var(d, pl, v);
  const double h = 1e-5 * std::max(std::abs(x0), 1.0);
  var(d, pl, v) = x0 + h;
  const double fp = payoff(in, d, pl);
  var(d, pl, v) = x0 - h;
  const double fm = payoff(in, d, pl);
  var(d, pl, v) = x0;
  if (fp_out) *fp_out = fp, *fm_out = fm, *h_out = h;
  return (fp - fm) / (2 * h);
}

}  // namespace

namespace {

// The audit level: the first session's check (header comment).
Verification verify_audit(const Instance& in, const Strategy& s, const VerifyOptions& opt) {
  Verification out;
  Player players[2 * kMaxChains];
  int np = 0;
  for (int c = 0; c < in.n_chains; ++c) {
    if (in.readings.equilibrium == Equilibrium::centralized) {
      players[np++] = make_player(in, c, Player::chain_owner);
    } else {
      players[np++] = make_player(in, c, Player::retailer);
      players[np++] = make_player(in, c, Player::manufacturer);
    }
  }
  for (int q = 0; q < np; ++q) {
    const Player& pl = players[q];
    const double base = payoff(in, s, pl);
    const double scale = std::max(std::abs(base), 1.0);
    const int who = pl.kind == Player::manufacturer ? pl.chain + in.n_chains : pl.chain;
    Strategy d = s;
    for (int v = 0; v < pl.n; ++v) {
      const double x0 = var(d, pl, v);
      double fp, fm, h;
      const double g = central_difference(in, d, pl, v, &fp, &fm, &h);
      const double kkt = std::abs(g) * std::max(std::abs(x0), 1.0) / scale;
      if (kkt > out.kkt_residual) out.kkt_residual = kkt;
      // Newton step on the curvature along v, then a ladder of coarse deviations.
      const double curv = (fp - 2 * base + fm) / (h * h);
      double trials[8] = {0.5, 0.8, 0.95, 0.99, 1.01, 1.05, 1.25, 2.0};
      for (int k = -1; k < 8; ++k) {
        const double x = k < 0 ? (curv < 0 ? x0 - g / curv : x0) : x0 * trials[k];
        if (!(x > 0) || x == x0) continue;
        var(d, pl, v) = x;
        const double gain = (payoff(in, d, pl) - base) / scale;
        var(d, pl, v) = x0;
        if (gain > out.deviation_gain) out.deviation_gain = gain, out.worst_player = who;
      }
    }
    for (double f : {0.9, 0.98, 1.02, 1.1}) {  // all decisions of the player together
      for (int v = 0; v < pl.n; ++v) var(d, pl, v) *= f;
      const double gain = (payoff(in, d, pl) - base) / scale;
      if (gain > out.deviation_gain) out.deviation_gain = gain, out.worst_player = who;
      d = s;
    }
  }
  out.passed = std::isfinite(out.kkt_residual) && out.kkt_residual <= opt.kkt_tolerance &&
               out.deviation_gain <= opt.deviation_tolerance;
  return out;
}

}  // namespace

namespace {

// ---- The certificate level: analytic derivatives of one chain's profits ----

constexpr int kMaxDecisions = kMaxOptions + kMaxSlots;
using DVec = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxDecisions, 1>;
using DMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxDecisions, kMaxDecisions>;

enum class Payee { chain, manufacturer, retailer };

struct Decision {
  enum Kind : unsigned char { price, wholesale, slot } kind = price;
  int index = 0;  // option (price, wholesale) or slot
};

struct Decisions {
  int n = 0;
  std::array<Decision, kMaxDecisions> d{};
  void add(Decision::Kind k, int i) { d[n++] = {k, i}; }
};

double& ref(Strategy& s, const Decision& d) {
  return d.kind == Decision::slot ? s.t[d.index] : d.kind == Decision::wholesale ? s.wh[d.index] : s.p[d.index];
}

// Order as payoff_gradient documents: the chain's (retail or wholesale) prices, then its slots.
Decisions own_decisions(const Instance& in, int c, PlayerKind kind) {
  Decisions out;
  const auto price = kind == PlayerKind::manufacturer ? Decision::wholesale : Decision::price;
  for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i) out.add(price, i);
  for (int k = 0; k < in.n_slots; ++k) {
    const Slot& sl = in.slots[k];
    if (sl.chain != c) continue;
    if (kind == PlayerKind::manufacturer && sl.retailer) continue;
    if (kind == PlayerKind::retailer && !sl.retailer) continue;
    out.add(Decision::slot, k);
  }
  return out;
}

// One chain seen by its players: every other chain's options are held fixed, so their part of
// the MNL denominator (eq. 4, with not buying) is computed once, as outside * e^shift.
struct ChainView {
  const Instance* in = nullptr;
  int c = 0, i0 = 0, n = 0, ns = 0;
  double outside = 1, shift = 0;
  std::array<int, kMaxSlots> slots{};       // the chain's slots
  std::array<int, kMaxSlots> position{};    // slot -> index in slots
};

ChainView view_of(const Instance& in, const Strategy& s, int c) {
  ChainView v;
  v.in = &in;
  v.c = c;
  v.i0 = in.first_option[c];
  v.n = in.option_count[c];
  for (int k = 0; k < in.n_slots; ++k)
    if (in.slots[k].chain == c) v.position[k] = v.ns, v.slots[v.ns++] = k;
  if (in.readings.choice == ChoiceReading::sealed) return v;
  OptionArray<double> V{};
  double vmax = 0;
  for (int j = 0; j < in.n_options; ++j) {
    if (in.chain[j] == c) continue;
    double T = in.fixed_time[j];
    for (int k = 0; k < in.n_slots; ++k)
      if (in.slots[k].options >> j & 1u) T += s.t[k];
    V[j] = in.w - in.alpha * s.p[j] - in.beta_bar[j] * T;
    vmax = std::max(vmax, V[j]);
  }
  v.shift = vmax;
  v.outside = std::exp(-vmax);
  for (int j = 0; j < in.n_options; ++j)
    if (in.chain[j] != c) v.outside += std::exp(V[j] - vmax);
  return v;
}

bool pays(Payee who, const Slot& sl) {
  return who == Payee::chain || (who == Payee::retailer) == sl.retailer;
}

// The chain's own options under s, the other chains held as in the view: lead times (eq. 1),
// unit costs by payer, utilities V and choice probabilities P (eq. 4, or sealed segments).
// `ca` receives the cost, saving -c'(t) and curvature of each of the chain's slots.
struct OwnOptions {
  OptionArray<double> T{}, cm{}, cn{}, V{}, P{};
};

OwnOptions own_options(const ChainView& v, const Strategy& s, std::array<CostAt, kMaxSlots>& ca) {
  const Instance& in = *v.in;
  const int n = v.n, i0 = v.i0;
  OwnOptions o;
  for (int q = 0; q < n; ++q)
    o.T[q] = in.fixed_time[i0 + q], o.cm[q] = in.iface_cost_m[i0 + q], o.cn[q] = in.iface_cost_n[i0 + q];
  for (int p = 0; p < v.ns; ++p) {
    const Slot& sl = in.slots[v.slots[p]];
    const double t = s.t[v.slots[p]];
    ca[p] = cost_at(sl.cost, t);
    for (int q = 0; q < n; ++q)
      if (sl.options >> (i0 + q) & 1u) o.T[q] += t, (sl.retailer ? o.cn[q] : o.cm[q]) += ca[p].cost;
  }
  for (int q = 0; q < n; ++q) o.V[q] = in.w - in.alpha * s.p[i0 + q] - in.beta_bar[i0 + q] * o.T[q];
  if (in.readings.choice == ChoiceReading::sealed) {
    for (int q = 0; q < n; ++q) o.P[q] = 1.0 / (1.0 + std::exp(-o.V[q]));
  } else {
    double vmax = v.shift;
    for (int q = 0; q < n; ++q) vmax = std::max(vmax, o.V[q]);
    double denom = vmax > v.shift ? v.outside * std::exp(v.shift - vmax) : v.outside;
    for (int q = 0; q < n; ++q) denom += (o.P[q] = std::exp(o.V[q] - vmax));
    for (int q = 0; q < n; ++q) o.P[q] /= denom;
  }
  return o;
}

// The profit of `who` in chain v.c (as evaluate() computes it, with the other chains fixed),
// and, when g (and H) are given, its gradient (and Hessian) in the decisions `dec`.
// With u_i the payee's unit margin, x_i = Q wgt_i P_i, W_i = u_i Q wgt_i and D = dP/dV:
//   g_a  = sum_i du_i/da x_i + sum_j A_j dV_j/da,                A_j = sum_i W_i D_ij
//   H_ab = sum_i (d2u_i/dadb x_i + du_i/da dx_i/db + du_i/db dx_i/da) + dV_a' K dV_b,
//   K_jl = sum_i W_i d2P_i/dV_j dV_l.
// MNL: D_ij = P_i (delta_ij - P_j), so A_j = P_j (W_j - b) with b = sum_i W_i P_i and
// K_jl = delta_jl P_j (W_j - b) - P_j P_l (W_j + W_l - 2b). Sealed: D_ii = P_i (1 - P_i),
// A_i = W_i D_ii, K_ii = W_i D_ii (1 - 2 P_i). V is linear in prices and lead times, so these
// are all the second-order terms; c(t) adds d2u/dt2 = -c''(t).

double chain_profit(const ChainView& v, const Strategy& s, Payee who, const Decisions* dec, DVec* g, DMat* H) {
  const Instance& in = *v.in;
  const int n = v.n, i0 = v.i0;
  std::array<CostAt, kMaxSlots> ca;
  OwnOptions own = own_options(v, s, ca);
  auto &cm = own.cm, &cn = own.cn, &P = own.P;
  OptionArray<double> x{}, u{}, W{};
  const bool sealed = in.readings.choice == ChoiceReading::sealed;
  const bool weighted = in.readings.demand == DemandReading::mass_weighted;
  double profit = who == Payee::manufacturer ? 0.0 : -in.fixed_cost[v.c];
  for (int q = 0; q < n; ++q) {
    const int i = i0 + q;
    const double qw = in.Q * (weighted ? in.mass[i] : 1.0);
    x[q] = qw * P[q];
    u[q] = who == Payee::chain ? s.p[i] - cm[q] - cn[q]
           : who == Payee::manufacturer ? s.wh[i] - cm[q] : s.p[i] - s.wh[i] - cn[q];
    W[q] = u[q] * qw;
    profit += u[q] * x[q];
  }
  if (!g) return profit;
  double b = 0;
  OptionArray<double> A{}, D{};
  for (int q = 0; q < n; ++q) b += W[q] * P[q];
  for (int q = 0; q < n; ++q) {
    D[q] = P[q] * (1.0 - P[q]);
    A[q] = sealed ? W[q] * D[q] : P[q] * (W[q] - b);
  }
  const int nd = dec->n;
  std::array<OptionArray<double>, kMaxDecisions> dV, du, dx;  // rows 0..nd-1 are used (and zeroed)
  for (int a = 0; a < nd; ++a) {
    const Decision& d = dec->d[a];
    dV[a].fill(0.0), du[a].fill(0.0);
    if (d.kind == Decision::slot) {
      const Slot& sl = in.slots[d.index];
      const double saving = pays(who, sl) ? ca[v.position[d.index]].saving : 0.0;  // du/dt = -c'(t)
      for (int q = 0; q < n; ++q)
        if (sl.options >> (i0 + q) & 1u) dV[a][q] = -in.beta_bar[i0 + q], du[a][q] = saving;
    } else {
      const int q = d.index - i0;
      if (d.kind == Decision::price) {
        dV[a][q] = -in.alpha;
        du[a][q] = who == Payee::manufacturer ? 0.0 : 1.0;
      } else {
        du[a][q] = who == Payee::manufacturer ? 1.0 : who == Payee::retailer ? -1.0 : 0.0;
      }
    }
    double ga = 0;
    for (int q = 0; q < n; ++q) ga += du[a][q] * x[q] + A[q] * dV[a][q];
    (*g)[a] = ga;
  }
  if (!H) return profit;
  double K[kMaxOptions][kMaxOptions];
  for (int j = 0; j < n; ++j)
    for (int l = 0; l < n; ++l)
      K[j][l] = sealed ? (j == l ? W[j] * D[j] * (1.0 - 2.0 * P[j]) : 0.0)
                       : (j == l ? P[j] * (W[j] - b) : 0.0) - P[j] * P[l] * (W[j] + W[l] - 2.0 * b);
  for (int a = 0; a < nd; ++a) {
    double mix = 0;  // sum_j P_j dV_j/da (MNL)
    for (int q = 0; q < n; ++q) mix += P[q] * dV[a][q];
    for (int q = 0; q < n; ++q)
      dx[a][q] = x[q] * (sealed ? (1.0 - P[q]) * dV[a][q] : dV[a][q] - mix);
  }
  for (int a = 0; a < nd; ++a)
    for (int bb = a; bb < nd; ++bb) {
      double h = 0;
      for (int q = 0; q < n; ++q) h += du[a][q] * dx[bb][q] + du[bb][q] * dx[a][q];
      for (int j = 0; j < n; ++j) {
        if (dV[a][j] == 0.0) continue;
        for (int l = 0; l < n; ++l) h += dV[a][j] * K[j][l] * dV[bb][l];
      }
      const Decision& d = dec->d[a];
      if (a == bb && d.kind == Decision::slot && pays(who, in.slots[d.index])) {
        const double curv = ca[v.position[d.index]].curvature;  // d2u/dt2 = -c''(t)
        for (int q = 0; q < n; ++q)
          if (in.slots[d.index].options >> (i0 + q) & 1u) h -= curv * x[q];
      }
      (*H)(a, bb) = (*H)(bb, a) = h;
    }
  return profit;
}

Payee payee_of(PlayerKind k) {
  return k == PlayerKind::chain_owner ? Payee::chain : k == PlayerKind::manufacturer ? Payee::manufacturer
                                                                                      : Payee::retailer;
}

// max_a |g_a| max(|v_a|, 1) / max(|profit|, 1): the KKT residual's scaling.
double relative_gradient(const DVec& g, const Strategy& s, const Decisions& dec, double profit) {
  double r = 0;
  for (int a = 0; a < dec.n; ++a)
    r = std::max(r, std::abs(g[a]) * std::max(std::abs(ref(const_cast<Strategy&>(s), dec.d[a])), 1.0));
  return r / std::max(std::abs(profit), 1.0);
}

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

// The leader's (manufacturer's) gradient in its decisions z with the retailer's decisions y at
// their optimum: G = dpi_m/dz - Hn_zy Hn_yy^-1 dpi_m/dy (implicit function theorem on
// dpi_n/dy = 0). False if Hn_yy is not negative definite (no differentiable response).
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

struct PlayerCheck {
  double kkt = 0, gain = 0;
  bool local_max = true;
};

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

// ---- The structural certificate: the player's global best response in closed form ----
//
// docs/model-m.md ("Speed", "The structural certificate") proves: when
// every lead-time slot the player's problem sets (its own; for the leader also its retailer's)
// serves options of one time sensitivity beta_bar > 0 and c(t) = a/t^k + b with a, k > 0, the
// player's profit, written in the market shares of its own options with each slot at its convex
// minimiser -c'(t) = beta_bar/alpha, is strictly concave; its unique stationary point has the
// markups below, and they solve one increasing scalar equation. So the best response and its
// profit are computed exactly, and the deviation gain is that profit minus the candidate's:
// no probing. Where the hypotheses fail the probes are used (check_own, check_leader).

// The slot's lead time at its minimiser if its target -c'(t) = beta_bar/alpha is the same for
// every mix of the options it serves (one beta_bar among them); false otherwise.
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

// Per option of the chain: the utility at zero markup g_i = w - beta_bar_i T_i - alpha C_i, and the
// costs by payer, at lead times t (the chain's slots); C_i is the cost the player's markup is over
// (wh_i + cn_i for the retailer, cm_i + cn_i otherwise).
struct Reduced {
  OptionArray<double> g{}, cm{}, cn{};
};

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

// ln(sum_q e^{g_q}) - ln A for the chain's options (MNL), A = the other chains' and not buying's
// part of the denominator (ChainView: outside e^shift).
double log_ratio(const ChainView& v, const OptionArray<double>& g) {
  double gmax = -INFINITY;
  for (int q = 0; q < v.n; ++q) gmax = std::max(gmax, g[q]);
  double sum = 0;
  for (int q = 0; q < v.n; ++q) sum += std::exp(g[q] - gmax);
  return gmax + std::log(sum) - v.shift - std::log(v.outside);
}

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

// Chain owner or retailer: the KKT residual from the analytic gradient, and the exact gain.
// Chain owner or retailer: the KKT residual from the analytic gradient, and the exact gain.
// `respond` (optional) receives the player's best response.
bool structural_own(const ChainView& v, const Strategy& s, PlayerKind kind, PlayerCheck& out,
                    Strategy* respond = nullptr) {
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

// The leader: its profit with the retailer's exact response `response` to the candidate's
// wholesale prices and lead times (as the audit judges it), the KKT residual of that reduced
// profit, and the exact gain.
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

// The leader under anticipation = "retail_equilibrium" (printed MNL; sealed options need no
// re-equilibration and take the paths above). Its profit is judged with every retailer
// re-equilibrating (retail_equilibrium()), also in the KKT residual (central differences of that
// profit). The gain: where every slot of the chain has a fixed target (fixed_target), the leader's
// problem reduces exactly to one scalar (docs/model-m.md, "Leader's anticipation"). Its lead
// times sit at t*, and the retailers' markups are one per chain, so only L = ln sum_i e^{g_i} of
// its chain reaches the other players. For a given L the best split of the wholesale prices is one
// margin k, and the profit is (Q/alpha) S_c(L) (L0 - L), with alpha k = L0 - L, L0 = ln sum_i
// e^{G0_i} at t*, S_c(L) the chain's share in the retail Nash over chain totals. That scalar is
// maximised by a geometric scan of alpha k over [1e-4, 100] (400 points; beyond, S_c < e^-99)
// and golden-section refinement around the best point. Elsewhere the audit's ladder.
PlayerCheck check_leader_equilibrium(const Instance& in, const Strategy& candidate, int c, const VerifyOptions&) {
  PlayerCheck out;
  Strategy s = candidate;
  retail_equilibrium(in, s);
  const Player pl = make_player(in, c, Player::manufacturer);
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
      double top = -INFINITY;
      OptionArray<double> g{};
      for (int i = in.first_option[u]; i < in.first_option[u] + in.option_count[u]; ++i) {
        g[i] = in.w - in.beta_bar[i] * o.lead_time[i] - in.alpha * (s.wh[i] + o.cost_n[i]);
        top = std::max(top, g[i]);
      }
      double sum = 0;
      for (int i = in.first_option[u]; i < in.first_option[u] + in.option_count[u]; ++i) sum += std::exp(g[i] - top);
      L[u] = top + std::log(sum);
      double S = 0;
      for (int i = in.first_option[u]; i < in.first_option[u] + in.option_count[u]; ++i) S += o.P[i];
      y[u] = std::log(S / (1 - S));
    }
    const Reduced r = reduce(v, s, t, false);
    double top = -INFINITY, sum = 0;
    for (int q = 0; q < v.n; ++q) top = std::max(top, r.g[q]);
    for (int q = 0; q < v.n; ++q) sum += std::exp(r.g[q] - top);
    const double L0 = top + std::log(sum);
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

Verification verify_certificate(const Instance& in, const Strategy& s, const VerifyOptions& opt) {
  Verification out;
  auto take = [&](const PlayerCheck& r, int who) {
    out.kkt_residual = std::max(out.kkt_residual, std::isnan(r.kkt) ? INFINITY : r.kkt);
    out.local_maximum = out.local_maximum && r.local_max;
    if (r.gain > out.deviation_gain) out.deviation_gain = r.gain, out.worst_player = who;
  };
  // The structural certificate where its hypotheses hold at this point, the probes otherwise.
  // One view of the chain serves both of its players; the retailer's best response to the
  // candidate's wholesale prices and lead times is also the response the leader is judged with.
  for (int c = 0; c < in.n_chains; ++c) {
    const ChainView v = view_of(in, s, c);
    if (in.readings.equilibrium == Equilibrium::centralized) {
      PlayerCheck r;
      const bool structural = opt.structural && structural_own(v, s, PlayerKind::chain_owner, r);
      ++(structural ? out.structural_players : out.probed_players);
      take(structural ? r : check_own(in, s, c, PlayerKind::chain_owner, opt), c);
      continue;
    }
    PlayerCheck r, m;
    Strategy response = s;
    const bool retailer = opt.structural && structural_own(v, s, PlayerKind::retailer, r, &response);
    ++(retailer ? out.structural_players : out.probed_players);
    take(retailer ? r : check_own(in, s, c, PlayerKind::retailer, opt), c);
    if (in.readings.anticipation == Anticipation::retail_equilibrium && in.readings.choice == ChoiceReading::mnl) {
      ++out.probed_players;
      take(check_leader_equilibrium(in, s, c, opt), c + in.n_chains);
      continue;
    }
    const bool leader = retailer && structural_leader(v, s, response, m);
    ++(leader ? out.structural_players : out.probed_players);
    take(leader ? m : check_leader(in, s, c, opt), c + in.n_chains);
  }
  out.passed = std::isfinite(out.kkt_residual) && out.kkt_residual <= opt.kkt_tolerance && out.local_maximum &&
               out.deviation_gain <= opt.deviation_tolerance;
  return out;
}

}  // namespace

void retailer_best_response(const Instance& in, Strategy& s, int c) {
  // The retailer's conditions are the markup and lead-time formulas of markups.hpp with the
  // wholesale prices held: iterate them on the chain's shares to a fixed point.
  const int i0 = in.first_option[c], i1 = i0 + in.option_count[c];
  Outcome o;
  for (int pass = 0; pass < 200; ++pass) {
    evaluate(in, s, o);
    Strategy t = s;
    best_response_strategy(in, o.P, t, 1u << c);
    double change = 0;
    for (int k = 0; k < in.n_slots; ++k)
      if (in.slots[k].chain == c && in.slots[k].retailer) {
        change = std::max(change, std::abs(s.t[k] - t.t[k]));
        s.t[k] = t.t[k];
      }
    evaluate(in, s, o);
    if (in.readings.demand == DemandReading::mass_weighted && in.readings.choice == ChoiceReading::mnl) {
      // Mass-weighted MNL: the markups m_i = 1/alpha + Pi/mass_i are not one markup; take the
      // exact price response to these lead times (the root Pi of weighted_markup_level), and let
      // the outer loop settle the lead times.
      const ChainView v = view_of(in, s, c);
      const Reduced r = reduce(v, s, s.t, true);
      const double Pi = weighted_markup_level(v, r, NAN);
      for (int q = 0; q < v.n; ++q) {
        const int i = i0 + q;
        const double p = s.wh[i] + r.cn[q] + 1.0 / in.alpha + Pi / in.mass[i];
        change = std::max(change, std::abs(p - s.p[i]));
        s.p[i] = p;
      }
      if (change < 1e-14) break;
      continue;
    }
    // Newton on the retailer markup r: a r (1 - S(r)) = 1, S the chain total (sealed: the option's P).
    const bool sealed = in.readings.choice == ChoiceReading::sealed;
    double S = 0;
    for (int i = i0; i < i1; ++i) S += o.P[i];
    for (int i = i0; i < i1; ++i) {
      const double share = sealed ? o.P[i] : S;
      const double r_cur = s.p[i] - s.wh[i] - o.cost_n[i];
      // g(r) = a r (1 - share(r)) - 1, d share/dr = -a share (1 - share) (within-chain total).
      const double g = in.alpha * r_cur * (1 - share) - 1;
      const double dg = in.alpha * (1 - share) + in.alpha * r_cur * in.alpha * share * (1 - share);
      const double r = r_cur - g / dg;
      change = std::max(change, std::abs(r - r_cur));
      s.p[i] = s.wh[i] + o.cost_n[i] + r;
    }
    if (change < 1e-14) break;
  }
}

// The retail-stage equilibrium given every wholesale price and manufacturer lead time: each
// retailer's best response in turn (Gauss-Seidel) until no price or lead time moves by 1e-13.
void retail_equilibrium(const Instance& in, Strategy& s) {
  for (int pass = 0; pass < 500; ++pass) {
    const Strategy before = s;
    for (int c = 0; c < in.n_chains; ++c) retailer_best_response(in, s, c);
    double change = 0;
    for (int i = 0; i < in.n_options; ++i) change = std::max(change, std::abs(s.p[i] - before.p[i]));
    for (int k = 0; k < in.n_slots; ++k) change = std::max(change, std::abs(s.t[k] - before.t[k]));
    if (change < 1e-13) return;
  }
}

Verification verify(const Instance& in, const Strategy& s, const VerifyOptions& o) {
  return o.level == VerifyLevel::audit ? verify_audit(in, s, o) : verify_certificate(in, s, o);
}

int structural_leader_gradient(const Instance& in, const Strategy& s, int c, double* g) {
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

int payoff_gradient(const Instance& in, const Strategy& s, int c, PlayerKind kind, bool analytic, double* g) {
  const Decisions dec = own_decisions(in, c, kind);
  if (analytic) {
    const ChainView v = view_of(in, s, c);
    DVec G(dec.n);
    if (kind == PlayerKind::manufacturer) {
      double pm = 0;
      if (!leader_gradient(v, s, own_decisions(in, c, PlayerKind::retailer), dec, G, pm)) G.setConstant(NAN);
    } else {
      chain_profit(v, s, payee_of(kind), &dec, &G, nullptr);
    }
    for (int a = 0; a < dec.n; ++a) g[a] = G[a];
    return dec.n;
  }
  const Player pl = make_player(in, c, kind == PlayerKind::chain_owner    ? Player::chain_owner
                                       : kind == PlayerKind::manufacturer ? Player::manufacturer
                                                                          : Player::retailer);
  Strategy d = s;
  for (int a = 0; a < pl.n; ++a) g[a] = central_difference(in, d, pl, a);
  return pl.n;
}


}  // namespace eqsweep::ma_sue
