#include "engine/morris.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "engine/design.hpp"

namespace eqsweep {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

MorrisIndices morris_indices(std::span<const double> points, std::span<const double> y, std::size_t k, int levels,
                             int bootstrap, double confidence, std::uint64_t seed) {
  const std::size_t steps = k + 1;
  const std::size_t trajectories = y.size() / steps;
  const double delta = morris_delta(levels);
  std::vector<double> effects;  // used trajectories × k, by parameter
  MorrisIndices out;
  std::vector<double> ee(k);
  for (std::size_t t = 0; t < trajectories; ++t) {
    const double* f = y.data() + t * steps;
    bool usable = true;
    for (std::size_t i = 0; i < steps; ++i) usable = usable && std::isfinite(f[i]);
    if (!usable) {
      ++out.dropped;
      continue;
    }
    for (std::size_t i = 0; i < k; ++i) {
      const double* x0 = points.data() + (t * steps + i) * k;
      const double* x1 = x0 + k;
      std::size_t moved = k;
      for (std::size_t j = 0; j < k; ++j)
        if (x1[j] != x0[j]) moved = j;
      if (moved == k) throw std::invalid_argument("a Morris step that moves no parameter");
      ee[moved] = (f[i + 1] - f[i]) / (x1[moved] > x0[moved] ? delta : -delta);
    }
    effects.insert(effects.end(), ee.begin(), ee.end());
  }
  out.used = effects.size() / std::max<std::size_t>(k, 1);
  out.mu.assign(k, kNaN);
  out.mu_star.assign(k, kNaN);
  out.sigma.assign(k, kNaN);
  out.mu_star_conf.assign(k, kNaN);
  if (out.used == 0) return out;
  const double n = static_cast<double>(out.used);
  for (std::size_t j = 0; j < k; ++j) {
    double sum = 0, abs_sum = 0;
    for (std::size_t t = 0; t < out.used; ++t) {
      sum += effects[t * k + j];
      abs_sum += std::abs(effects[t * k + j]);
    }
    out.mu[j] = sum / n;
    out.mu_star[j] = abs_sum / n;
    if (out.used > 1) {
      double sq = 0;
      for (std::size_t t = 0; t < out.used; ++t) sq += (effects[t * k + j] - out.mu[j]) * (effects[t * k + j] - out.mu[j]);
      out.sigma[j] = std::sqrt(sq / (n - 1));
    }
  }
  if (out.used < 2) return out;
  boost::random::mt19937_64 rng(seed);
  boost::random::uniform_int_distribution<std::size_t> pick(0, out.used - 1);
  std::vector<double> sum(k, 0), sq(k, 0), resample(k);
  for (int rep = 0; rep < bootstrap; ++rep) {
    std::fill(resample.begin(), resample.end(), 0.0);
    for (std::size_t t = 0; t < out.used; ++t) {
      const std::size_t r = pick(rng);
      for (std::size_t j = 0; j < k; ++j) resample[j] += std::abs(effects[r * k + j]);
    }
    for (std::size_t j = 0; j < k; ++j) {
      const double m = resample[j] / n;
      sum[j] += m;
      sq[j] += m * m;
    }
  }
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + confidence / 2);
  const double b = bootstrap;
  for (std::size_t j = 0; j < k; ++j) out.mu_star_conf[j] = z * std::sqrt(std::max(0.0, (sq[j] - sum[j] * sum[j] / b) / (b - 1)));
  return out;
}

}  // namespace eqsweep
