#include "engine/chunk_codec.hpp"

#include <mutex>

#include "engine/codecs/blosc.hpp"
#include "engine/codecs/none.hpp"
#include "engine/codecs/shuffle_deflate.hpp"
#include "engine/codecs/zstd.hpp"

namespace eqsweep {

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::none: return "none";
    case Compression::deflate: return "deflate";
    case Compression::zstd: return "zstd";
    case Compression::blosc: return "blosc";
  }
  return "";
}

std::string_view blosc_compressor_name(BloscCompressor c) {
  switch (c) {
    case BloscCompressor::lz4: return "lz4";
    case BloscCompressor::lz4hc: return "lz4hc";
    case BloscCompressor::zstd: return "zstd";
    case BloscCompressor::zlib: return "zlib";
  }
  return "";
}

std::string_view blosc_shuffle_name(BloscShuffle s) {
  switch (s) {
    case BloscShuffle::none: return "noshuffle";
    case BloscShuffle::byte: return "shuffle";
    case BloscShuffle::bit: return "bitshuffle";
  }
  return "";
}

std::shared_ptr<const ChunkCodec> make_codec(const ChunkEncoding& encoding) {
  switch (encoding.compression) {
    case Compression::deflate: return std::make_shared<ShuffleDeflateCodec>(encoding.level);
    case Compression::zstd: return std::make_shared<ShuffleZstdCodec>(encoding.level);
    case Compression::blosc:
      return std::make_shared<BloscCodec>(encoding.blosc_compressor, encoding.blosc_shuffle, encoding.level);
    case Compression::none: break;
  }
  return std::make_shared<NoneCodec>();
}

void register_codec_filters() {
  static std::once_flag once;
  std::call_once(once, [] {
    register_blosc_filter();
    register_zstd_filter();
  });
}

std::string reader_requirements(Compression compression) {
  switch (compression) {
    case Compression::none:
    case Compression::deflate: return "any HDF5 reader (built-in filters only)";
    case Compression::blosc:
      return "HDF5 filter 32001 (Blosc): Python `import hdf5plugin` (Debian python3-hdf5plugin); "
             "h5dump and C readers: Debian hdf5-filter-plugin-blosc-serial";
    case Compression::zstd:
      return "HDF5 filter 32015 (Zstd): Python `import hdf5plugin` (its PyPI wheels; Debian 12's package has no "
             "Zstd) or eqsweep's libH5Zzstd_eqsweep.so on HDF5_PLUGIN_PATH";
  }
  return "";
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
