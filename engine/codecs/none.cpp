#include "engine/codecs/none.hpp"

#include <cstring>
#include <stdexcept>

namespace eqsweep {

void NoneCodec::encode(std::span<const std::byte> raw, std::size_t, std::vector<std::byte>&,
                       std::vector<std::byte>& out) const {
  out.assign(raw.begin(), raw.end());
}

void NoneCodec::decode(std::span<const std::byte> encoded, std::size_t, std::size_t raw_size,
                       std::vector<std::byte>& out) const {
  if (encoded.size() != raw_size) throw std::runtime_error("raw chunk has the wrong size");
  out.resize(raw_size);
  std::memcpy(out.data(), encoded.data(), raw_size);
}

}  // namespace eqsweep
