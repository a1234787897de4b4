#include "engine/codecs/blosc.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <blosc.h>
#include <hdf5.h>
#include <nlohmann/json.hpp>

namespace eqsweep {

namespace {

// The revision of the filter's cd_values layout that hdf5-blosc writes (FILTER_BLOSC_VERSION).
constexpr unsigned kFilterRevision = 2;

int compressor_code(BloscCompressor c) {
  switch (c) {
    case BloscCompressor::lz4: return BLOSC_LZ4;
    case BloscCompressor::lz4hc: return BLOSC_LZ4HC;
    case BloscCompressor::zstd: return BLOSC_ZSTD;
    case BloscCompressor::zlib: return BLOSC_ZLIB;
  }
  return BLOSC_LZ4;
}

int shuffle_code(BloscShuffle s) {
  switch (s) {
    case BloscShuffle::none: return BLOSC_NOSHUFFLE;
    case BloscShuffle::byte: return BLOSC_SHUFFLE;
    case BloscShuffle::bit: return BLOSC_BITSHUFFLE;
  }
  return BLOSC_SHUFFLE;
}

// Blosc handles type sizes up to 255 bytes; hdf5-blosc stores larger ones as 1.
std::size_t blosc_typesize(std::size_t element_size) { return element_size > BLOSC_MAX_TYPESIZE ? 1 : element_size; }

// Compresses with the context API (thread-safe, no global state) on one internal thread, so the
// bytes depend only on the input and the parameters. The destination has room for Blosc's
// header, so every chunk is a Blosc frame (stored uncompressed inside it when it does not shrink).
std::size_t compress(int level, int shuffle, std::size_t typesize, const void* src, std::size_t n, void* dest,
                     std::size_t dest_size, const char* compname) {
  const int rc = blosc_compress_ctx(level, shuffle, typesize, n, src, dest, dest_size, compname, 0, 1);
  return rc > 0 ? static_cast<std::size_t>(rc) : 0;
}

// The size a Blosc frame decodes to, or 0 when the bytes are no valid frame.
std::size_t frame_size(const void* src, std::size_t cbytes) {
  std::size_t nbytes = 0;
  if (cbytes < BLOSC_MIN_HEADER_LENGTH || blosc_cbuffer_validate(src, cbytes, &nbytes) != 0) return 0;
  return nbytes;
}

// Filter 32001 in HDF5's pipeline: encodes from the cd_values (for datasets HDF5 writes itself)
// and decodes any Blosc frame. Returns 0 on failure, leaving *buf untouched.
size_t blosc_hdf5_filter(unsigned flags, size_t cd_nelmts, const unsigned cd_values[], size_t nbytes,
                         size_t* buf_size, void** buf) {
  if (flags & H5Z_FLAG_REVERSE) {
    const std::size_t size = frame_size(*buf, nbytes);
    if (size == 0) return 0;
    void* out = H5allocate_memory(size, false);
    if (!out) return 0;
    if (blosc_decompress_ctx(*buf, out, size, 1) != static_cast<int>(size)) {
      H5free_memory(out);
      return 0;
    }
    H5free_memory(*buf);
    *buf = out;
    *buf_size = size;
    return size;
  }
  const std::size_t typesize = cd_nelmts > 2 ? std::max(1u, cd_values[2]) : 1;
  const int level = cd_nelmts > 4 ? static_cast<int>(cd_values[4]) : 5;
  const int shuffle = cd_nelmts > 5 ? static_cast<int>(cd_values[5]) : BLOSC_SHUFFLE;
  const char* compname = BLOSC_BLOSCLZ_COMPNAME;
  if (cd_nelmts > 6 && blosc_compcode_to_compname(static_cast<int>(cd_values[6]), &compname) < 0) return 0;
  const std::size_t dest_size = nbytes + BLOSC_MAX_OVERHEAD;
  void* out = H5allocate_memory(dest_size, false);
  if (!out) return 0;
  const std::size_t n = compress(level, shuffle, typesize, *buf, nbytes, out, dest_size, compname);
  if (n == 0) {
    H5free_memory(out);
    return 0;
  }
  H5free_memory(*buf);
  *buf = out;
  *buf_size = dest_size;
  return n;
}

// As hdf5-blosc's set_local: slots 0-3 are the filter revision, Blosc's format version, the type
// size and the chunk's size in bytes, worked out from the dataset; slots 4-6 stay as declared.
herr_t blosc_set_local(hid_t dcpl, hid_t type, hid_t) {
  unsigned flags = 0;
  std::size_t count = 8;
  unsigned values[8] = {};
  if (H5Pget_filter_by_id2(dcpl, kBloscFilterId, &flags, &count, values, 0, nullptr, nullptr) < 0) return -1;
  count = std::max<std::size_t>(count, 4);
  hsize_t dims[32];
  const int rank = H5Pget_chunk(dcpl, 32, dims);
  if (rank < 0) return -1;
  const std::size_t typesize = H5Tget_size(type);
  if (typesize == 0) return -1;
  std::size_t chunk_bytes = typesize;
  for (int d = 0; d < rank; ++d) chunk_bytes *= dims[d];
  values[0] = kFilterRevision;
  values[1] = BLOSC_VERSION_FORMAT;
  values[2] = static_cast<unsigned>(blosc_typesize(typesize));
  values[3] = static_cast<unsigned>(chunk_bytes);
  return H5Pmodify_filter(dcpl, kBloscFilterId, flags, count, values);
}

const H5Z_class2_t kBloscClass = {
    H5Z_CLASS_T_VERS, static_cast<H5Z_filter_t>(kBloscFilterId), 1, 1, "blosc", nullptr, blosc_set_local,
    blosc_hdf5_filter,
};

}  // namespace

std::vector<FilterDeclaration> BloscCodec::filters(std::size_t element_size) const {
  // Slot 3 (the chunk's bytes) is filled in by the filter's set_local when the dataset is created.
  return {{kBloscFilterId,
           H5Z_FLAG_OPTIONAL,
           {kFilterRevision, BLOSC_VERSION_FORMAT, static_cast<unsigned>(blosc_typesize(element_size)), 0,
            static_cast<unsigned>(level_), static_cast<unsigned>(shuffle_code(shuffle_)),
            static_cast<unsigned>(compressor_code(compressor_))}}};
}

void BloscCodec::encode(std::span<const std::byte> raw, std::size_t element_size, std::vector<std::byte>&,
                        std::vector<std::byte>& out) const {
  if (raw.size() > BLOSC_MAX_BUFFERSIZE) throw std::runtime_error("blosc: chunk too large");
  out.resize(raw.size() + BLOSC_MAX_OVERHEAD);
  const std::size_t n = compress(level_, shuffle_code(shuffle_), blosc_typesize(element_size), raw.data(), raw.size(),
                                 out.data(), out.size(), std::string(blosc_compressor_name(compressor_)).c_str());
  if (n == 0) throw std::runtime_error("blosc: compression failed");
  out.resize(n);
}

void BloscCodec::decode(std::span<const std::byte> encoded, std::size_t, std::size_t raw_size,
                        std::vector<std::byte>& out) const {
  if (frame_size(encoded.data(), encoded.size()) != raw_size)
    throw std::runtime_error("blosc chunk does not decode to the chunk size");
  out.resize(raw_size);
  if (blosc_decompress_ctx(encoded.data(), out.data(), raw_size, 1) != static_cast<int>(raw_size))
    throw std::runtime_error("blosc chunk does not decode");
}

std::vector<std::pair<std::string, std::string>> BloscCodec::layout_fields() const {
  auto quoted = [](std::string_view s) { return nlohmann::json(std::string(s)).dump(); };
  return {{"compression", quoted("blosc")},
          {"blosc_codec", quoted(blosc_compressor_name(compressor_))},
          {"blosc_shuffle", quoted(blosc_shuffle_name(shuffle_))},
          {"blosc_level", std::to_string(level_)},
          {"reader_needs", quoted(reader_requirements(Compression::blosc))}};
}

void register_blosc_filter() {
  if (H5Zregister(&kBloscClass) < 0) throw std::runtime_error("cannot register the HDF5 Blosc filter");
}

}  // namespace eqsweep
