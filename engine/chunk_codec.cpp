#include "engine/chunk_codec.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include <zlib.h>

namespace eqsweep {

namespace {

// HDF5's shuffle filter: byte b of element i goes to position b * n + i.
void shuffle(std::span<const std::byte> in, std::size_t elem, std::byte* out) {
  const std::size_t n = in.size() / elem;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < elem; ++b) out[b * n + i] = in[i * elem + b];
}

void unshuffle(std::span<const std::byte> in, std::size_t elem, std::byte* out) {
  const std::size_t n = in.size() / elem;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < elem; ++b) out[i * elem + b] = in[b * n + i];
}

}  // namespace

void encode_chunk(std::span<const std::byte> raw, std::size_t element_size, const ChunkEncoding& encoding,
                  std::vector<std::byte>& scratch, std::vector<std::byte>& out) {
  if (!encoding.deflate) {
    out.assign(raw.begin(), raw.end());
    return;
  }
  const std::byte* source = raw.data();
  if (element_size > 1) {
    scratch.resize(raw.size());
    shuffle(raw, element_size, scratch.data());
    source = scratch.data();
  }
  uLongf out_len = compressBound(static_cast<uLong>(raw.size()));
  out.resize(out_len);
  // compress2 writes the zlib stream format that HDF5's deflate filter reads.
  const int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &out_len, reinterpret_cast<const Bytef*>(source),
                           static_cast<uLong>(raw.size()), encoding.level);
  if (rc != Z_OK) throw std::runtime_error("zlib compress2 failed with code " + std::to_string(rc));
  out.resize(out_len);
}

void decode_chunk(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
                  const ChunkEncoding& encoding, std::vector<std::byte>& out) {
  out.resize(raw_size);
  if (!encoding.deflate) {
    if (encoded.size() != raw_size) throw std::runtime_error("raw chunk has the wrong size");
    std::memcpy(out.data(), encoded.data(), raw_size);
    return;
  }
  std::vector<std::byte> shuffled(raw_size);
  uLongf len = static_cast<uLongf>(raw_size);
  const int rc = uncompress(reinterpret_cast<Bytef*>(shuffled.data()), &len,
                            reinterpret_cast<const Bytef*>(encoded.data()), static_cast<uLong>(encoded.size()));
  if (rc != Z_OK || len != raw_size) throw std::runtime_error("zlib uncompress failed");
  if (element_size > 1) unshuffle(shuffled, element_size, out.data());
  else out = std::move(shuffled);
}

}  // namespace eqsweep
