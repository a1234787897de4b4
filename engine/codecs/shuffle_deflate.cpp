#include "engine/codecs/shuffle_deflate.hpp"

#include <array>
#include <memory>
#include <stdexcept>
#include <string>

#include <hdf5.h>
#include <libdeflate.h>

#include "engine/codecs/shuffle.hpp"

namespace eqsweep {

namespace {

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
struct DecompressorDeleter {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

// libdeflate's (de)compressors are not thread-safe and cost an allocation each; every worker
// thread keeps its own, one per level.
libdeflate_compressor* compressor(int level) {
  thread_local std::array<std::unique_ptr<libdeflate_compressor, CompressorDeleter>, 13> by_level;
  auto& c = by_level.at(static_cast<std::size_t>(level));
  if (!c) c.reset(libdeflate_alloc_compressor(level));
  if (!c) throw std::runtime_error("libdeflate: cannot allocate a compressor of level " + std::to_string(level));
  return c.get();
}

libdeflate_decompressor* decompressor() {
  thread_local std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> d(libdeflate_alloc_decompressor());
  if (!d) throw std::runtime_error("libdeflate: cannot allocate a decompressor");
  return d.get();
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
  const std::byte* source = shuffled_input(raw, element_size, scratch).data();
  libdeflate_compressor* c = compressor(level_);
  out.resize(libdeflate_zlib_compress_bound(c, raw.size()));
  // The zlib stream format (RFC 1950) that HDF5's deflate filter inflates.
  const std::size_t n = libdeflate_zlib_compress(c, source, raw.size(), out.data(), out.size());
  if (n == 0) throw std::runtime_error("libdeflate: zlib compression failed");
  out.resize(n);
}

void ShuffleDeflateCodec::decode(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
                                 std::vector<std::byte>& out) const {
  std::vector<std::byte> inflated(raw_size);
  std::size_t actual = 0;
  const libdeflate_result rc =
      libdeflate_zlib_decompress(decompressor(), encoded.data(), encoded.size(), inflated.data(), raw_size, &actual);
  if (rc != LIBDEFLATE_SUCCESS || actual != raw_size) throw std::runtime_error("deflate chunk does not decode");
  if (element_size > 1) {
    out.resize(raw_size);
    unshuffle_bytes(inflated, element_size, out.data());
  } else {
    out = std::move(inflated);
  }
}

std::vector<std::pair<std::string, std::string>> ShuffleDeflateCodec::layout_fields() const {
  return {{"compression", "\"shuffle+deflate\""}, {"deflate_level", std::to_string(level_)}};
}

}  // namespace eqsweep
