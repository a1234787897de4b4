#include "engine/quantize.hpp"

#include <cstring>
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

void bitround(std::span<std::byte> doubles, int keep_bits) {
  if (keep_bits < 1 || keep_bits > 52) throw std::invalid_argument("bitround: kept mantissa bits outside [1, 52]");
  if (doubles.size() % sizeof(double) != 0) throw std::invalid_argument("bitround: not a whole number of doubles");
  if (keep_bits == 52) return;
  const int drop = 52 - keep_bits;
  const std::uint64_t drop_mask = (std::uint64_t{1} << drop) - 1;
  const std::uint64_t half_minus_one = (std::uint64_t{1} << (drop - 1)) - 1;
  constexpr std::uint64_t kExponent = 0x7ff0000000000000;
  for (std::size_t at = 0; at < doubles.size(); at += sizeof(double)) {
    std::uint64_t u;
    std::memcpy(&u, doubles.data() + at, sizeof u);
    if ((u & kExponent) == kExponent) continue;  // NaN or infinity
    // Adding half an ulp of the kept precision (less one, plus the kept part's lowest bit) rounds
    // to nearest with ties to even; a carry out of the mantissa correctly bumps the exponent.
    std::uint64_t rounded = (u + half_minus_one + ((u >> drop) & 1)) & ~drop_mask;
    // Only a value within half an ulp of DBL_MAX can round up to infinity: truncate it instead.
    if ((rounded & kExponent) == kExponent) rounded = u & ~drop_mask;
    std::memcpy(doubles.data() + at, &rounded, sizeof rounded);
  }
}

}  // namespace eqsweep
