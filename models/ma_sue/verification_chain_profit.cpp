// The certificate's analytic derivatives of one chain's profits (verification_chain_profit.hpp).

#include "models/ma_sue/verification_chain_profit.hpp"

#include <algorithm>
#include <cmath>

namespace eqsweep::ma_sue::verification_detail {

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

double relative_gradient(const DVec& g, const Strategy& s, const Decisions& dec, double profit) {
  double r = 0;
  for (int a = 0; a < dec.n; ++a)
    r = std::max(r, std::abs(g[a]) * std::max(std::abs(ref(const_cast<Strategy&>(s), dec.d[a])), 1.0));
  return r / std::max(std::abs(profit), 1.0);
}

}  // namespace eqsweep::ma_sue::verification_detail
