// A bounded pre-check run before every toml::parse: toml++ recurses once per nesting level
// (dotted-key segments, table-header segments, nested arrays and inline tables), so text that
// nests too deep is refused before it can overflow the stack.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "util/limits.h"

namespace mlops {

struct TomlGuardError {
  int line = 0;         // 1-based line where the limit was crossed
  std::string message;  // "TOML nested deeper than N levels; not parsed"
};

// Nothing when `text` nests at most `max_depth` levels (or is not TOML enough to tell: the parser
// then reports it). One pass, constant memory beyond the open brackets (at most `max_depth`).
std::optional<TomlGuardError> check_toml_depth(std::string_view text, int max_depth = kMaxTomlDepth);

}  // namespace mlops
