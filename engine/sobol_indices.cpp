#include "engine/sobol_indices.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <boost/random/mersenne_twister.hpp>

namespace eqsweep {

namespace {

// A 128-bit product for the multiply-shift below (a GCC/Clang extension; __extension__ keeps
// -Wpedantic quiet about it).
__extension__ using Wide = unsigned __int128;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The estimators over the groups `rows` (indices into the usable groups), into s1 and st: one
// pass for the mean and variance, one for the sums of every parameter (row by row, so each
// group's k + 2 values are read together).
void estimate(const std::vector<double>& a, const std::vector<double>& b, const std::vector<double>& ab, std::size_t k,
              const std::vector<std::size_t>& rows, double* s1, double* st) {
  const double n = static_cast<double>(rows.size());
  double mean = 0;
  for (std::size_t r : rows) mean += a[r] + b[r];
  mean /= 2 * n;
  double var = 0;
  for (std::size_t r : rows) var += (a[r] - mean) * (a[r] - mean) + (b[r] - mean) * (b[r] - mean);
  var /= 2 * n;
  std::fill(s1, s1 + k, 0.0);
  std::fill(st, st + k, 0.0);
  for (std::size_t r : rows) {
    // Centred, so that a large mean of y costs no precision in B (AB - A).
    const double fa = a[r] - mean, fb = b[r] - mean;
    const double* fab = ab.data() + r * k;
    for (std::size_t j = 0; j < k; ++j) {
      const double d = fab[j] - mean - fa;
      s1[j] += fb * d;
      st[j] += d * d;
    }
  }
  for (std::size_t j = 0; j < k; ++j) {
    s1[j] = var > 0 ? s1[j] / n / var : kNaN;
    st[j] = var > 0 ? 0.5 * st[j] / n / var : kNaN;
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

  // Each resample draws from its own stream and the sums run in resample order, so the
  // intervals are the same on any number of threads.
  const std::size_t reps = static_cast<std::size_t>(bootstrap);
  std::vector<double> s1(reps * k), st(reps * k);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, reps), [&](const tbb::blocked_range<std::size_t>& range) {
    std::vector<std::size_t> sample(out.used);
    for (std::size_t rep = range.begin(); rep != range.end(); ++rep) {
      boost::random::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + rep);
      // Multiply-shift onto [0, used): a bias below used / 2^64, and no division per draw.
      for (auto& r : sample) r = static_cast<std::size_t>((static_cast<Wide>(rng()) * out.used) >> 64);
      estimate(a, b, ab, k, sample, s1.data() + rep * k, st.data() + rep * k);
    }
  });
  std::vector<double> sum1(k, 0), sq1(k, 0), sumt(k, 0), sqt(k, 0);
  for (std::size_t rep = 0; rep < reps; ++rep)
    for (std::size_t j = 0; j < k; ++j) {
      sum1[j] += s1[rep * k + j];
      sq1[j] += s1[rep * k + j] * s1[rep * k + j];
      sumt[j] += st[rep * k + j];
      sqt[j] += st[rep * k + j] * st[rep * k + j];
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
