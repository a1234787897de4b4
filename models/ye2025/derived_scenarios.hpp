#pragma once
// The primitives of each scenario as an instance of the linear-quadratic Stackelberg game.

#include "models/ye2025/evaluation.hpp"
#include "models/ye2025/lq_stackelberg.hpp"

namespace eqsweep::ye2025 {

LqGame scenario_game(int scenario, const Point& p);

}  // namespace eqsweep::ye2025
