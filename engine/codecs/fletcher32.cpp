#include "engine/codecs/fletcher32.hpp"

#include <stdexcept>

#include <hdf5.h>

namespace eqsweep {

std::uint32_t fletcher32(std::span<const std::byte> bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t words = bytes.size() / 2;
  std::uint32_t sum1 = 0, sum2 = 0;
  // 360 words is the most that cannot overflow 32-bit sums before folding.
  while (words > 0) {
    std::size_t block = words > 360 ? 360 : words;
    words -= block;
    do {
      sum1 += static_cast<std::uint32_t>(data[0]) << 8 | data[1];
      data += 2;
      sum2 += sum1;
    } while (--block);
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
