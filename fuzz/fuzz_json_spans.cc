// Fuzzes the JSON span scanner the notebook fixer edits by (fix/json_spans): it must agree with
// nlohmann on what is JSON (short of its depth limit), and every span it reports must lie inside
// the input and inside its parent's span.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fix/json_spans.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const mlops::JsonScan scan = mlops::scan_json(text, 4);
  if (!scan.ok()) {
    // What nlohmann accepts is refused only for its depth. nlohmann's lexer takes a NUL byte for
    // the end of input ("9\0garbage" is accepted), so inputs holding one are not compared.
    if (text.find('\0') == std::string_view::npos && nlohmann::json::accept(text) &&
        scan.error.find("nested deeper") == std::string::npos)
      std::abort();
    return 0;
  }
  for (const auto& n : scan.nodes) {
    if (n.start >= n.end || n.end > size) std::abort();
    if (n.parent >= 0) {
      const auto& p = scan.nodes[static_cast<size_t>(n.parent)];
      if (n.start <= p.start || n.end >= p.end || n.depth != p.depth + 1) std::abort();
    }
    if (n.kind == mlops::JsonKind::String &&
        !mlops::decode_json_string(text.substr(n.start, n.end - n.start)))
      std::abort();
  }
  return 0;
}
