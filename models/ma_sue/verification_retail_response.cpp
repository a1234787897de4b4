// The retail stage that a manufacturer's profit is judged with (verification.hpp): one
// retailer's best response with everything else fixed, and the retail-stage equilibrium of every
// retailer's best response in turn.

#include <algorithm>
#include <cmath>

#include "models/ma_sue/latent_class.hpp"
#include "models/ma_sue/markups.hpp"
#include "models/ma_sue/verification.hpp"
#include "models/ma_sue/verification_structural.hpp"

namespace eqsweep::ma_sue {

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
    if (in.readings.demand == DemandReading::latent_class) {
      // Each option's exact markup on its own demand curve (latent_class.hpp): no class sees two
      // of the chain's options, so the prices separate once the lead times are held.
      OptionArray<double> V{};
      for (int i = 0; i < in.n_options; ++i) V[i] = in.w - in.alpha * s.p[i] - in.beta_bar[i] * o.lead_time[i];
      for (int i = i0; i < i1; ++i) {
        const double g = V[i] + in.alpha * (s.p[i] - s.wh[i] - o.cost_n[i]);
        const double p = s.wh[i] + o.cost_n[i] + latent_retail_markup(in, V, i, g);
        change = std::max(change, std::abs(p - s.p[i]));
        s.p[i] = p;
      }
      if (change < 1e-14) break;
      continue;
    }
    if (in.readings.demand == DemandReading::mass_weighted && in.readings.choice == ChoiceReading::mnl) {
      // Mass-weighted MNL: the markups m_i = 1/alpha + Pi/mass_i are not one markup; take the
      // exact price response to these lead times (the root Pi of weighted_markup_level), and let
      // the outer loop settle the lead times.
      using namespace verification_detail;
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

}  // namespace eqsweep::ma_sue
