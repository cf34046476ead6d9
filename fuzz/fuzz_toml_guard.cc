// Fuzzes the TOML nesting pre-check, and checks its promise: text it lets through parses (or
// fails to parse) without crashing toml++.
#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/toml_guard.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (mlops::check_toml_depth(text)) return 0;
  try {
    toml::table t = toml::parse(text);
    (void)t;
  } catch (const toml::parse_error&) {
  }
  return 0;
}
