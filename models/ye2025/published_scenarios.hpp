#pragma once
// Published evaluation of every scenario: Appendix A transcribed as printed.

#include "models/ye2025/evaluation.hpp"

namespace eqsweep::ye2025 {

// Proposition 1 (1): the printed closed forms of c_B^N and c_B^Y.
double printed_prop1_c_B_N(const Point& p);
double printed_prop1_c_B_Y(const Point& p);

// A.6's π_R^{Y-R}: as typeset (one fraction) or with the fraction bar read as '+'.
double published_yr_pi_R_terms(const Point& p, bool as_sum);

}  // namespace eqsweep::ye2025
