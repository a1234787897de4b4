// The retailer-markup terms of (G1) (decentralized_projection.hpp).

#include "models/ma_sue/decentralized_projection.hpp"

namespace eqsweep::ma_sue {

void retailer_terms(const Instance& in, const OptionArray<double>& P, const double* x, bool all_chains,
                    RetailerTerms& out) {
  const int n = in.n_options;
  const double a = in.alpha;
  const bool sealed = in.readings.choice == ChoiceReading::sealed;
  const bool weighted = !sealed && in.readings.demand == DemandReading::mass_weighted;
  std::array<double, kMaxChains> S{}, B{};
  for (int i = 0; i < n; ++i) S[in.chain[i]] += P[i], B[in.chain[i]] += in.mass[i] * P[i];
  // dr[j][l] = dr_j/dP_l (l in j's chain; sealed: l = j only).
  OptionArray<OptionArray<double>> dr{};
  for (int j = 0; j < n; ++j) {
    const int u = in.chain[j];
    const double v = 1.0 / (1.0 - (sealed ? P[j] : S[u]));
    const double mu = in.mass[j];
    out.r[j] = weighted ? 1.0 / a + B[u] * v / (a * mu) : v / a;
    for (int l = 0; l < n; ++l) {
      if (in.chain[l] != u || (sealed && l != j)) continue;
      dr[j][l] = weighted ? in.mass[l] * v / (a * mu) + B[u] * v * v / (a * mu) : v * v / a;
    }
  }
  // dP_l/dV_i: MNL P_l (delta_li - P_i); sealed delta_li P_i (1 - P_i).
  for (int i = 0; i < n; ++i) {
    double R = 0;
    for (int j = 0; j < n; ++j) {
      if (!all_chains && in.chain[j] != in.chain[i]) continue;
      double d = 0;
      for (int l = 0; l < n; ++l) {
        if (dr[j][l] == 0.0) continue;
        d += dr[j][l] * (sealed ? (l == i ? P[i] * (1 - P[i]) : 0.0) : P[l] * ((l == i ? 1.0 : 0.0) - P[i]));
      }
      R += x[j] * d;
    }
    out.R[i] = R;
  }
}

}  // namespace eqsweep::ma_sue
