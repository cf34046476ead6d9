// Building and applying text edits: offsets from lines and columns, line endings, and applying a
// sorted set of non-overlapping edits to a file's bytes.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/fix.h"

namespace mlops {

// The edit replacing [start, end) of `bytes` (the file at `path`), with its line/column filled.
TextEdit make_edit(const std::string& path, std::string_view bytes, size_t start, size_t end,
                   std::string replacement);

// The byte offset of 1-based (line, column) in `bytes`; nullopt when past the end. Column 0 is
// the line's start.
std::optional<size_t> offset_of(std::string_view bytes, int line, int column);
// Offsets of the start of the line holding `offset` and of its end (before its line break).
size_t line_start(std::string_view bytes, size_t offset);
size_t line_end(std::string_view bytes, size_t offset);
// "\r\n" when the file's first line break is CRLF, else "\n" (what inserted lines must use).
std::string_view line_break(std::string_view bytes);
// The leading spaces and tabs of the line holding `offset`.
std::string_view indentation(std::string_view bytes, size_t offset);

// Applies `edits` (sorted by start, non-overlapping, all for this file) to `bytes`.
std::string apply_edits(std::string_view bytes, const std::vector<TextEdit>& edits);

// Whether `fixed` still parses as the kind of file `path` names (Python, JSON/notebook, YAML,
// TOML); other files always do. `original` decides for Python: a file that did not parse before
// is only required not to get worse.
bool still_parses(const std::string& path, std::string_view original, std::string_view fixed);

}  // namespace mlops
