#include "engine/sobol_indices.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace eqsweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The estimators over the groups `rows` (indices into the usable groups), into s1 and st.
void estimate(const std::vector<double>& a, const std::vector<double>& b, const std::vector<double>& ab, std::size_t k,
              const std::vector<std::size_t>& rows, double* s1, double* st) {
  const double n = static_cast<double>(rows.size());
  double mean = 0;
  for (std::size_t r : rows) mean += a[r] + b[r];
  mean /= 2 * n;
  double var = 0;
  for (std::size_t r : rows) var += (a[r] - mean) * (a[r] - mean) + (b[r] - mean) * (b[r] - mean);
  var /= 2 * n;
  for (std::size_t j = 0; j < k; ++j) {
    double first = 0, total = 0;
    for (std::size_t r : rows) {
      // Centred, so that a large mean of y costs no precision in B (AB - A).
      const double fa = a[r] - mean, fb = b[r] - mean, fab = ab[r * k + j] - mean;
      first += fb * (fab - fa);
      total += (fa - fab) * (fa - fab);
    }
    s1[j] = var > 0 ? first / n / var : kNaN;
    st[j] = var > 0 ? 0.5 * total / n / var : kNaN;
  }
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> y, std::size_t k, int bootstrap, double confidence,
                           std::uint64_t seed) {
  const std::size_t group = k + 2;
  const std::size_t groups = y.size() / group;
  std::vector<double> a, b, ab;
  SobolIndices out;
  for (std::size_t g = 0; g < groups; ++g) {
    const double* row = y.data() + g * group;
    bool usable = true;
    for (std::size_t i = 0; i < group; ++i) usable = usable && std::isfinite(row[i]);
    if (!usable) {
      ++out.dropped;
      continue;
    }
    a.push_back(row[0]);
    b.push_back(row[k + 1]);
    for (std::size_t j = 0; j < k; ++j) ab.push_back(row[1 + j]);
  }
  out.used = a.size();
  out.first.assign(k, kNaN);
  out.first_conf.assign(k, kNaN);
  out.total.assign(k, kNaN);
  out.total_conf.assign(k, kNaN);
  if (out.used < 2) return out;

  std::vector<std::size_t> rows(out.used);
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  estimate(a, b, ab, k, rows, out.first.data(), out.total.data());

  boost::random::mt19937_64 rng(seed);
  boost::random::uniform_int_distribution<std::size_t> pick(0, out.used - 1);
  std::vector<double> s1(k), st(k), sum1(k, 0), sq1(k, 0), sumt(k, 0), sqt(k, 0);
  for (int rep = 0; rep < bootstrap; ++rep) {
    for (auto& r : rows) r = pick(rng);
    estimate(a, b, ab, k, rows, s1.data(), st.data());
    for (std::size_t j = 0; j < k; ++j) {
      sum1[j] += s1[j];
      sq1[j] += s1[j] * s1[j];
      sumt[j] += st[j];
      sqt[j] += st[j] * st[j];
    }
  }
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + confidence / 2);
  const double m = bootstrap;
  auto sd = [&](double sum, double sq) { return std::sqrt(std::max(0.0, (sq - sum * sum / m) / (m - 1))); };
  for (std::size_t j = 0; j < k; ++j) {
    out.first_conf[j] = z * sd(sum1[j], sq1[j]);
    out.total_conf[j] = z * sd(sumt[j], sqt[j]);
  }
  return out;
}

}  // namespace eqsweep
