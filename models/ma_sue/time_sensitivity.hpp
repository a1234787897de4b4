#pragma once
// Customers' time sensitivity beta ~ N(mean, sigma^2) truncated below at `lower` (Assumption 1
// with beta >= 0), and the segment quantities of eq. (5).

#include "models/ma_sue/readings.hpp"

namespace eqsweep::ma_sue {

struct TruncatedNormal {
  double mean = 0.5, sigma = 0.1, lower = 0.0;

  double mass(double lo, double hi) const;                 // P(lo <= beta < hi)
  double partial_expectation(double lo, double hi) const;  // integral of beta f(beta) over [lo, hi)
  double quantile(double q) const;                         // of the truncated law
};

// beta-bar of a segment [lo, hi): eq. (5) as printed (partial expectation) or the conditional mean.
double segment_beta(const TruncatedNormal& d, double lo, double hi, BetaReading reading);

}  // namespace eqsweep::ma_sue
