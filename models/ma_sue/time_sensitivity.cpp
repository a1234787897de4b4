#include "models/ma_sue/time_sensitivity.hpp"

#include <cmath>

#include <boost/math/distributions/normal.hpp>

namespace eqsweep::ma_sue {

namespace {
const boost::math::normal kStd(0.0, 1.0);
double Phi(double z) { return std::isinf(z) ? (z > 0 ? 1.0 : 0.0) : boost::math::cdf(kStd, z); }
double phi(double z) { return std::isinf(z) ? 0.0 : boost::math::pdf(kStd, z); }
}  // namespace

double TruncatedNormal::mass(double lo, double hi) const {
  const double z0 = (lower - mean) / sigma;
  const double Z = 1.0 - Phi(z0);
  return (Phi((hi - mean) / sigma) - Phi((lo - mean) / sigma)) / Z;
}

double TruncatedNormal::partial_expectation(double lo, double hi) const {
  const double z0 = (lower - mean) / sigma;
  const double Z = 1.0 - Phi(z0);
  const double a = (lo - mean) / sigma, b = (hi - mean) / sigma;
  return (mean * (Phi(b) - Phi(a)) + sigma * (phi(a) - phi(b))) / Z;
}

double TruncatedNormal::quantile(double q) const {
  const double p0 = Phi((lower - mean) / sigma);
  return mean + sigma * boost::math::quantile(kStd, p0 + q * (1.0 - p0));
}

double segment_beta(const TruncatedNormal& d, double lo, double hi, BetaReading reading) {
  const double partial = d.partial_expectation(lo, hi);
  return reading == BetaReading::partial ? partial : partial / d.mass(lo, hi);
}

}  // namespace eqsweep::ma_sue
