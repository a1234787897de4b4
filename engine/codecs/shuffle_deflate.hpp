#pragma once
// HDF5's shuffle + deflate pipeline, produced by the workers with libdeflate (the zlib stream
// format HDF5's deflate filter reads, about twice as fast as zlib): the most portable compressed
// encoding (every HDF5 build has both filters).

#include "engine/chunk_codec.hpp"

namespace eqsweep {

class ShuffleDeflateCodec final : public ChunkCodec {
 public:
  explicit ShuffleDeflateCodec(int level) : level_(level) {}
  std::vector<FilterDeclaration> filters(std::size_t element_size) const override;
  void encode(std::span<const std::byte> raw, std::size_t element_size, std::vector<std::byte>& scratch,
              std::vector<std::byte>& out) const override;
  void decode(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
              std::vector<std::byte>& out) const override;
  std::vector<std::pair<std::string, std::string>> layout_fields() const override;

 private:
  int level_;
};

}  // namespace eqsweep
