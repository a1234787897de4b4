#pragma once
// "Did you mean" for a mistyped name: a model has hundreds of outputs, and a message that lists
// them all buries the one the user meant. Names are ranked by edit distance, where a difference in
// case alone counts half (pi_m -> pi_M is nearer than pi_m -> pi_R).

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eqsweep {

// Edit distance in half-steps: insertion, deletion, substitution and swapping two neighbours cost
// 2, a substitution that only changes case costs 1.
int name_distance(std::string_view a, std::string_view b);

// The names close enough to `wanted` to be what was meant, nearest first (ties in catalogue
// order), at most `limit`. Empty when nothing is close.
std::vector<std::string> nearest_names(std::string_view wanted, std::span<const std::string> names,
                                       std::size_t limit = 3);

// The tail of an "unknown NAME" message: "; did you mean A, B?" when some names are close, then
// the whole list when it is short, or else where the full list can be read (`listed_by`).
std::string suggestion_text(std::string_view wanted, std::span<const std::string> names, std::string_view listed_by);

}  // namespace eqsweep
