#pragma once
// Raw chunks, no filters: the fastest to write and read, the largest on disk.

#include "engine/chunk_codec.hpp"

namespace eqsweep {

class NoneCodec final : public ChunkCodec {
 public:
  std::vector<FilterDeclaration> filters(std::size_t) const override { return {}; }
  void encode(std::span<const std::byte> raw, std::size_t, std::vector<std::byte>&,
              std::vector<std::byte>& out) const override;
  void decode(std::span<const std::byte> encoded, std::size_t, std::size_t raw_size,
              std::vector<std::byte>& out) const override;
  bool identity() const override { return true; }
  std::vector<std::pair<std::string, std::string>> layout_fields() const override {
    return {{"compression", "\"none\""}};
  }
};

}  // namespace eqsweep
