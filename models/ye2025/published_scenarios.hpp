#pragma once
// Published evaluation of every scenario: Appendix A transcribed as printed.

#include "models/ye2025/evaluation.hpp"

namespace eqsweep::ye2025 {

// Proposition 1 (1): the printed closed forms of c_B^N and c_B^Y.
double printed_prop1_c_B_N(const Point& p);
double printed_prop1_c_B_Y(const Point& p);

// A printed closed form as typeset, or with the smallest change that makes it equal the derived
// value (docs/model-y-comparison.md, verdicts). The published evaluation uses only `as_printed`;
// the fixes are there to be checked against the derived model.
enum class Print { as_printed, fixed };

// A.4's π_R^{Y-S}; fixed: (1-θ) -> (1+θ) in the variance term tσ²(1-θ)(1+σ²θ)/(16(1+θ)(1+tσ²)).
// The fixed form is π_R of the reading Y-S-A (the coupon lowers U_A), not of Y-S.
double published_ys_pi_R(const Point& p, Print print);
// A.7's π_R^{N'}; fixed: the t² term's bracket 11+2k(1+2(2-θ)θk) -> 11+(2-k)k-4θ(2+θ), the
// bracket of the same form's t³ term (and of π_R^{Y'}'s t² term).
double published_nprime_pi_R(const Point& p, Print print);
// A.8's π_M^{Y'}; fixed: the sign in -t(1-θ)(1-k+σ²(1+σ²)): 1-k-σ²(1+σ²).
double published_yprime_pi_M(const Point& p, Print print);

// A.6's π_R^{Y-R}: as typeset (one fraction), with the fraction bar read as '+', or fixed: the bar
// read as '+', the sign of θ(2+3y-(1+y)(2+y)θ) in the second fraction's numerator flipped to '+',
// and the variance term the print lacks (its π_R ends in a dangling '+') added.
enum class YrPiR { as_typeset, bar_as_plus, fixed };
double published_yr_pi_R_terms(const Point& p, YrPiR reading);

}  // namespace eqsweep::ye2025
