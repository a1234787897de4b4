#include "engine/codecs/fletcher32.hpp"

#include <algorithm>
#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include <hdf5.h>

namespace eqsweep {

namespace {

// Sums of one block of `len` (<= 360) big-endian words w_j: a = sum of w_j and
// b = sum of (len - j) w_j, so that HDF5's word-by-word recurrence (sum1 += w; sum2 += sum1)
// over the block is sum2 += len * sum1 + b, sum1 += a, exactly (the same 32-bit values, hence
// the same folds). L lanes at a time: lane l holds p_l = sum over vectors m of w_(Lm+l) and
// q_l = sum over m of (vectors - 1 - m) w_(Lm+l); this turns the lanes and the words after the
// last whole vector into a and b.
template <std::uint32_t L>
void combine_lanes(const std::uint32_t (&p)[L], const std::uint32_t (&q)[L], const std::uint8_t* data, std::size_t len,
                   std::uint32_t& a, std::uint32_t& b) {
  const std::size_t vectors = len / L;
  const auto v = static_cast<std::uint32_t>(vectors), n = static_cast<std::uint32_t>(len);
  a = 0;
  b = 0;
  // Word Lm + l has weight len - Lm - l; the sum over m of m w is (v - 1) p_l - q_l.
  for (std::uint32_t l = 0; l < L; ++l) {
    a += p[l];
    b += (n - l) * p[l] - L * ((v - 1) * p[l] - q[l]);
  }
  for (std::size_t j = L * vectors; j < len; ++j) {
    const std::uint32_t w = static_cast<std::uint32_t>(data[2 * j]) << 8 | data[2 * j + 1];
    a += w;
    b += static_cast<std::uint32_t>(len - j) * w;
  }
}

void block_sums_portable(const std::uint8_t* data, std::size_t len, std::uint32_t& a, std::uint32_t& b) {
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
  combine_lanes(p, q, data, len, a, b);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define EQSWEEP_FLETCHER_AVX2 1
// Sixteen words per step: twice the portable kernel's width. The default build targets plain
// x86-64, so this is compiled for AVX2 on its own and chosen at run time.
__attribute__((target("avx2"))) void block_sums_avx2(const std::uint8_t* data, std::size_t len, std::uint32_t& a,
                                                     std::uint32_t& b) {
  const std::size_t vectors = len / 16;
  std::uint32_t p[16], q[16];
  const __m256i swap = _mm256_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14,  //
                                        1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
  __m256i p0 = _mm256_setzero_si256(), p1 = p0, q0 = p0, q1 = p0;
  for (std::size_t m = 0; m < vectors; ++m) {
    const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + 32 * m));
    const __m256i w = _mm256_shuffle_epi8(raw, swap);  // big-endian words
    q0 = _mm256_add_epi32(q0, p0);
    q1 = _mm256_add_epi32(q1, p1);
    p0 = _mm256_add_epi32(p0, _mm256_cvtepu16_epi32(_mm256_castsi256_si128(w)));
    p1 = _mm256_add_epi32(p1, _mm256_cvtepu16_epi32(_mm256_extracti128_si256(w, 1)));
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), p0);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 8), p1);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(q), q0);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + 8), q1);
  combine_lanes(p, q, data, len, a, b);
}
#endif

using BlockSums = void (*)(const std::uint8_t*, std::size_t, std::uint32_t&, std::uint32_t&);

BlockSums kernel_for(Fletcher32::Kernel kernel) {
#if defined(EQSWEEP_FLETCHER_AVX2)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (kernel == Fletcher32::Kernel::fastest && avx2) return block_sums_avx2;
#endif
  (void)kernel;
  return block_sums_portable;
}

}  // namespace

Fletcher32::Fletcher32(Kernel kernel) : block_sums_(kernel_for(kernel)) {}

void Fletcher32::update(std::span<const std::byte> piece) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(piece.data());
  std::size_t words = piece.size() / 2;
  // Blocks are counted from the start of the chunk, as HDF5 folds them: a piece may end or begin
  // inside a block, and the block's sums over two pieces add up exactly (32-bit sums cannot
  // overflow before a whole block is in).
  while (words > 0) {
    const std::size_t take = std::min(words, kBlockWords - in_block_);
    std::uint32_t a = 0, b = 0;
    block_sums_(data, take, a, b);
    data += 2 * take;
    words -= take;
    sum2_ += static_cast<std::uint32_t>(take) * sum1_ + b;
    sum1_ += a;
    in_block_ += take;
    if (in_block_ == kBlockWords) fold_block();
  }
  if (piece.size() % 2) {
    odd_byte_ = true;
    last_byte_ = *data;
  }
}

void Fletcher32::fold_block() {
  sum1_ = (sum1_ & 0xffff) + (sum1_ >> 16);
  sum2_ = (sum2_ & 0xffff) + (sum2_ >> 16);
  in_block_ = 0;
}

std::uint32_t Fletcher32::finish() const {
  Fletcher32 end = *this;
  if (end.in_block_ > 0) end.fold_block();
  if (end.odd_byte_) {
    end.sum1_ += static_cast<std::uint32_t>(end.last_byte_) << 8;
    end.sum2_ += end.sum1_;
    end.fold_block();
  }
  end.fold_block();
  return end.sum2_ << 16 | end.sum1_;
}

std::uint32_t fletcher32(std::span<const std::byte> bytes, Fletcher32::Kernel kernel) {
  Fletcher32 sum(kernel);
  sum.update(bytes);
  return sum.finish();
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

void Fletcher32Codec::encode_in_place(std::vector<std::byte>& chunk, std::size_t element_size,
                                      std::optional<std::uint32_t> raw_checksum) const {
  if (!inner_->identity()) return ChunkCodec::encode_in_place(chunk, element_size);  // encode() checksums
  const std::uint32_t sum = raw_checksum ? *raw_checksum : fletcher32(chunk);
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
