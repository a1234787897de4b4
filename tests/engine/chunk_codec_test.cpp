// Every chunk codec (none, shuffle+deflate, shuffle+zstd, Blosc with each compressor and shuffle):
// round trips for every element size the cube stores (u8 status, i32 iterations, f64 values),
// deterministic bytes, and the stream layouts that HDF5's filters decode (a zlib stream of
// shuffled bytes; one Zstd frame of shuffled bytes; a Blosc frame; the filters' cd_values).

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

struct NamedEncoding {
  const char* name;
  ChunkEncoding encoding;
};

const NamedEncoding kEncodings[] = {
    {"none", {.compression = Compression::none}},
    {"deflate", {.compression = Compression::deflate, .level = 4}},
    {"zstd", {.compression = Compression::zstd, .level = 1}},
    {"blosc_lz4_shuffle", {Compression::blosc, 5, BloscCompressor::lz4, BloscShuffle::byte}},
    {"blosc_lz4hc_bitshuffle", {Compression::blosc, 3, BloscCompressor::lz4hc, BloscShuffle::bit}},
    {"blosc_zstd_noshuffle", {Compression::blosc, 1, BloscCompressor::zstd, BloscShuffle::none}},
    {"blosc_zlib_shuffle", {Compression::blosc, 9, BloscCompressor::zlib, BloscShuffle::byte}},
};

void PrintTo(const NamedEncoding& e, std::ostream* os) { *os << e.name; }

class ChunkCodecRoundTrip : public ::testing::TestWithParam<std::tuple<std::size_t, NamedEncoding>> {};

TEST_P(ChunkCodecRoundTrip, DecodeInvertsEncode) {
  const auto [elem, named] = GetParam();
  for (std::size_t n : {1u, 2u, 7u, 1000u, 4099u}) {
    const auto raw = sample_bytes(n, elem, 1234 + n);
    EXPECT_EQ(round_trip(raw, elem, named.encoding), raw) << "n = " << n;
  }
}

TEST_P(ChunkCodecRoundTrip, EncodingIsDeterministic) {
  const auto [elem, named] = GetParam();
  const ChunkEncoding enc = named.encoding;
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

TEST_P(ChunkCodecRoundTrip, DecodeRejectsATruncatedChunkOrTheWrongSize) {
  const auto [elem, named] = GetParam();
  const auto raw = sample_bytes(2000, elem, 17);
  std::vector<std::byte> scratch, encoded, out;
  encode_chunk(raw, elem, named.encoding, scratch, encoded);
  const std::vector<std::byte> truncated(encoded.begin(), encoded.begin() + static_cast<std::ptrdiff_t>(encoded.size() / 2));
  EXPECT_THROW(decode_chunk(truncated, elem, raw.size(), named.encoding, out), std::runtime_error);
  EXPECT_THROW(decode_chunk(encoded, elem, raw.size() + elem, named.encoding, out), std::runtime_error);
}

INSTANTIATE_TEST_SUITE_P(ElementSizesAndCodecs, ChunkCodecRoundTrip,
                         ::testing::Combine(::testing::Values(std::size_t{1}, std::size_t{4}, std::size_t{8}),
                                            ::testing::ValuesIn(kEncodings)),
                         [](const auto& info) {
                           return std::to_string(std::get<0>(info.param)) + "byte_" + std::get<1>(info.param).name;
                         });

TEST(ChunkCodec, RawEncodingIsTheBytesThemselves) {
  for (std::size_t elem : {1u, 4u, 8u}) {
    const auto raw = sample_bytes(500, elem, 5);
    std::vector<std::byte> scratch, encoded;
    encode_chunk(raw, elem, ChunkEncoding{.compression = Compression::none}, scratch, encoded);
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
  for (const auto& named : kEncodings) {
    for (int level : {1, 4, 9}) {
      ChunkEncoding enc = named.encoding;
      enc.level = level;
      const auto decoded = round_trip(raw, 8, enc);
      EXPECT_EQ(std::memcmp(decoded.data(), raw.data(), raw.size()), 0) << named.name << " level " << level;
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
    encode_chunk(raw, elem, ChunkEncoding{.compression = Compression::deflate, .level = 4}, scratch, encoded);
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
  encode_chunk(raw, 8, ChunkEncoding{.compression = Compression::deflate, .level = 4}, scratch, encoded);
  EXPECT_LT(encoded.size(), raw.size() / 4);
}

std::uint32_t le32(const std::vector<std::byte>& v, std::size_t at) {
  std::uint32_t x = 0;
  for (std::size_t i = 0; i < 4; ++i) x |= static_cast<std::uint32_t>(v[at + i]) << (8 * i);
  return x;
}

// Filter 32015 reads one Zstd frame (magic 0xFD2FB528) that declares the chunk's size; the frame
// sits after HDF5's shuffle filter, which this codec declares first.
TEST(ChunkCodec, ZstdIsShuffleThenOneFrameOfFilter32015) {
  const ChunkEncoding enc{.compression = Compression::zstd, .level = 3};
  const auto filters = make_codec(enc)->filters(8);
  ASSERT_EQ(filters.size(), 2u);
  EXPECT_EQ(filters[0].id, 2u);  // H5Z_FILTER_SHUFFLE
  EXPECT_EQ(filters[1].id, 32015u);
  EXPECT_EQ(filters[1].parameters, std::vector<unsigned>{3});
  EXPECT_EQ(make_codec(enc)->filters(1).size(), 1u);  // no shuffle for one-byte elements
  const auto raw = sample_bytes(700, 8, 3);
  std::vector<std::byte> scratch, encoded;
  encode_chunk(raw, 8, enc, scratch, encoded);
  EXPECT_EQ(le32(encoded, 0), 0xFD2FB528u);
}

// The cd_values of the standard hdf5-blosc filter (and Python's hdf5plugin): [filter revision 2,
// Blosc format version 2, type size, chunk bytes (filled in at dataset creation), level, shuffle,
// compressor code]; each chunk one Blosc frame whose 16-byte header names the type size, the
// shuffle and the raw and compressed sizes.
TEST(ChunkCodec, BloscDeclaresTheStandardCdValuesAndWritesBloscFrames) {
  const ChunkEncoding enc{Compression::blosc, 7, BloscCompressor::zstd, BloscShuffle::bit};
  const auto filters = make_codec(enc)->filters(8);
  ASSERT_EQ(filters.size(), 1u);
  EXPECT_EQ(filters[0].id, 32001u);
  EXPECT_EQ(filters[0].parameters, (std::vector<unsigned>{2, 2, 8, 0, 7, 2, 5}));
  EXPECT_EQ(make_codec({Compression::blosc, 5, BloscCompressor::lz4, BloscShuffle::byte})->filters(4)[0].parameters,
            (std::vector<unsigned>{2, 2, 4, 0, 5, 1, 1}));
  const auto raw = sample_bytes(900, 8, 4);
  std::vector<std::byte> scratch, encoded;
  encode_chunk(raw, 8, enc, scratch, encoded);
  ASSERT_GE(encoded.size(), 16u);
  EXPECT_EQ(static_cast<unsigned>(encoded[3]), 8u);              // type size
  EXPECT_TRUE(static_cast<unsigned>(encoded[2]) & 0x4);          // bit shuffle
  EXPECT_EQ(le32(encoded, 4), raw.size());                       // raw bytes
  EXPECT_EQ(le32(encoded, 12), encoded.size());                  // compressed bytes
}

TEST(ChunkCodec, DecodeRejectsDamagedInput) {
  const auto raw = sample_bytes(256, 8, 11);
  std::vector<std::byte> scratch, encoded, out;
  encode_chunk(raw, 8, ChunkEncoding{.compression = Compression::deflate, .level = 4}, scratch, encoded);
  // Wrong expected size.
  EXPECT_THROW(decode_chunk(encoded, 8, raw.size() + 8, ChunkEncoding{.compression = Compression::deflate, .level = 4}, out), std::runtime_error);
  // Truncated stream.
  const std::vector<std::byte> truncated(encoded.begin(), encoded.begin() + static_cast<std::ptrdiff_t>(encoded.size() / 2));
  EXPECT_THROW(decode_chunk(truncated, 8, raw.size(), ChunkEncoding{.compression = Compression::deflate, .level = 4}, out), std::runtime_error);
  // A raw chunk of the wrong length.
  EXPECT_THROW(decode_chunk(raw, 8, raw.size() - 1, ChunkEncoding{.compression = Compression::none}, out), std::runtime_error);
}

}  // namespace
}  // namespace eqsweep
