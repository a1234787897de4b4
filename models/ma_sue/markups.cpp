#include "models/ma_sue/markups.hpp"

#include <algorithm>

#include "models/ma_sue/collusive_leaders.hpp"

namespace eqsweep::ma_sue {

namespace {

// The one implementation of the closed-form best response; the public functions choose what it
// also returns. dV, when given, receives dV_i/dP_j (only == ~0u).
void respond(const Instance& in, const OptionArray<double>& P, Strategy& s, unsigned only, OptionArray<double>* V,
             OptionMatrix* dV, LeadTimeCache* cache) {
  const double a = in.alpha;
  const int n = in.n_options;
  const bool weighted = in.readings.demand == DemandReading::mass_weighted;
  OptionArray<double> wgt, x;
  for (int i = 0; i < n; ++i) {
    wgt[i] = weighted ? in.mass[i] : 1.0;
    x[i] = wgt[i] * std::max(P[i], 1e-300);
  }
  // Per option: lead time T, costs by payer, and (with dV) dT_i/dP_j and dC_i/dP_j (C = cost_m + cost_n).
  OptionArray<double> T, cm, cn;
  // Only the leading n x n blocks are used, and only with dV: zeroing all of both 8 x 8 matrices
  // on every call cost more than the arithmetic of a two-option network.
  OptionMatrix dT, dC;
  for (int i = 0; i < n; ++i) {
    T[i] = in.fixed_time[i], cm[i] = in.iface_cost_m[i], cn[i] = in.iface_cost_n[i];
    if (dV)
      for (int j = 0; j < n; ++j) dT[i][j] = dC[i][j] = 0.0;
  }
  for (int k = 0; k < in.n_slots; ++k) {
    const Slot& sl = in.slots[k];
    if (!(only >> sl.chain & 1u)) continue;
    // -c'(t) = sum beta_bar_i x_i / (alpha sum x_i) over the options the slot serves.
    double num = 0, den = 0;
    for (int i = 0; i < n; ++i)
      if (sl.options >> i & 1u) num += in.beta_bar[i] * x[i], den += x[i];
    const double mean = num / den;
    const bool clipped = !(mean > 1e-12);
    const double marginal = std::max(mean, 1e-12) / a;
    double t;
    CostAt c;
    if (cache && cache->marginal[k] == marginal) {
      t = cache->t[k], c = cache->cost[k];
    } else {
      t = lead_time_for_marginal(sl.cost, marginal);
      c = cost_at(sl.cost, t);
      if (cache) cache->marginal[k] = marginal, cache->t[k] = t, cache->cost[k] = c;
    }
    s.t[k] = t;
    for (int i = 0; i < n; ++i) {
      if (!(sl.options >> i & 1u)) continue;
      T[i] += t;
      (sl.retailer ? cn[i] : cm[i]) += c.cost;
    }
    if (dV && !clipped) {
      // t = (k a_c / marginal)^(1/(k+1)): dt/dmarginal = -t / ((k+1) marginal);
      // dmarginal/dP_j = wgt_j (beta_bar_j - mean) / (alpha den) for the options it serves.
      const double dt_dm = -t / ((sl.cost.k + 1.0) * marginal);
      for (int j = 0; j < n; ++j) {
        if (!(sl.options >> j & 1u)) continue;
        const double dt = dt_dm * wgt[j] * (in.beta_bar[j] - mean) / (a * den);
        for (int i = 0; i < n; ++i)
          if (sl.options >> i & 1u) dT[i][j] += dt, dC[i][j] -= c.saving * dt;
      }
    }
  }
  const bool central = in.readings.equilibrium == Equilibrium::centralized;
  const bool sealed = in.readings.choice == ChoiceReading::sealed;
  // Leader anticipating the retail-stage equilibrium (printed MNL; sealed options are separate
  // markets, so nothing re-equilibrates there): its margin is S_s / (alpha dS_s/dL_s), L_s the log
  // of the chain's summed e^{g_i}, with every retailer's markup 1/(alpha (1-S_u)) responding:
  //   dS_s/dL_s = f_s (1 - f_s / E),  f_u = S_u (1-S_u)^2 / (1 - S_u + S_u^2),
  //   E = 1 - sum_u S_u + sum_u f_u (docs/model-m.md, "Leader's anticipation").
  // With the other chains' markups held E reduces to 1 - S_s + f_s and the margin to the
  // own-retailer 1/(alpha (1-S_s)^2). dlnk[c][u] = d ln k_c / d S_u for the Jacobian.
  // Collusive leaders (collusive_leaders.hpp): one joint margin formula per chain, in all shares.
  const bool joint = joint_leaders(in);
  std::array<double, kMaxChains> k_joint{};
  std::array<OptionArray<double>, kMaxChains> dk_joint{};
  if (joint) joint_leader_margins(in, P, k_joint, dV ? &dk_joint : nullptr);
  const bool nash = !central && !sealed && !weighted && !joint &&
                    in.readings.anticipation == Anticipation::retail_equilibrium;
  std::array<double, kMaxChains> k_eq{};
  std::array<std::array<double, kMaxChains>, kMaxChains> dlnk{};
  if (nash) {
    std::array<double, kMaxChains> St{}, f{}, df{};
    double E = 1.0;
    for (int u = 0; u < in.n_chains; ++u) {
      for (int i = in.first_option[u]; i < in.first_option[u] + in.option_count[u]; ++i) St[u] += P[i];
      const double S = St[u], num = S * (1 - S) * (1 - S), den = 1 - S + S * S;
      f[u] = num / den;
      df[u] = ((1 - S) * (1 - 3 * S) * den - num * (2 * S - 1)) / (den * den);
      E += f[u] - S;
    }
    for (int c = 0; c < in.n_chains; ++c) {
      const double q = f[c] / E;
      k_eq[c] = St[c] / (a * f[c] * (1 - q));
      for (int u = 0; u < in.n_chains; ++u)
        dlnk[c][u] = (u == c ? 1 / St[c] - df[c] / f[c] + df[c] / (E * (1 - q)) : 0.0) -
                     f[c] * (df[u] - 1) / (E * E * (1 - q));
    }
  }
  for (int c = 0; c < in.n_chains; ++c) {
    if (!(only >> c & 1u)) continue;
    const int i0 = in.first_option[c], i1 = i0 + in.option_count[c];
    double S = 0, B = 0;
    for (int i = i0; i < i1; ++i) S += P[i], B += x[i];
    for (int i = i0; i < i1; ++i) {
      const double share = sealed ? P[i] : S;
      const double r = 1.0 / (a * (1.0 - share));
      const double dr = r * r * a;  // dr/dshare = 1/(a (1-share)^2)
      // dmk[j]: d(total markup p_i - C_i)/dP_j over the chain's options.
      OptionArray<double> dmk;  // written and read for j in [i0, i1) only (all j when nash)
      if (central) {
        // Unequal segment masses break the equal-markup property: m_i = 1/a + B / (a (1-S) mass_i).
        if (weighted && !sealed) {
          const double m = 1.0 / a + B / (a * (1.0 - S) * in.mass[i]);
          s.p[i] = cm[i] + cn[i] + m;
          for (int j = i0; j < i1; ++j)
            dmk[j] = in.mass[j] / (a * (1.0 - S) * in.mass[i]) + B / (a * (1.0 - S) * (1.0 - S) * in.mass[i]);
        } else {
          s.p[i] = cm[i] + cn[i] + r;
          for (int j = i0; j < i1; ++j) dmk[j] = (sealed && j != i) ? 0.0 : dr;
        }
        s.wh[i] = cm[i];
      } else if (weighted && !sealed) {
        // Mass-weighted MNL, x_i = Q mu_i P_i (docs/model-m.md, "Decentralized mass-weighted MNL"):
        // retailer m_i = 1/a + B/(a (1-S) mu_i) (the centralized rule over wh_i + cn_i), leader
        // k_i = 1/(a (1-S)) + B/(a mu_i (1-S)^2), B = sum_j mu_j P_j; both reduce to the printed
        // rules when every mu is 1.
        const double mu = in.mass[i], u = 1.0 / (1.0 - S);
        const double rw = 1.0 / a + B * u / (a * mu);
        const double k = u / a + B * u * u / (a * mu);
        s.wh[i] = cm[i] + k;
        s.p[i] = s.wh[i] + cn[i] + rw;
        for (int j = i0; j < i1; ++j)
          dmk[j] = in.mass[j] * u / (a * mu) + B * u * u / (a * mu)                             // d rw
                   + u * u / a + in.mass[j] * u * u / (a * mu) + 2.0 * B * u * u * u / (a * mu);  // d k
      } else if (joint) {
        s.wh[i] = cm[i] + k_joint[c];
        s.p[i] = s.wh[i] + cn[i] + r;
        if (dV)
          for (int j = 0; j < n; ++j) dmk[j] = dk_joint[c][j] + (in.chain[j] == c ? dr : 0.0);
      } else if (nash) {
        const double k = k_eq[c];
        s.wh[i] = cm[i] + k;
        s.p[i] = s.wh[i] + cn[i] + r;
        for (int u = 0; u < in.n_chains; ++u)
          for (int j = in.first_option[u]; j < in.first_option[u] + in.option_count[u]; ++j)
            dmk[j] = k * dlnk[c][u] + (u == c ? dr : 0.0);
      } else {
        // Retailer markup r = 1/(a (1-share)), leader margin k = 1/(a (1-share)^2).
        const double k = dr;
        const double dk = 2.0 * k / (1.0 - share);
        s.wh[i] = cm[i] + k;
        s.p[i] = s.wh[i] + cn[i] + r;
        for (int j = i0; j < i1; ++j) dmk[j] = (sealed && j != i) ? 0.0 : dr + dk;
      }
      if (V) (*V)[i] = in.w - a * s.p[i] - in.beta_bar[i] * T[i];
      if (dV)
        for (int j = 0; j < n; ++j)
          (*dV)[i][j] = -a * (dC[i][j] + ((j >= i0 && j < i1) || nash || joint ? dmk[j] : 0.0)) - in.beta_bar[i] * dT[i][j];
    }
  }
}

}  // namespace

void best_response_strategy(const Instance& in, const OptionArray<double>& P, Strategy& s, unsigned only) {
  respond(in, P, s, only, nullptr, nullptr, nullptr);
}

void best_response_utilities(const Instance& in, const OptionArray<double>& P, Strategy& s, OptionArray<double>& V,
                             OptionMatrix* dV, LeadTimeCache* cache) {
  if (dV)  // respond() writes every entry of the leading n x n block for all chains (only == ~0u)
    for (int i = 0; i < in.n_options; ++i) std::fill_n((*dV)[i].begin(), in.n_options, 0.0);
  respond(in, P, s, ~0u, &V, dV, cache);
}

}  // namespace eqsweep::ma_sue
