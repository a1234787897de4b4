#pragma once
// Reading a user-named input file (a spec, a network file) safely: only a regular file, and only
// up to a size cap, so that /dev/zero, a FIFO or a directory is refused at once with a message
// instead of blocking or reading until memory runs out.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace eqsweep {

// Spec and network files are hand-written TOML: a few kB. 16 MiB leaves room for generated ones.
inline constexpr std::uintmax_t kMaxInputFileBytes = std::uintmax_t{16} << 20;

class InputFileError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The whole file. Throws InputFileError whose message starts with what is wrong, without the
// path (callers name the file their own way), e.g. "is a FIFO (named pipe), not a regular file".
std::string read_input_file(const std::string& path, std::string_view example,
                            std::uintmax_t max_bytes = kMaxInputFileBytes);

}  // namespace eqsweep
