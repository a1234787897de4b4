#pragma once
// HDF5's Fletcher-32 checksum filter (H5Z_FILTER_FLETCHER32) around any codec: the engine appends
// the checksum to each encoded chunk exactly as HDF5's filter does, so h5py, h5dump and the engine
// itself detect a damaged chunk instead of decoding wrong values.

#include <cstdint>
#include <memory>
#include <optional>

#include "engine/chunk_codec.hpp"

namespace eqsweep {

// HDF5's H5_checksum_fletcher32 (16-bit big-endian words, sums folded every 360 words), fed in
// pieces: the checksum of a chunk can be taken slice by slice while each slice is still in cache.
// Every piece but the last has an even number of bytes.
class Fletcher32 {
 public:
  // fastest: the widest SIMD kernel this CPU runs (AVX2 where present); portable: SSE2 or scalar.
  // Both give the same checksum; tests pin each against HDF5's.
  enum class Kernel { fastest, portable };
  explicit Fletcher32(Kernel kernel = Kernel::fastest);
  void update(std::span<const std::byte> piece);
  std::uint32_t finish() const;  // of all pieces so far

 private:
  static constexpr std::size_t kBlockWords = 360;  // the most words 32-bit sums take unfolded
  void fold_block();
  void (*block_sums_)(const std::uint8_t*, std::size_t, std::uint32_t&, std::uint32_t&);
  std::uint32_t sum1_ = 0, sum2_ = 0;
  std::size_t in_block_ = 0;  // words of the current block summed so far
  bool odd_byte_ = false;
  std::uint8_t last_byte_ = 0;
};

// The checksum of `bytes` in one piece.
std::uint32_t fletcher32(std::span<const std::byte> bytes, Fletcher32::Kernel kernel = Fletcher32::Kernel::fastest);

// Whether `stored` (an encoded chunk as H5Dread_chunk returns it, checksum last) is intact.
bool fletcher32_intact(std::span<const std::byte> stored);

class Fletcher32Codec final : public ChunkCodec {
 public:
  explicit Fletcher32Codec(std::shared_ptr<const ChunkCodec> inner) : inner_(std::move(inner)) {}
  std::vector<FilterDeclaration> filters(std::size_t element_size) const override;
  void encode(std::span<const std::byte> raw, std::size_t element_size, std::vector<std::byte>& scratch,
              std::vector<std::byte>& out) const override;
  // Throws std::runtime_error naming the checksum when the chunk is damaged.
  void decode(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
              std::vector<std::byte>& out) const override;
  std::vector<std::pair<std::string, std::string>> layout_fields() const override;
  // Around raw chunks the checksum is only appended: the chunk is not copied.
  bool appends_in_place() const override { return inner_->identity(); }
  bool uses_raw_checksum() const override { return inner_->identity(); }
  void encode_in_place(std::vector<std::byte>& chunk, std::size_t element_size,
                       std::optional<std::uint32_t> raw_checksum = {}) const override;

 private:
  std::shared_ptr<const ChunkCodec> inner_;
};

}  // namespace eqsweep
