#include "engine/design.hpp"

#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace eqsweep {

namespace {

constexpr double kTwoToMinus32 = 1.0 / 4294967296.0;

// Each generator draws from its own stream, so that adding a use of the seed elsewhere never
// moves the points of another.
boost::random::mt19937_64 stream(std::uint64_t seed, std::uint64_t purpose) {
  return boost::random::mt19937_64(seed * 0x9E3779B97F4A7C15ull + purpose);
}

}  // namespace

std::string_view design_kind_name(DesignKind kind) { return design_kind_names()[static_cast<std::size_t>(kind)]; }

const std::vector<std::string>& design_kind_names() {
  static const std::vector<std::string> names = {"list", "random", "latin_hypercube", "sobol", "saltelli", "morris"};
  return names;
}

std::size_t Design::group_size() const {
  if (kind == DesignKind::saltelli) return dimension() + 2;
  if (kind == DesignKind::morris) return dimension() + 1;
  return 1;
}

std::vector<std::uint32_t> sobol_digits(std::size_t n, std::size_t s) {
  std::vector<std::uint32_t> out(n * s, 0);
  if (n == 0 || s == 0) return out;
  // Boost's engine starts after the origin; the origin is point 0 of the sequence, and with it
  // the first 2^m points are a net.
  boost::random::sobol_engine<std::uint32_t, 32> engine(s);
  for (std::size_t i = 1; i < n; ++i)
    for (std::size_t j = 0; j < s; ++j) out[i * s + j] = engine();
  return out;
}

void scramble_digits(std::vector<std::uint32_t>& digits, std::size_t s, std::uint64_t seed) {
  auto rng = stream(seed, 1);
  // rows[j][b]: the row of output digit b (b = 0 most significant); its diagonal bit is 1 and
  // only more significant input digits may enter, so the matrix is lower triangular and nonsingular.
  std::vector<std::uint32_t> rows(s * 32), shift(s);
  for (std::size_t j = 0; j < s; ++j) {
    for (int b = 0; b < 32; ++b) {
      const std::uint32_t diagonal = 1u << (31 - b);
      const std::uint32_t above = b == 0 ? 0u : ~((diagonal << 1) - 1u) & ~0u;
      rows[j * 32 + static_cast<std::size_t>(b)] = diagonal | (static_cast<std::uint32_t>(rng()) & above);
    }
    shift[j] = static_cast<std::uint32_t>(rng());
  }
  const std::size_t n = s ? digits.size() / s : 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < s; ++j) {
      const std::uint32_t x = digits[i * s + j];
      std::uint32_t y = 0;
      for (int b = 0; b < 32; ++b)
        y |= static_cast<std::uint32_t>(std::popcount(rows[j * 32 + static_cast<std::size_t>(b)] & x) & 1) << (31 - b);
      digits[i * s + j] = y ^ shift[j];
    }
}

std::vector<double> sobol_unit(std::size_t n, std::size_t s, bool scramble, std::uint64_t seed) {
  auto digits = sobol_digits(n, s);
  if (scramble) scramble_digits(digits, s, seed);
  std::vector<double> out(digits.size());
  // A scrambled point is a random point of its finest box: the box's centre keeps it off the
  // box's edges (and off 0, where a log scale would map it to the lower bound exactly).
  const double offset = scramble ? 0.5 : 0.0;
  for (std::size_t i = 0; i < digits.size(); ++i) out[i] = (static_cast<double>(digits[i]) + offset) * kTwoToMinus32;
  return out;
}

std::vector<double> random_unit(std::size_t n, std::size_t s, std::uint64_t seed) {
  auto rng = stream(seed, 2);
  boost::random::uniform_01<double> u;
  std::vector<double> out(n * s);
  for (double& x : out) x = u(rng);
  return out;
}

std::vector<double> latin_hypercube_unit(std::size_t n, std::size_t s, std::uint64_t seed) {
  auto rng = stream(seed, 3);
  boost::random::uniform_01<double> u;
  std::vector<double> out(n * s);
  std::vector<std::size_t> perm(n);
  for (std::size_t j = 0; j < s; ++j) {
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) {
      boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
      std::swap(perm[i - 1], perm[pick(rng)]);
    }
    for (std::size_t i = 0; i < n; ++i)
      out[i * s + j] = (static_cast<double>(perm[i]) + u(rng)) / static_cast<double>(n);
  }
  return out;
}

std::vector<double> saltelli_unit(std::size_t base, std::size_t k, bool scramble, std::uint64_t seed) {
  const auto ab = sobol_unit(base, 2 * k, scramble, seed);
  const std::size_t rows = k + 2;
  std::vector<double> out(base * rows * k);
  for (std::size_t i = 0; i < base; ++i) {
    const double* a = ab.data() + i * 2 * k;
    const double* b = a + k;
    double* group = out.data() + i * rows * k;
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < k; ++j) {
        // Row 0 is A, row k + 1 is B, row 1 + m is A with column m taken from B.
        const bool from_b = r == k + 1 || (r >= 1 && r <= k && j == r - 1);
        group[r * k + j] = from_b ? b[j] : a[j];
      }
  }
  return out;
}

double morris_delta(int levels) { return levels / (2.0 * (levels - 1)); }

std::vector<double> morris_unit(std::size_t trajectories, std::size_t k, int levels, std::uint64_t seed) {
  if (levels < 2 || levels % 2) throw std::invalid_argument("Morris levels must be even and at least 2");
  auto rng = stream(seed, 4);
  const double delta = morris_delta(levels);
  const double step = 1.0 / (levels - 1);
  boost::random::uniform_int_distribution<int> base_level(0, levels / 2 - 1), coin(0, 1);
  std::vector<double> out(trajectories * (k + 1) * k);
  std::vector<std::size_t> order(k);
  std::vector<double> x(k);
  std::vector<int> direction(k);
  for (std::size_t t = 0; t < trajectories; ++t) {
    for (std::size_t j = 0; j < k; ++j) {
      direction[j] = coin(rng) ? 1 : -1;
      // x* + Δ stays on the grid and inside [0, 1]; a downward move starts from the upper end.
      x[j] = base_level(rng) * step + (direction[j] < 0 ? delta : 0.0);
    }
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = k; i > 1; --i) {
      boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
      std::swap(order[i - 1], order[pick(rng)]);
    }
    double* traj = out.data() + t * (k + 1) * k;
    std::copy(x.begin(), x.end(), traj);
    for (std::size_t m = 0; m < k; ++m) {
      const std::size_t j = order[m];
      x[j] += direction[j] * delta;
      std::copy(x.begin(), x.end(), traj + (m + 1) * k);
    }
  }
  return out;
}

void fill_design(Design& d) {
  const std::size_t k = d.dimension();
  std::vector<double> unit;
  switch (d.kind) {
    case DesignKind::list: return;  // read from its file
    case DesignKind::random: unit = random_unit(d.samples, k, d.seed); break;
    case DesignKind::latin_hypercube: unit = latin_hypercube_unit(d.samples, k, d.seed); break;
    case DesignKind::sobol: unit = sobol_unit(d.samples, k, d.scramble, d.seed); break;
    case DesignKind::saltelli: unit = saltelli_unit(d.samples, k, d.scramble, d.seed); break;
    case DesignKind::morris: unit = morris_unit(d.samples, k, d.levels, d.seed); break;
  }
  d.values.resize(unit.size());
  for (std::size_t i = 0; i < unit.size(); ++i) {
    const DesignParameter& p = d.parameters[i % k];
    const double u = unit[i];
    d.values[i] = p.log ? std::exp(std::log(p.lower) + u * (std::log(p.upper) - std::log(p.lower)))
                        : p.lower + u * (p.upper - p.lower);
    // The upper bound exactly where a Morris point sits on it, despite rounding.
    if (u == 1.0) d.values[i] = p.upper;
    if (u == 0.0) d.values[i] = p.lower;
  }
}

}  // namespace eqsweep
