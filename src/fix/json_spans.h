// A small JSON scanner that validates a document and reports where its values sit, as byte spans
// of the original text, so that fixers can edit JSON files (notebooks) in place and keep every
// other byte (indentation, key order, escapes, line breaks). nlohmann's parser gives no offsets.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/limits.h"

namespace mlops {

enum class JsonKind : uint8_t { Object, Array, String, Number, True, False, Null };

// One value of the document. Nodes form a tree through indexes into JsonScan::nodes.
struct JsonNode {
  JsonKind kind = JsonKind::Null;
  size_t start = 0;  // the value's bytes are [start, end) of the scanned text (BOM included)
  size_t end = 0;
  int depth = 0;           // 0 for the root value
  long parent = -1;        // -1 for the root
  long first_child = -1;   // containers: the first recorded member or element
  long next_sibling = -1;  // the next recorded member or element of the same container
  std::string key;         // members of an object: the decoded name
  size_t index = 0;        // position among the container's members or elements
  size_t members = 0;      // containers: how many members or elements, recorded or not
};

struct JsonScan {
  std::vector<JsonNode> nodes;  // document order (a parent before its children); [0] is the root
  std::string error;            // non-empty when the text is not one valid JSON value
  size_t error_offset = 0;      // where the scan stopped

  bool ok() const { return error.empty(); }
};

// Scans `text`: one JSON value (RFC 8259, strings valid UTF-8), optionally after a UTF-8 BOM,
// with whitespace around it. Records the values at depth <= `record_depth` (deeper ones are
// validated, not recorded: a notebook's outputs need no nodes). Containers nested deeper than
// `max_depth` (the root counts as 1) make the scan fail. Linear in the size of `text`; no
// recursion. On failure `nodes` is cleared.
JsonScan scan_json(std::string_view text, int record_depth, int max_depth = kMaxJsonDepth);

// The decoded value of the string token `token` (quotes included, as a String node's span);
// nullopt when it is not a valid JSON string.
std::optional<std::string> decode_json_string(std::string_view token);

// The recorded members of the object node `node` named `key` (a repeated name gives several, in
// document order; JSON parsers keep the last).
std::vector<size_t> json_members(const JsonScan& scan, size_t node, std::string_view key);
// The recorded children of the container node `node`, in document order.
std::vector<size_t> json_children(const JsonScan& scan, size_t node);

}  // namespace mlops
