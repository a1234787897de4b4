#include "engine/quantize.hpp"

#include <bit>
#include <cmath>
#include <stdexcept>

namespace eqsweep {

int bitround_bits_for_digits(int digits) {
  if (digits < 1 || digits > kMaxSignificantDigits) throw std::invalid_argument("significant digits outside [1, 15]");
  // Exact integer form of ceil(digits * log2(10)): the smallest b with 2^b >= 10^digits.
  int bits = 0;
  long double power = 1;
  long double target = 1;
  for (int d = 0; d < digits; ++d) target *= 10;
  while (power < target) {
    power *= 2;
    ++bits;
  }
  return bits < 52 ? bits : 52;
}

void bitround(std::span<double> values, int keep_bits) {
  if (keep_bits < 1 || keep_bits > 52) throw std::invalid_argument("bitround: kept mantissa bits outside [1, 52]");
  if (keep_bits == 52) return;
  const int drop = 52 - keep_bits;
  const std::uint64_t drop_mask = (std::uint64_t{1} << drop) - 1;
  const std::uint64_t half_minus_one = (std::uint64_t{1} << (drop - 1)) - 1;
  for (double& v : values) {
    if (!std::isfinite(v)) continue;
    const std::uint64_t u = std::bit_cast<std::uint64_t>(v);
    // Adding half an ulp of the kept precision (less one, plus the kept part's lowest bit) rounds
    // to nearest with ties to even; a carry out of the mantissa correctly bumps the exponent.
    const std::uint64_t rounded = (u + half_minus_one + ((u >> drop) & 1)) & ~drop_mask;
    const double r = std::bit_cast<double>(rounded);
    // Only a value within half an ulp of DBL_MAX can round up to infinity: truncate it instead.
    v = std::isfinite(r) ? r : std::bit_cast<double>(u & ~drop_mask);
  }
}

}  // namespace eqsweep
