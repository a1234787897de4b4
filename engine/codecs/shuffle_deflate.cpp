#include "engine/codecs/shuffle_deflate.hpp"

#include <stdexcept>
#include <string>

#include <hdf5.h>
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

std::vector<FilterDeclaration> ShuffleDeflateCodec::filters(std::size_t element_size) const {
  // The flags and parameters H5Pset_shuffle and H5Pset_deflate declare; shuffle is pointless
  // (and absent from the bytes) for one-byte elements.
  std::vector<FilterDeclaration> f;
  if (element_size > 1) f.push_back({H5Z_FILTER_SHUFFLE, H5Z_FLAG_OPTIONAL, {}});
  f.push_back({H5Z_FILTER_DEFLATE, H5Z_FLAG_OPTIONAL, {static_cast<unsigned>(level_)}});
  return f;
}

void ShuffleDeflateCodec::encode(std::span<const std::byte> raw, std::size_t element_size,
                                 std::vector<std::byte>& scratch, std::vector<std::byte>& out) const {
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
                           static_cast<uLong>(raw.size()), level_);
  if (rc != Z_OK) throw std::runtime_error("zlib compress2 failed with code " + std::to_string(rc));
  out.resize(out_len);
}

void ShuffleDeflateCodec::decode(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
                                 std::vector<std::byte>& out) const {
  out.resize(raw_size);
  std::vector<std::byte> shuffled(raw_size);
  uLongf len = static_cast<uLongf>(raw_size);
  const int rc = uncompress(reinterpret_cast<Bytef*>(shuffled.data()), &len,
                            reinterpret_cast<const Bytef*>(encoded.data()), static_cast<uLong>(encoded.size()));
  if (rc != Z_OK || len != raw_size) throw std::runtime_error("zlib uncompress failed");
  if (element_size > 1) unshuffle(shuffled, element_size, out.data());
  else out = std::move(shuffled);
}

std::vector<std::pair<std::string, std::string>> ShuffleDeflateCodec::layout_fields() const {
  return {{"compression", "\"shuffle+deflate\""}, {"deflate_level", std::to_string(level_)}};
}

}  // namespace eqsweep
