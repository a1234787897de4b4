#pragma once
// Optional lossy storage (issue 10): BitRound (Klöwer et al. 2021, netCDF-C 4.9's
// quantize_mode = BitRound) keeps the leading mantissa bits of each double, rounded to nearest
// with ties to even, and zeroes the rest, so that the chunk codec finds long runs of zero bits.
// A value keeps `digits` significant decimal digits: its relative error is at most
// 2^-(bits + 1) <= 0.5 * 10^-digits. NaN, infinities, zeros and signs are kept as they are.

#include <cstddef>
#include <cstdint>
#include <span>

namespace eqsweep {

inline constexpr int kMaxSignificantDigits = 15;  // a double holds 15.95 decimal digits

// Mantissa bits kept for `digits` significant decimal digits: ceil(digits * log2(10)), at most 52.
int bitround_bits_for_digits(int digits);

// Rounds every value in place to `keep_bits` mantissa bits (1..52; 52 leaves values unchanged).
// The byte form takes a raw chunk of native doubles (a multiple of 8 bytes).
void bitround(std::span<std::byte> doubles, int keep_bits);
inline void bitround(std::span<double> values, int keep_bits) { bitround(std::as_writable_bytes(values), keep_bits); }

}  // namespace eqsweep
