#include "engine/toml_screen.hpp"

#include <fmt/format.h>

namespace eqsweep {

namespace {

// The code points that toml++ 3.3.0's is_non_ascii_horizontal_whitespace does not handle
// (its generated table sends them to TOML_UNREACHABLE).
bool crashes_toml_whitespace_test(char32_t c) {
  // Its table splits U+00A0..U+FEFF into blocks of 0x3FA code points; blocks 0, 11 and 63 fall
  // through to the unreachable default except for U+00A0, U+3000 and U+FEFF.
  return (c >= 0xA1 && c <= 0x499) || (c >= 0x2D8E && c <= 0x3187 && c != 0x3000) || (c >= 0xFB26 && c <= 0xFEFE);
}

// Decodes the UTF-8 sequence at text[i]; 0 bytes used when it is not valid UTF-8 (overlong
// forms, surrogates and values above U+10FFFF included).
std::size_t decode(std::string_view text, std::size_t i, char32_t& out) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  std::size_t n = 0;
  char32_t c = 0, min = 0;
  if (b0 < 0x80) {
    out = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    n = 2, c = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, c = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, c = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  out = c;
  return n;
}

}  // namespace

std::optional<TomlScreenFinding> screen_toml_text(std::string_view text) {
  // Only comments need telling apart, and a '#' starts one only outside strings, so a small
  // lexer of TOML's four string forms is enough.
  enum class In { code, comment, basic, literal, multi_basic, multi_literal } in = In::code;
  std::size_t line = 1, column = 0;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t used = decode(text, i, c);
    ++column;
    if (used == 0)
      return TomlScreenFinding{line, column,
                               fmt::format("not UTF-8 text (byte 0x{:02X} at byte offset {}); TOML files must be UTF-8",
                                           static_cast<unsigned char>(text[i]), i)};
    if (in != In::comment && crashes_toml_whitespace_test(c))
      return TomlScreenFinding{
          line, column,
          fmt::format("character U+{:04X} is accepted only in comments (Debian 12's TOML parser, toml++ 3.3.0, "
                      "misreads U+00A1-U+0499, U+2D8E-U+3187 and U+FB26-U+FEFE elsewhere); inside a string write it as \\u{:04X}",
                      static_cast<unsigned>(c), static_cast<unsigned>(c))};
    const auto next_is = [&](std::string_view s) { return text.substr(i + 1, s.size()) == s; };
    std::size_t advance = used;
    switch (in) {
      case In::code:
        if (c == '#') in = In::comment;
        else if (c == '"' && next_is("\"\"")) in = In::multi_basic, advance = 3;
        else if (c == '"') in = In::basic;
        else if (c == '\'' && next_is("''")) in = In::multi_literal, advance = 3;
        else if (c == '\'') in = In::literal;
        break;
      case In::comment:
        if (c == '\n') in = In::code;
        break;
      case In::basic:
      case In::multi_basic:
        if (escaped) escaped = false;
        else if (c == '\\') escaped = true;
        else if (in == In::basic && (c == '"' || c == '\n')) in = In::code;
        else if (in == In::multi_basic && c == '"' && next_is("\"\"")) in = In::code, advance = 3;
        break;
      case In::literal:
        if (c == '\'' || c == '\n') in = In::code;
        break;
      case In::multi_literal:
        if (c == '\'' && next_is("''")) in = In::code, advance = 3;
        break;
    }
    // A closing """ or ''' may be followed by up to two quotes that belong to the string; they
    // then open a string in this lexer, which only makes it stricter (never misses a comment).
    for (std::size_t k = 0; k < advance; ++k) {
      if (text[i + k] == '\n') {
        ++line;
        column = 0;
      }
    }
    if (advance > used) column += advance - used;
    i += advance;
  }
  return std::nullopt;
}

}  // namespace eqsweep
