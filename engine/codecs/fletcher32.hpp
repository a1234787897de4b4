#pragma once
// HDF5's Fletcher-32 checksum filter (H5Z_FILTER_FLETCHER32) around any codec: the engine appends
// the checksum to each encoded chunk exactly as HDF5's filter does, so h5py, h5dump and the engine
// itself detect a damaged chunk instead of decoding wrong values.

#include <cstdint>
#include <memory>

#include "engine/chunk_codec.hpp"

namespace eqsweep {

// HDF5's H5_checksum_fletcher32: 16-bit big-endian words, sums folded every 360 words.
std::uint32_t fletcher32(std::span<const std::byte> bytes);

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
  void encode_in_place(std::vector<std::byte>& chunk, std::size_t element_size) const override;

 private:
  std::shared_ptr<const ChunkCodec> inner_;
};

}  // namespace eqsweep
