// libFuzzer target: arbitrary bytes as a model M network file. parse_network must return a
// network or throw std::invalid_argument; anything else is a finding.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "models/ma_sue/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    eqsweep::ma_sue::parse_network(text, "fuzz.toml");
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
