#pragma once
// HDF5's shuffle filter (H5Z_FILTER_SHUFFLE): byte b of element i goes to position b * n + i.
// Shared by the codecs that declare shuffle in front of a byte-stream compressor.

#include <cstddef>
#include <span>
#include <vector>

namespace eqsweep {

void shuffle_bytes(std::span<const std::byte> in, std::size_t element_size, std::byte* out);
void unshuffle_bytes(std::span<const std::byte> in, std::size_t element_size, std::byte* out);

// What a shuffle-then-compress codec compresses: `raw` itself for one-byte elements (shuffle
// leaves them as they are), else `raw` shuffled into `scratch`.
std::span<const std::byte> shuffled_input(std::span<const std::byte> raw, std::size_t element_size,
                                          std::vector<std::byte>& scratch);

}  // namespace eqsweep
