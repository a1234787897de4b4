#include "engine/codecs/zstd.hpp"

#include <memory>
#include <stdexcept>
#include <string>

#include <hdf5.h>
#include <nlohmann/json.hpp>
#include <zstd.h>

#include "engine/codecs/shuffle.hpp"
#include "engine/codecs/zstd_filter.hpp"

namespace eqsweep {

namespace {

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// One context per worker thread, reused across chunks.
ZSTD_CCtx* compression_context() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxDeleter> c(ZSTD_createCCtx());
  if (!c) throw std::runtime_error("zstd: cannot create a compression context");
  return c.get();
}

ZSTD_DCtx* decompression_context() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxDeleter> d(ZSTD_createDCtx());
  if (!d) throw std::runtime_error("zstd: cannot create a decompression context");
  return d.get();
}

}  // namespace

std::vector<FilterDeclaration> ShuffleZstdCodec::filters(std::size_t element_size) const {
  std::vector<FilterDeclaration> f;
  if (element_size > 1) f.push_back({H5Z_FILTER_SHUFFLE, H5Z_FLAG_OPTIONAL, {}});
  f.push_back({kZstdFilterId, H5Z_FLAG_OPTIONAL, {static_cast<unsigned>(level_)}});
  return f;
}

void ShuffleZstdCodec::encode(std::span<const std::byte> raw, std::size_t element_size,
                              std::vector<std::byte>& scratch, std::vector<std::byte>& out) const {
  const std::byte* source = shuffled_input(raw, element_size, scratch).data();
  out.resize(ZSTD_compressBound(raw.size()));
  // One frame with its content size, as filter 32015 writes and reads it.
  const std::size_t n = ZSTD_compressCCtx(compression_context(), out.data(), out.size(), source, raw.size(), level_);
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
}

void ShuffleZstdCodec::decode(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
                              std::vector<std::byte>& out) const {
  if (ZSTD_getFrameContentSize(encoded.data(), encoded.size()) != raw_size)
    throw std::runtime_error("zstd chunk does not decode to the chunk size");
  std::vector<std::byte> plain(raw_size);
  const std::size_t n =
      ZSTD_decompressDCtx(decompression_context(), plain.data(), raw_size, encoded.data(), encoded.size());
  if (ZSTD_isError(n) || n != raw_size) throw std::runtime_error("zstd chunk does not decode");
  if (element_size > 1) {
    out.resize(raw_size);
    unshuffle_bytes(plain, element_size, out.data());
  } else {
    out = std::move(plain);
  }
}

std::vector<std::pair<std::string, std::string>> ShuffleZstdCodec::layout_fields() const {
  return {{"compression", "\"shuffle+zstd\""},
          {"zstd_level", std::to_string(level_)},
          {"reader_needs", nlohmann::json(reader_requirements(Compression::zstd)).dump()}};
}

void register_zstd_filter() {
  if (H5Zregister(eqsweep_zstd_filter_class()) < 0) throw std::runtime_error("cannot register the HDF5 Zstd filter");
}

}  // namespace eqsweep
