#pragma once
// Encodes a tile's chunk exactly as HDF5's shuffle+deflate pipeline would, so that workers do
// the compression in parallel and the writer thread only hands finished bytes to
// H5Dwrite_chunk. Any HDF5 reader decodes them with the stock filters.

#include <cstddef>
#include <span>
#include <vector>

namespace eqsweep {

struct ChunkEncoding {
  bool deflate = true;  // false: raw bytes, no filters
  int level = 4;
};

// Appends the encoded form of `raw` (elements of `element_size` bytes) to `out` (cleared first).
// `scratch` is reused between calls to avoid allocation.
void encode_chunk(std::span<const std::byte> raw, std::size_t element_size, const ChunkEncoding& encoding,
                  std::vector<std::byte>& scratch, std::vector<std::byte>& out);

// Inverse of encode_chunk (used to read chunks back in tests and tools).
void decode_chunk(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
                  const ChunkEncoding& encoding, std::vector<std::byte>& out);

}  // namespace eqsweep
