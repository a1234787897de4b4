// The chunk codec must reproduce HDF5's shuffle+deflate pipeline: round trips for every element
// size the cube stores (u8 status, i32 iterations, f64 values), deterministic bytes, and the
// stream layout that HDF5's stock filters (zlib stream of shuffled bytes) decode.

#include "engine/chunk_codec.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

namespace eqsweep {
namespace {

// Bytes of `n` elements of `elem` bytes: a mix of runs (compressible) and pseudo-random noise,
// from a fixed seed so every run of the test sees the same data.
std::vector<std::byte> sample_bytes(std::size_t n, std::size_t elem, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::byte> v(n * elem);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t b = 0; b < elem; ++b) {
      const bool run = (i / 37) % 2 == 0;
      v[i * elem + b] = static_cast<std::byte>(run ? (b * 17 + 3) : rng() & 0xff);
    }
  }
  return v;
}

std::vector<std::byte> doubles_as_bytes(const std::vector<double>& values) {
  std::vector<std::byte> v(values.size() * sizeof(double));
  std::memcpy(v.data(), values.data(), v.size());
  return v;
}

std::vector<std::byte> round_trip(const std::vector<std::byte>& raw, std::size_t elem, const ChunkEncoding& enc) {
  std::vector<std::byte> scratch, encoded, decoded;
  encode_chunk(raw, elem, enc, scratch, encoded);
  decode_chunk(encoded, elem, raw.size(), enc, decoded);
  return decoded;
}

class ChunkCodecRoundTrip : public ::testing::TestWithParam<std::tuple<std::size_t, bool>> {};

TEST_P(ChunkCodecRoundTrip, DecodeInvertsEncode) {
  const auto [elem, deflate] = GetParam();
  const ChunkEncoding enc{deflate, 4};
  for (std::size_t n : {1u, 2u, 7u, 1000u, 4099u}) {
    const auto raw = sample_bytes(n, elem, 1234 + n);
    EXPECT_EQ(round_trip(raw, elem, enc), raw) << "n = " << n;
  }
}

TEST_P(ChunkCodecRoundTrip, EncodingIsDeterministic) {
  const auto [elem, deflate] = GetParam();
  const ChunkEncoding enc{deflate, 6};
  const auto raw = sample_bytes(3000, elem, 99);
  std::vector<std::byte> scratch_a, scratch_b, a, b, c;
  encode_chunk(raw, elem, enc, scratch_a, a);
  encode_chunk(raw, elem, enc, scratch_b, b);
  EXPECT_EQ(a, b);
  // Reusing scratch and output buffers that hold other data changes nothing.
  const auto other = sample_bytes(5000, elem, 7);
  encode_chunk(other, elem, enc, scratch_a, c);
  encode_chunk(raw, elem, enc, scratch_a, c);
  EXPECT_EQ(c, a);
}

INSTANTIATE_TEST_SUITE_P(ElementSizesAndFilters, ChunkCodecRoundTrip,
                         ::testing::Combine(::testing::Values(std::size_t{1}, std::size_t{4}, std::size_t{8}),
                                            ::testing::Bool()),
                         [](const auto& info) {
                           return std::to_string(std::get<0>(info.param)) + "byte_" +
                                  (std::get<1>(info.param) ? "deflate" : "raw");
                         });

TEST(ChunkCodec, RawEncodingIsTheBytesThemselves) {
  for (std::size_t elem : {1u, 4u, 8u}) {
    const auto raw = sample_bytes(500, elem, 5);
    std::vector<std::byte> scratch, encoded;
    encode_chunk(raw, elem, ChunkEncoding{false, 4}, scratch, encoded);
    EXPECT_EQ(encoded, raw) << elem;
  }
}

TEST(ChunkCodec, DoublesSurviveBitForBitIncludingSpecialValues) {
  const std::vector<double> values = {0.0,
                                      -0.0,
                                      1.0 / 3.0,
                                      -2.5e-308,
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      std::numeric_limits<double>::quiet_NaN(),
                                      0.0458333333333333333};
  const auto raw = doubles_as_bytes(values);
  for (bool deflate : {false, true}) {
    for (int level : {1, 4, 9}) {
      const auto decoded = round_trip(raw, 8, ChunkEncoding{deflate, level});
      EXPECT_EQ(std::memcmp(decoded.data(), raw.data(), raw.size()), 0) << deflate << " level " << level;
    }
  }
}

// HDF5 applies shuffle, then deflate (a zlib stream); reading undoes them in reverse order. So
// inflating the encoded chunk with plain zlib must give byte b of element i at b * n + i.
TEST(ChunkCodec, DeflateStreamHoldsShuffledBytesAsHdf5Expects) {
  for (std::size_t elem : {1u, 4u, 8u}) {
    const std::size_t n = 301;
    const auto raw = sample_bytes(n, elem, 42);
    std::vector<std::byte> scratch, encoded;
    encode_chunk(raw, elem, ChunkEncoding{true, 4}, scratch, encoded);
    std::vector<std::byte> inflated(raw.size());
    uLongf len = static_cast<uLongf>(inflated.size());
    ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(inflated.data()), &len,
                         reinterpret_cast<const Bytef*>(encoded.data()), static_cast<uLong>(encoded.size())),
              Z_OK);
    ASSERT_EQ(len, raw.size());
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t b = 0; b < elem; ++b)
        ASSERT_EQ(inflated[b * n + i], raw[i * elem + b]) << "element " << i << " byte " << b << " size " << elem;
  }
}

TEST(ChunkCodec, DeflateCompressesRegularData) {
  // A smooth f64 field: shuffling groups the slowly varying exponent bytes, so it compresses well.
  std::vector<double> values(4096);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.25 + 1e-3 * static_cast<double>(i % 64);
  const auto raw = doubles_as_bytes(values);
  std::vector<std::byte> scratch, encoded;
  encode_chunk(raw, 8, ChunkEncoding{true, 4}, scratch, encoded);
  EXPECT_LT(encoded.size(), raw.size() / 4);
}

TEST(ChunkCodec, DecodeRejectsDamagedInput) {
  const auto raw = sample_bytes(256, 8, 11);
  std::vector<std::byte> scratch, encoded, out;
  encode_chunk(raw, 8, ChunkEncoding{true, 4}, scratch, encoded);
  // Wrong expected size.
  EXPECT_THROW(decode_chunk(encoded, 8, raw.size() + 8, ChunkEncoding{true, 4}, out), std::runtime_error);
  // Truncated stream.
  const std::vector<std::byte> truncated(encoded.begin(), encoded.begin() + static_cast<std::ptrdiff_t>(encoded.size() / 2));
  EXPECT_THROW(decode_chunk(truncated, 8, raw.size(), ChunkEncoding{true, 4}, out), std::runtime_error);
  // A raw chunk of the wrong length.
  EXPECT_THROW(decode_chunk(raw, 8, raw.size() - 1, ChunkEncoding{false, 4}, out), std::runtime_error);
}

}  // namespace
}  // namespace eqsweep
