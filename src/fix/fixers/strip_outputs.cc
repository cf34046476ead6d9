// strip-outputs (NBK002, safe): in the notebook a finding names, every code cell's "outputs"
// becomes [] and its execution count null, as `jupyter nbconvert --clear-output` would leave
// them. Outputs are derived data and the code is untouched, so the fix is safe. The edits replace
// only those values' bytes: indentation, key order, line breaks, a BOM and escapes stay as the
// file has them. Cell metadata (such as "execution" timings) is left alone.
#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fix/fixer.h"
#include "fix/json_spans.h"

namespace mlops {
namespace {

// The depth of cells[i].outputs (nbformat 4) and of worksheets[w].cells[i].outputs (nbformat 3):
// nothing deeper is recorded (a notebook's sources and outputs would cost a node per line).
constexpr int kRecordDepth4 = 3;
constexpr int kRecordDepth3 = 5;

// The decoded value of the last string member `key` of `node` (JSON parsers keep the last).
std::optional<std::string> last_string(const JsonScan& scan, std::string_view text, size_t node,
                                       std::string_view key) {
  auto members = json_members(scan, node, key);
  if (members.empty()) return std::nullopt;
  const JsonNode& v = scan.nodes[members.back()];
  if (v.kind != JsonKind::String) return std::nullopt;
  return decode_json_string(text.substr(v.start, v.end - v.start));
}

// The cell lists of the notebook: "cells" (nbformat 4), else each worksheet's "cells"
// (nbformat 3); nullopt when one is not a list (not a notebook this fixer understands).
std::optional<std::vector<size_t>> cell_lists(const JsonScan& scan, bool& nbformat3) {
  std::vector<size_t> lists = json_members(scan, 0, "cells");
  nbformat3 = lists.empty();
  if (nbformat3) {
    for (size_t ws : json_members(scan, 0, "worksheets")) {
      if (scan.nodes[ws].kind != JsonKind::Array) return std::nullopt;
      for (size_t sheet : json_children(scan, ws))
        for (size_t cells : json_members(scan, sheet, "cells")) lists.push_back(cells);
    }
  }
  for (size_t l : lists)
    if (scan.nodes[l].kind != JsonKind::Array) return std::nullopt;
  return lists;
}

TextEdit edit(const std::string& path, const JsonNode& value, std::string replacement) {
  TextEdit e;
  e.path = path;
  e.start = value.start;
  e.end = value.end;
  e.replacement = std::move(replacement);
  return e;
}

// Lines and columns of sorted edits in one pass over the text (make_edit counts from the start
// for each edit: a notebook of thousands of cells would be quadratic).
void fill_positions(std::string_view text, std::vector<TextEdit>& edits) {
  struct Mark {
    size_t offset;
    int* line;
    int* column;
  };
  std::vector<Mark> marks;
  for (auto& e : edits) {
    marks.push_back({e.start, &e.start_line, &e.start_column});
    marks.push_back({e.end, &e.end_line, &e.end_column});
  }
  std::stable_sort(marks.begin(), marks.end(),
                   [](const Mark& a, const Mark& b) { return a.offset < b.offset; });
  int line = 1;
  size_t at = 0, line_start = 0;
  for (const Mark& m : marks) {
    // From one newline to the next (memchr): outputs are long lines of base64.
    const size_t stop = std::min(m.offset, text.size());
    while (at < stop) {
      const void* nl = std::memchr(text.data() + at, '\n', stop - at);
      if (nl == nullptr) {
        at = stop;
        break;
      }
      at = static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1;
      ++line;
      line_start = at;
    }
    *m.line = line;
    *m.column = static_cast<int>(m.offset - line_start) + 1;
  }
}

}  // namespace

std::optional<Fix> fix_strip_outputs(const FixContext& context, const Finding& finding) {
  const std::string& path = finding.where.path;
  if (!path.ends_with(".ipynb")) return std::nullopt;
  const std::string* bytes = context.read(path);
  if (!bytes) return std::nullopt;
  // Invalid or too deeply nested JSON: the analyser reports it; nothing to fix here.
  JsonScan scan = scan_json(*bytes, kRecordDepth4);
  if (!scan.ok() || scan.nodes.front().kind != JsonKind::Object) return std::nullopt;
  if (json_members(scan, 0, "cells").empty() && !json_members(scan, 0, "worksheets").empty())
    scan = scan_json(*bytes, kRecordDepth3);
  bool nbformat3 = false;
  auto lists = cell_lists(scan, nbformat3);
  if (!lists) return std::nullopt;
  const std::string_view count_key = nbformat3 ? "prompt_number" : "execution_count";

  Fix fix;
  fix.applicability = Applicability::Safe;
  size_t cells_stripped = 0, bytes_stripped = 0;
  for (size_t list : *lists) {
    for (size_t cell : json_children(scan, list)) {
      if (scan.nodes[cell].kind != JsonKind::Object) continue;
      if (last_string(scan, *bytes, cell, "cell_type") != "code") continue;
      bool stripped = false;
      for (size_t out : json_members(scan, cell, "outputs")) {
        const JsonNode& v = scan.nodes[out];
        if (v.kind != JsonKind::Array) return std::nullopt;  // not nbformat: leave it alone
        if (v.members == 0) continue;
        fix.edits.push_back(edit(path, v, "[]"));
        bytes_stripped += v.end - v.start;
        stripped = true;
      }
      for (size_t count : json_members(scan, cell, count_key)) {
        const JsonNode& v = scan.nodes[count];
        if (v.kind == JsonKind::Null) continue;
        if (v.kind != JsonKind::Number) return std::nullopt;
        fix.edits.push_back(edit(path, v, "null"));
      }
      cells_stripped += stripped;
    }
  }
  if (fix.edits.empty()) return std::nullopt;
  // A cell's count may come before or after its outputs.
  std::sort(fix.edits.begin(), fix.edits.end(),
            [](const TextEdit& a, const TextEdit& b) { return a.start < b.start; });
  fill_positions(*bytes, fix.edits);
  fix.message = "strip the outputs of " + std::to_string(cells_stripped) + " code cell" +
                (cells_stripped == 1 ? "" : "s") + " (" + std::to_string(bytes_stripped / 1024) +
                " KiB) and reset execution counts";
  return fix;
}

}  // namespace mlops
