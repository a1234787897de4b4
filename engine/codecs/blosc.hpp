#pragma once
// Blosc (HDF5 registered filter 32001): blocked, shuffled chunks compressed by LZ4, LZ4HC, Zstd
// or zlib, several times faster than deflate. The cd_values follow the standard hdf5-blosc
// filter (and Python's hdf5plugin): [filter revision 2, Blosc format version, type size, chunk
// bytes, level, shuffle (0 none, 1 byte, 2 bit), compressor code]. Readers need the Blosc filter:
// Debian's hdf5-filter-plugin-blosc-serial (h5dump, C) or python3-hdf5plugin (h5py, xarray).

#include "engine/chunk_codec.hpp"

namespace eqsweep {

inline constexpr unsigned kBloscFilterId = 32001;

class BloscCodec final : public ChunkCodec {
 public:
  BloscCodec(BloscCompressor compressor, BloscShuffle shuffle, int level)
      : compressor_(compressor), shuffle_(shuffle), level_(level) {}
  std::vector<FilterDeclaration> filters(std::size_t element_size) const override;
  void encode(std::span<const std::byte> raw, std::size_t element_size, std::vector<std::byte>& scratch,
              std::vector<std::byte>& out) const override;
  void decode(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
              std::vector<std::byte>& out) const override;
  std::vector<std::pair<std::string, std::string>> layout_fields() const override;

 private:
  BloscCompressor compressor_;
  BloscShuffle shuffle_;
  int level_;
};

// Registers filter 32001 with HDF5 in this process (see register_codec_filters).
void register_blosc_filter();

}  // namespace eqsweep
