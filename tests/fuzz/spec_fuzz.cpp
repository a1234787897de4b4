// libFuzzer target: arbitrary bytes as a sweep spec. parse_spec must return a spec or throw
// SpecError; anything else (another exception, a crash, a sanitizer report) is a finding.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    eqsweep::parse_spec(text, "fuzz.toml", eqsweep::builtin_models());
  } catch (const eqsweep::SpecError&) {
  }
  return 0;
}
