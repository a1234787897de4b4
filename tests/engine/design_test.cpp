// The design generators: Sobol' points form (t, m, s)-nets before and after scrambling, every
// generator reproduces from its seed alone, Latin hypercubes stratify every axis, and the
// Saltelli and Morris layouts are the ones their estimators read.

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "engine/design.hpp"

namespace eqsweep {
namespace {

// Whether the first 2^m points (digits of s coordinates) are a (t, m, s)-net in base 2: every
// elementary box of volume 2^(t - m) (d_1 + ... + d_s = m - t leading digits) holds 2^t points.
bool is_net(const std::vector<std::uint32_t>& digits, std::size_t s, int m, int t) {
  const std::size_t n = std::size_t{1} << m;
  const int total = m - t;
  std::vector<int> d(s, 0);
  // Every split of `total` leading digits over the s coordinates.
  std::function<bool(std::size_t, int)> split = [&](std::size_t j, int left) -> bool {
    if (j + 1 == s) {
      d[j] = left;
      std::map<std::vector<std::uint32_t>, std::size_t> boxes;
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::uint32_t> box(s);
        for (std::size_t c = 0; c < s; ++c) box[c] = d[c] ? digits[i * s + c] >> (32 - d[c]) : 0;
        ++boxes[box];
      }
      const std::size_t expected_boxes = std::size_t{1} << total;
      if (boxes.size() != expected_boxes) return false;
      for (const auto& [box, count] : boxes)
        if (count != (std::size_t{1} << t)) return false;
      return true;
    }
    for (int x = 0; x <= left; ++x) {
      d[j] = x;
      if (!split(j + 1, left - x)) return false;
    }
    return true;
  };
  return split(0, total);
}

TEST(SobolDesign, TheFirstPowerOfTwoPointsOfTheUnscrambledSequenceAreNets) {
  // Joe-Kuo's first two coordinates are a (0, m, 2)-net for every m; three coordinates have t <= 1.
  for (int m = 1; m <= 10; ++m) {
    const auto two = sobol_digits(std::size_t{1} << m, 2);
    EXPECT_TRUE(is_net(two, 2, m, 0)) << "m = " << m;
  }
  for (int m = 2; m <= 9; ++m) EXPECT_TRUE(is_net(sobol_digits(std::size_t{1} << m, 3), 3, m, 1)) << "m = " << m;
  // One-dimensional projections of any coordinate are (0, m, 1)-nets: each interval [i/2^m, (i+1)/2^m) once.
  const auto five = sobol_digits(1024, 5);
  std::vector<std::uint32_t> column(1024);
  for (std::size_t c = 0; c < 5; ++c) {
    for (std::size_t i = 0; i < 1024; ++i) column[i] = five[i * 5 + c];
    EXPECT_TRUE(is_net(column, 1, 10, 0)) << "coordinate " << c;
  }
}

TEST(SobolDesign, TheStratificationCheckRejectsPointsThatAreNotANet) {
  // The check itself must be able to fail: two points sharing a second coordinate break the
  // one-point-per-interval stratification.
  auto digits = sobol_digits(256, 2);
  digits[5] = digits[7];
  EXPECT_FALSE(is_net(digits, 2, 8, 0));
}

TEST(SobolDesign, ScramblingKeepsTheNetPropertyAndMovesThePoints) {
  for (std::uint64_t seed : {1u, 2u, 12345u}) {
    auto digits = sobol_digits(512, 2);
    const auto plain = digits;
    scramble_digits(digits, 2, seed);
    EXPECT_TRUE(is_net(digits, 2, 9, 0)) << "seed " << seed;
    EXPECT_NE(digits, plain);
  }
}

TEST(SobolDesign, AScrambledSequenceReproducesFromItsSeedAndDiffersForAnother) {
  const auto a = sobol_unit(1000, 4, true, 7), b = sobol_unit(1000, 4, true, 7), c = sobol_unit(1000, 4, true, 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  for (double x : a) {
    EXPECT_GT(x, 0.0);
    EXPECT_LT(x, 1.0);
  }
}

TEST(LatinHypercube, EveryAxisHasOnePointPerStratum) {
  const std::size_t n = 97, s = 4;
  const auto u = latin_hypercube_unit(n, s, 3);
  for (std::size_t j = 0; j < s; ++j) {
    std::set<std::size_t> strata;
    for (std::size_t i = 0; i < n; ++i) strata.insert(static_cast<std::size_t>(u[i * s + j] * n));
    EXPECT_EQ(strata.size(), n) << "axis " << j;
  }
  EXPECT_EQ(u, latin_hypercube_unit(n, s, 3));
  EXPECT_NE(u, latin_hypercube_unit(n, s, 4));
}

TEST(RandomDesign, ReproducesFromItsSeedInsideTheUnitCube) {
  const auto u = random_unit(500, 3, 11);
  EXPECT_EQ(u, random_unit(500, 3, 11));
  EXPECT_NE(u, random_unit(500, 3, 12));
  double mean = 0;
  for (double x : u) {
    EXPECT_GE(x, 0.0);
    EXPECT_LT(x, 1.0);
    mean += x / static_cast<double>(u.size());
  }
  EXPECT_NEAR(mean, 0.5, 0.03);
}

TEST(SaltelliDesign, EachGroupIsAThenABThenBAsSALibLaysItOut) {
  const std::size_t base = 16, k = 3;
  const auto rows = saltelli_unit(base, k, false, 0);
  const auto ab = sobol_unit(base, 2 * k, false, 0);
  ASSERT_EQ(rows.size(), base * (k + 2) * k);
  for (std::size_t i = 0; i < base; ++i) {
    const double* g = rows.data() + i * (k + 2) * k;
    for (std::size_t j = 0; j < k; ++j) {
      EXPECT_EQ(g[j], ab[i * 2 * k + j]);                  // A
      EXPECT_EQ(g[(k + 1) * k + j], ab[i * 2 * k + k + j]);  // B
      for (std::size_t m = 0; m < k; ++m)                  // AB^m: A with column m from B
        EXPECT_EQ(g[(1 + m) * k + j], j == m ? ab[i * 2 * k + k + j] : ab[i * 2 * k + j]);
    }
  }
}

TEST(MorrisDesign, EachStepMovesOneParameterByDeltaOnTheGrid) {
  const std::size_t r = 50, k = 4;
  const int levels = 4;
  const double delta = morris_delta(levels);
  const auto u = morris_unit(r, k, levels, 9);
  for (std::size_t t = 0; t < r; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t i = 0; i <= k; ++i)
      for (std::size_t j = 0; j < k; ++j) {
        const double x = u[(t * (k + 1) + i) * k + j];
        EXPECT_GE(x, -1e-12);
        EXPECT_LE(x, 1 + 1e-12);
        EXPECT_NEAR(x * (levels - 1), std::round(x * (levels - 1)), 1e-9) << "off the grid";
      }
    for (std::size_t i = 0; i < k; ++i) {
      std::size_t changes = 0;
      for (std::size_t j = 0; j < k; ++j) {
        const double a = u[(t * (k + 1) + i) * k + j], b = u[(t * (k + 1) + i + 1) * k + j];
        if (a != b) {
          ++changes;
          moved.insert(j);
          EXPECT_NEAR(std::abs(b - a), delta, 1e-12);
        }
      }
      EXPECT_EQ(changes, 1u);
    }
    EXPECT_EQ(moved.size(), k) << "a trajectory moves every parameter once";
  }
}

TEST(DesignScaling, LogScaledParametersAreUniformInTheirLogarithm) {
  Design d;
  d.kind = DesignKind::sobol;
  d.samples = 1024;
  d.seed = 5;
  d.parameters = {{"k", 0, 0.01, 100.0, true}, {"t", 1, -1.0, 1.0, false}};
  fill_design(d);
  ASSERT_EQ(d.point_count(), 1024u);
  std::size_t below_one = 0;
  for (std::size_t i = 0; i < d.point_count(); ++i) {
    EXPECT_GE(d.value(i, 0), 0.01);
    EXPECT_LE(d.value(i, 0), 100.0);
    EXPECT_GE(d.value(i, 1), -1.0);
    EXPECT_LE(d.value(i, 1), 1.0);
    below_one += d.value(i, 0) < 1.0;
  }
  EXPECT_EQ(below_one, 512u);  // 1 is the geometric midpoint; a net splits it exactly
}

}  // namespace
}  // namespace eqsweep
