#include "models/ma_sue/markups.hpp"

#include <algorithm>

namespace eqsweep::ma_sue {

void best_response_strategy(const Instance& in, const OptionArray<double>& P, Strategy& s, unsigned only) {
  const double a = in.alpha;
  OptionArray<double> x{};
  for (int i = 0; i < in.n_options; ++i)
    x[i] = (in.readings.demand == DemandReading::mass_weighted ? in.mass[i] : 1.0) * std::max(P[i], 1e-300);
  for (int k = 0; k < in.n_slots; ++k) {
    const Slot& sl = in.slots[k];
    if (!(only >> sl.chain & 1u)) continue;
    double num = 0, den = 0;
    for (int i = 0; i < in.n_options; ++i)
      if (sl.options >> i & 1u) num += in.beta_bar[i] * x[i], den += x[i];
    s.t[k] = lead_time_for_marginal(sl.cost, std::max(num / den, 1e-12) / a);
  }
  Outcome o;
  evaluate(in, s, o);
  const bool central = in.readings.equilibrium == Equilibrium::centralized;
  const bool sealed = in.readings.choice == ChoiceReading::sealed;
  const bool weighted = in.readings.demand == DemandReading::mass_weighted;
  for (int c = 0; c < in.n_chains; ++c) {
    if (!(only >> c & 1u)) continue;
    const int i0 = in.first_option[c], i1 = i0 + in.option_count[c];
    double S = 0, B = 0;
    for (int i = i0; i < i1; ++i) S += P[i], B += x[i];
    for (int i = i0; i < i1; ++i) {
      const double share = sealed ? P[i] : S;
      const double r = 1.0 / (a * (1.0 - share));
      // Unequal segment masses break the equal-markup property: m_i = 1/a + B / (a (1-S) mass_i).
      const double m = (weighted && !sealed) ? 1.0 / a + B / (a * (1.0 - S) * in.mass[i]) : r;
      if (central) {
        s.p[i] = o.cost_m[i] + o.cost_n[i] + m;
        s.wh[i] = o.cost_m[i];
      } else {
        const double k = 1.0 / (a * (1.0 - share) * (1.0 - share));
        s.wh[i] = o.cost_m[i] + k;
        s.p[i] = s.wh[i] + o.cost_n[i] + r;
      }
    }
  }
}

}  // namespace eqsweep::ma_sue
