#include "engine/echo_value.hpp"

#include <fmt/format.h>

namespace eqsweep {

std::string echo_value(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back off continuation bytes (10xxxxxx) so that the kept part is whole characters.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("{}... ({} bytes)", text.substr(0, cut), text.size());
}

}  // namespace eqsweep
