#pragma once
// The first-order conditions in closed form given the choice probabilities: the strategy every
// player's best response prescribes when the shares are P (docs/model-m.md, "Structure").

#include <array>
#include <cmath>

#include "models/ma_sue/game.hpp"

namespace eqsweep::ma_sue {

using OptionMatrix = std::array<OptionArray<double>, kMaxOptions>;

// Lead times of the slots at the last marginal saving asked for. Within one solve the instance
// is fixed, so a slot whose target -c'(t) did not change (e.g. every slot of a one-option chain,
// whose target is always beta_bar/alpha) keeps its lead time and costs without new powers.
// clear() before reusing it on another instance.
struct LeadTimeCache {
  std::array<double, kMaxSlots> marginal{}, t{};
  std::array<CostAt, kMaxSlots> cost{};
  void clear() { marginal.fill(std::nan("")); }
};

// Writes lead times, wholesale and retail prices into s. Chains in `only` (bit mask; all when
// ~0u) are changed, the others left as they are.
void best_response_strategy(const Instance& in, const OptionArray<double>& P, Strategy& s, unsigned only = ~0u);

// The same strategy for all chains, and what the fast solver's Newton step needs from it: the
// utilities V_i = w - alpha p_i - beta_bar_i T_i at that strategy and, when dV is given, their
// derivatives dV_i/dP_j (the same formulas differentiated, in the same place).
void best_response_utilities(const Instance& in, const OptionArray<double>& P, Strategy& s, OptionArray<double>& V,
                             OptionMatrix* dV, LeadTimeCache* cache);

}  // namespace eqsweep::ma_sue
