#pragma once
// The first-order conditions in closed form given the choice probabilities: the strategy every
// player's best response prescribes when the shares are P (docs/model-m.md, "Structure").

#include "models/ma_sue/game.hpp"

namespace eqsweep::ma_sue {

// Writes lead times, wholesale and retail prices into s. Chains in `only` (bit mask; all when
// ~0u) are changed, the others left as they are.
void best_response_strategy(const Instance& in, const OptionArray<double>& P, Strategy& s, unsigned only = ~0u);

}  // namespace eqsweep::ma_sue
