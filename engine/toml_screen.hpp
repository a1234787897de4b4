#pragma once
// A check of TOML text before toml++ reads it (issue 15, item 10). Debian 12's toml++ 3.3.0
// reaches TOML_UNREACHABLE (undefined behaviour) when its whitespace test meets a code point in
// U+00A1..U+0499, U+2D8E..U+3187 (except U+3000) or U+FB26..U+FEFE outside a comment: a fuzzer
// found it with two bytes, "\xcc\xaa" (U+032A), and again, in a network file, with U+FEBF. Later
// toml++ releases fix the table; until Debian ships one, the
// engine refuses such characters outside comments (inside a string a \uXXXX escape says the same
// thing safely) and refuses text that is not UTF-8, each with its line and column.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace eqsweep {

struct TomlScreenFinding {
  std::size_t line = 0, column = 0;  // 1-based; the column counts code points
  std::string message;
};

// The first problem in `text`, or nothing when toml++ may read it.
std::optional<TomlScreenFinding> screen_toml_text(std::string_view text);

}  // namespace eqsweep
