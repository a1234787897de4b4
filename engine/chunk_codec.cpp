#include "engine/chunk_codec.hpp"

#include "engine/codecs/none.hpp"
#include "engine/codecs/shuffle_deflate.hpp"

namespace eqsweep {

std::shared_ptr<const ChunkCodec> make_codec(const ChunkEncoding& encoding) {
  if (encoding.deflate) return std::make_shared<ShuffleDeflateCodec>(encoding.level);
  return std::make_shared<NoneCodec>();
}

void encode_chunk(std::span<const std::byte> raw, std::size_t element_size, const ChunkEncoding& encoding,
                  std::vector<std::byte>& scratch, std::vector<std::byte>& out) {
  make_codec(encoding)->encode(raw, element_size, scratch, out);
}

void decode_chunk(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
                  const ChunkEncoding& encoding, std::vector<std::byte>& out) {
  make_codec(encoding)->decode(encoded, element_size, raw_size, out);
}

}  // namespace eqsweep
