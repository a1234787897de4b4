#include "engine/codecs/fletcher32.hpp"

#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <hdf5.h>

namespace eqsweep {

namespace {

// Sums of one block of `len` (<= 360) big-endian words w_j: a = sum of w_j and
// b = sum of (len - j) w_j, so that HDF5's word-by-word recurrence (sum1 += w; sum2 += sum1)
// over the block is sum2 += len * sum1 + b, sum1 += a, exactly (the same 32-bit values, hence
// the same folds). Eight lanes at a time: lane l holds p_l = sum over vectors m of w_(8m+l) and
// q_l = sum over m of (vectors - 1 - m) w_(8m+l).
void block_sums(const std::uint8_t* data, std::size_t len, std::uint32_t& a, std::uint32_t& b) {
  const std::size_t vectors = len / 8;
  std::uint32_t p[8] = {}, q[8] = {};
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  __m128i p0 = zero, p1 = zero, q0 = zero, q1 = zero;
  for (std::size_t m = 0; m < vectors; ++m) {
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * m));
    const __m128i w = _mm_or_si128(_mm_slli_epi16(raw, 8), _mm_srli_epi16(raw, 8));  // big-endian words
    q0 = _mm_add_epi32(q0, p0);
    q1 = _mm_add_epi32(q1, p1);
    p0 = _mm_add_epi32(p0, _mm_unpacklo_epi16(w, zero));
    p1 = _mm_add_epi32(p1, _mm_unpackhi_epi16(w, zero));
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p), p0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p + 4), p1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(q), q0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(q + 4), q1);
#else
  for (std::size_t m = 0; m < vectors; ++m)
    for (int l = 0; l < 8; ++l) {
      q[l] += p[l];
      p[l] += static_cast<std::uint32_t>(data[16 * m + 2 * l]) << 8 | data[16 * m + 2 * l + 1];
    }
#endif
  const auto v = static_cast<std::uint32_t>(vectors), n = static_cast<std::uint32_t>(len);
  a = 0;
  b = 0;
  // Word 8m + l has weight len - 8m - l; the sum over m of m w is (v - 1) p_l - q_l.
  for (std::uint32_t l = 0; l < 8; ++l) {
    a += p[l];
    b += (n - l) * p[l] - 8 * ((v - 1) * p[l] - q[l]);
  }
  for (std::size_t j = 8 * vectors; j < len; ++j) {
    const std::uint32_t w = static_cast<std::uint32_t>(data[2 * j]) << 8 | data[2 * j + 1];
    a += w;
    b += static_cast<std::uint32_t>(len - j) * w;
  }
}

}  // namespace

std::uint32_t fletcher32(std::span<const std::byte> bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t words = bytes.size() / 2;
  std::uint32_t sum1 = 0, sum2 = 0;
  // 360 words is the most that cannot overflow 32-bit sums before folding.
  while (words > 0) {
    const std::size_t block = words > 360 ? 360 : words;
    words -= block;
    std::uint32_t a = 0, b = 0;
    block_sums(data, block, a, b);
    data += 2 * block;
    sum2 += static_cast<std::uint32_t>(block) * sum1 + b;
    sum1 += a;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  if (bytes.size() % 2) {
    sum1 += static_cast<std::uint32_t>(*data) << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  return sum2 << 16 | sum1;
}

namespace {

// The filter stores the checksum little-endian after the data.
std::uint32_t stored_checksum(std::span<const std::byte> stored) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<std::uint8_t>(stored[stored.size() - 4 + i]);
  return v;
}

}  // namespace

bool fletcher32_intact(std::span<const std::byte> stored) {
  if (stored.size() < 4) return false;
  return fletcher32(stored.first(stored.size() - 4)) == stored_checksum(stored);
}

std::vector<FilterDeclaration> Fletcher32Codec::filters(std::size_t element_size) const {
  auto f = inner_->filters(element_size);
  // Last in the pipeline: the checksum covers the bytes on disk, so it is checked before any
  // decompressor sees them.
  f.push_back({H5Z_FILTER_FLETCHER32, H5Z_FLAG_MANDATORY, {}});
  return f;
}

void Fletcher32Codec::encode(std::span<const std::byte> raw, std::size_t element_size, std::vector<std::byte>& scratch,
                             std::vector<std::byte>& out) const {
  inner_->encode(raw, element_size, scratch, out);
  const std::uint32_t sum = fletcher32(out);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(sum >> (8 * i)));
}

void Fletcher32Codec::encode_in_place(std::vector<std::byte>& chunk, std::size_t element_size) const {
  if (!inner_->identity()) return ChunkCodec::encode_in_place(chunk, element_size);  // encode() checksums
  const std::uint32_t sum = fletcher32(chunk);
  for (int i = 0; i < 4; ++i) chunk.push_back(static_cast<std::byte>(sum >> (8 * i)));
}

void Fletcher32Codec::decode(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
                             std::vector<std::byte>& out) const {
  if (!fletcher32_intact(encoded)) throw std::runtime_error("chunk damaged: its Fletcher-32 checksum does not match");
  inner_->decode(encoded.first(encoded.size() - 4), element_size, raw_size, out);
}

std::vector<std::pair<std::string, std::string>> Fletcher32Codec::layout_fields() const {
  auto fields = inner_->layout_fields();
  fields.emplace_back("checksum", "\"fletcher32\"");
  return fields;
}

}  // namespace eqsweep
