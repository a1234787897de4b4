#include "engine/codecs/shuffle.hpp"

#include <cstring>

namespace eqsweep {

namespace {

// The element size as a compile-time constant lets the compiler unroll the inner loop.
template <std::size_t E>
void shuffle_fixed(const std::byte* in, std::size_t n, std::byte* out) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < E; ++b) out[b * n + i] = in[i * E + b];
}

template <std::size_t E>
void unshuffle_fixed(const std::byte* in, std::size_t n, std::byte* out) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < E; ++b) out[i * E + b] = in[b * n + i];
}

}  // namespace

void shuffle_bytes(std::span<const std::byte> in, std::size_t elem, std::byte* out) {
  const std::size_t n = in.size() / elem;
  switch (elem) {
    case 8: shuffle_fixed<8>(in.data(), n, out); break;
    case 4: shuffle_fixed<4>(in.data(), n, out); break;
    default:
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t b = 0; b < elem; ++b) out[b * n + i] = in[i * elem + b];
  }
  // HDF5 leaves the bytes past the last whole element in place.
  if (const std::size_t tail = in.size() - n * elem; tail > 0) std::memcpy(out + n * elem, in.data() + n * elem, tail);
}

void unshuffle_bytes(std::span<const std::byte> in, std::size_t elem, std::byte* out) {
  const std::size_t n = in.size() / elem;
  switch (elem) {
    case 8: unshuffle_fixed<8>(in.data(), n, out); break;
    case 4: unshuffle_fixed<4>(in.data(), n, out); break;
    default:
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t b = 0; b < elem; ++b) out[i * elem + b] = in[b * n + i];
  }
  if (const std::size_t tail = in.size() - n * elem; tail > 0) std::memcpy(out + n * elem, in.data() + n * elem, tail);
}

std::span<const std::byte> shuffled_input(std::span<const std::byte> raw, std::size_t element_size,
                                          std::vector<std::byte>& scratch) {
  if (element_size <= 1) return raw;
  scratch.resize(raw.size());
  shuffle_bytes(raw, element_size, scratch.data());
  return scratch;
}

}  // namespace eqsweep
