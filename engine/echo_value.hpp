#pragma once
// How an error message quotes what the user wrote: a 10 MB value must not come back whole in a
// message, so every echo of user text goes through here.

#include <cstddef>
#include <string>
#include <string_view>

namespace eqsweep {

inline constexpr std::size_t kEchoedBytes = 60;

// `text` itself when it has at most `max_bytes` bytes; otherwise its first bytes (cut at a UTF-8
// character boundary) followed by "... (N bytes)".
std::string echo_value(std::string_view text, std::size_t max_bytes = kEchoedBytes);

}  // namespace eqsweep
