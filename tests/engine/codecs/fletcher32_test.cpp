// The engine's Fletcher-32 is HDF5's: chunks it encodes pass HDF5's own filter on read (so h5py
// and h5dump verify them), and a flipped byte is caught by both.

#include "engine/codecs/fletcher32.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <hdf5.h>

#include "engine/chunk_codec.hpp"
#include "support/test_support.hpp"

// HDF5's own checksum routine (exported by libhdf5, declared only in its private headers).
extern "C" std::uint32_t H5_checksum_fletcher32(const void* data, std::size_t len);

namespace eqsweep::testing {
namespace {

std::vector<double> sample(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = 0.37 * static_cast<double>(i * i) - 11.0 / static_cast<double>(i + 1);
  return v;
}

std::span<const std::byte> bytes_of(const std::vector<double>& v) { return std::as_bytes(std::span(v)); }

// A 1-D dataset of `n` doubles in one chunk with HDF5's own Fletcher-32 filter.
hid_t checksummed_dataset(hid_t file, const char* name, hsize_t n) {
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, &n);
  H5Pset_fletcher32(dcpl);
  const hid_t ds = H5Dcreate2(file, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  H5Pclose(dcpl);
  H5Sclose(space);
  return ds;
}

// Odd byte counts exercise the trailing-byte rule, 1000 doubles the folding every 360 words.
TEST(Fletcher32, TheChecksumIsTheOneHdf5sFilterWrites) {
  ScratchDir dir("fletcher32_hdf5");
  const hid_t file = H5Fcreate(dir.file("f.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  for (hsize_t n : {hsize_t{1}, hsize_t{7}, hsize_t{1000}}) {
    const auto values = sample(n);
    const std::string name = "d" + std::to_string(n);
    const hid_t ds = checksummed_dataset(file, name.c_str(), n);
    ASSERT_GE(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    H5Fflush(file, H5F_SCOPE_GLOBAL);
    const hsize_t origin = 0;
    hsize_t stored = 0;
    ASSERT_GE(H5Dget_chunk_storage_size(ds, &origin, &stored), 0);
    std::vector<std::byte> hdf5_bytes(stored);
    std::uint32_t mask = 0;
    ASSERT_GE(H5Dread_chunk(ds, H5P_DEFAULT, &origin, &mask, hdf5_bytes.data()), 0);
    H5Dclose(ds);

    const Fletcher32Codec codec(make_codec({.compression = Compression::none}));
    std::vector<std::byte> scratch, ours;
    codec.encode(bytes_of(values), 8, scratch, ours);
    EXPECT_EQ(ours, hdf5_bytes) << n << " doubles";
  }
  // An odd number of bytes (the checksum reads 16-bit words): against the reference by hand.
  const std::vector<std::byte> three{std::byte{1}, std::byte{2}, std::byte{3}};
  // words 0x0102, 0x0300: sum1 = 0x0402, sum2 = 0x0102 + 0x0402 = 0x0504
  EXPECT_EQ(fletcher32(three), 0x05040402u);
  H5Fclose(file);
}

// The engine sums 8 (portable) or 16 (AVX2) words at a time per 360-word block; HDF5 sums word
// by word. Every length from 0 to 1500 bytes (all block and lane remainders, odd tails), and
// tile-sized chunks of random bytes and of 0xff (the largest sums before a fold), with each kernel.
TEST(Fletcher32, BlockSumsAgreeWithHdf5sWordByWordChecksumAtEveryLength) {
  std::mt19937 rng(7);
  std::vector<std::byte> bytes(128'004);
  for (auto& b : bytes) b = static_cast<std::byte>(rng());
  std::vector<std::byte> ones(128'003, std::byte{0xff});
  for (const auto kernel : {Fletcher32::Kernel::fastest, Fletcher32::Kernel::portable}) {
    const char* name = kernel == Fletcher32::Kernel::fastest ? "fastest" : "portable";
    for (std::size_t n = 0; n <= 1500; ++n)
      ASSERT_EQ(fletcher32(std::span(bytes).first(n), kernel), H5_checksum_fletcher32(bytes.data(), n))
          << n << " bytes, " << name;
    for (std::size_t n : {std::size_t{16'000}, std::size_t{64'001}, std::size_t{128'004}})
      EXPECT_EQ(fletcher32(std::span(bytes).first(n), kernel), H5_checksum_fletcher32(bytes.data(), n))
          << n << " bytes, " << name;
    for (std::size_t n : {std::size_t{719}, std::size_t{720}, std::size_t{721}, std::size_t{128'003}})
      EXPECT_EQ(fletcher32(std::span(ones).first(n), kernel), H5_checksum_fletcher32(ones.data(), n))
          << n << " bytes of 0xff, " << name;
  }
}

// Workers sum a chunk slice by slice as they solve it: pieces cut anywhere (inside a 360-word
// block, at its edge, empty, one word) give the one-piece checksum, odd tail included.
TEST(Fletcher32, ASumFedInPiecesEqualsTheChecksumOfTheWhole) {
  std::mt19937 rng(11);
  std::vector<std::byte> bytes(40'001);
  for (auto& b : bytes) b = static_cast<std::byte>(rng());
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = trial < 100 ? rng() % bytes.size() : bytes.size() - trial % 2;
    const std::span<const std::byte> whole = std::span(bytes).first(n);
    Fletcher32 sum;
    std::size_t at = 0;
    while (at < n) {
      const std::size_t words[] = {0, 1, 359, 360, 361, 720, 512, static_cast<std::size_t>(rng() % 3000)};
      std::size_t piece = std::min(2 * words[rng() % std::size(words)], n - at);
      if (piece != n - at) piece -= piece % 2;  // only the last piece may be odd
      sum.update(whole.subspan(at, piece));
      at += piece;
    }
    ASSERT_EQ(sum.finish(), H5_checksum_fletcher32(whole.data(), n)) << "trial " << trial << ", " << n << " bytes";
  }
}

// A checksum handed to encode_in_place is the one appended (the codec trusts the worker's sum).
TEST(Fletcher32, InPlaceEncodingAppendsAGivenRawChecksum) {
  const Fletcher32Codec codec(make_codec({.compression = Compression::none}));
  ASSERT_TRUE(codec.uses_raw_checksum());
  EXPECT_FALSE(Fletcher32Codec(make_codec({.compression = Compression::blosc})).uses_raw_checksum());
  const auto values = sample(1000);
  std::vector<std::byte> chunk(bytes_of(values).begin(), bytes_of(values).end());
  codec.encode_in_place(chunk, 8, fletcher32(bytes_of(values)));
  std::vector<std::byte> scratch, encoded;
  codec.encode(bytes_of(values), 8, scratch, encoded);
  EXPECT_EQ(chunk, encoded);
}

// Around raw chunks the checksum is appended in place, and the bytes are encode()'s.
TEST(Fletcher32, InPlaceEncodingOfRawChunksEqualsEncode) {
  const Fletcher32Codec codec(make_codec({.compression = Compression::none}));
  ASSERT_TRUE(codec.appends_in_place());
  const auto values = sample(1000);
  std::vector<std::byte> scratch, encoded;
  codec.encode(bytes_of(values), 8, scratch, encoded);
  std::vector<std::byte> chunk(bytes_of(values).begin(), bytes_of(values).end());
  codec.encode_in_place(chunk, 8);
  EXPECT_EQ(chunk, encoded);
  const Fletcher32Codec deflate(make_codec({.compression = Compression::deflate}));
  EXPECT_FALSE(deflate.appends_in_place());
  deflate.encode(bytes_of(values), 8, scratch, encoded);
  chunk.assign(bytes_of(values).begin(), bytes_of(values).end());
  deflate.encode_in_place(chunk, 8);
  EXPECT_EQ(chunk, encoded);
}

TEST(Fletcher32, Hdf5ReadsTheEnginesChunksAndRefusesAFlippedByte) {
  ScratchDir dir("fletcher32_read");
  const hid_t file = H5Fcreate(dir.file("f.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const auto values = sample(500);
  const Fletcher32Codec codec(make_codec({.compression = Compression::deflate, .level = 4}));
  std::vector<std::byte> scratch, encoded;
  codec.encode(bytes_of(values), 8, scratch, encoded);

  const hsize_t n = values.size(), origin = 0;
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, &n);
  for (const auto& f : codec.filters(8)) H5Pset_filter(dcpl, f.id, f.flags, f.parameters.size(), f.parameters.data());
  const hid_t good = H5Dcreate2(file, "good", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  const hid_t bad = H5Dcreate2(file, "bad", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  ASSERT_GE(H5Dwrite_chunk(good, H5P_DEFAULT, 0, &origin, encoded.size(), encoded.data()), 0);
  auto flipped = encoded;
  flipped[flipped.size() / 2] ^= std::byte{0x10};
  ASSERT_GE(H5Dwrite_chunk(bad, H5P_DEFAULT, 0, &origin, flipped.size(), flipped.data()), 0);

  std::vector<double> back(n);
  EXPECT_GE(H5Dread(good, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), 0);
  EXPECT_EQ(back, values);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  EXPECT_LT(H5Dread(bad, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), 0)
      << "HDF5's filter did not catch the flipped byte";

  std::vector<std::byte> decoded;
  codec.decode(encoded, 8, n * 8, decoded);
  EXPECT_EQ(std::memcmp(decoded.data(), values.data(), n * 8), 0);
  EXPECT_TRUE(fletcher32_intact(encoded));
  EXPECT_FALSE(fletcher32_intact(flipped));
  EXPECT_THROW(codec.decode(flipped, 8, n * 8, decoded), std::runtime_error);
  H5Dclose(good);
  H5Dclose(bad);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Fclose(file);
}

}  // namespace
}  // namespace eqsweep::testing
