#pragma once
// The structural certificate's closed forms (verification_structural.cpp): a slot's lead time at
// its convex minimiser, a chain's utilities at zero markup, and the markup equations' roots.
// The retailer's best response and the retail-equilibrium leader's check reuse them. Internal to
// the verification.

#include <algorithm>
#include <array>
#include <cmath>

#include "models/ma_sue/verification_chain_profit.hpp"

namespace eqsweep::ma_sue::verification_detail {

// The slot's lead time at its minimiser if its target -c'(t) = beta_bar/alpha is the same for
// every mix of the options it serves (one beta_bar among them); false otherwise.
bool fixed_target(const Instance& in, int k, double& t);

// Per option of the chain: the utility at zero markup g_i = w - beta_bar_i T_i - alpha C_i, and the
// costs by payer, at lead times t (the chain's slots); C_i is the cost the player's markup is over
// (wh_i + cn_i for the retailer, cm_i + cn_i otherwise).
struct Reduced {
  OptionArray<double> g{}, cm{}, cn{};
};

Reduced reduce(const ChainView& v, const Strategy& s, const std::array<double, kMaxSlots>& t, bool over_wholesale);

// ln(sum_{q < n} e^{g_q}), shifted by the largest g_q.
inline double log_sum_exp(const double* g, int n) {
  double top = -INFINITY;
  for (int q = 0; q < n; ++q) top = std::max(top, g[q]);
  double sum = 0;
  for (int q = 0; q < n; ++q) sum += std::exp(g[q] - top);
  return top + std::log(sum);
}

// The logit y of the share a retail markup (leader: a leader's margin) is set on, given L
// (formulas at the definition); y0 a Newton start (NaN: none).
double markup_logit(double L, bool leader, double y0);

// The retail best response to the costs in r (chain owner or retailer), mass-weighted MNL: the
// level Pi of the markups m_i = 1/alpha + Pi/mass_i (profit Q Pi - F); x0 a Newton start (NaN: none).
double weighted_markup_level(const ChainView& v, const Reduced& r, double x0);

}  // namespace eqsweep::ma_sue::verification_detail
