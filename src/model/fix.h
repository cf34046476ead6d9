// A fix: the edits that resolve a finding, and whether applying them can change behaviour.
#pragma once
#include <compare>
#include <cstddef>
#include <string>
#include <vector>

#include "model/location.h"

namespace mlops {

// Safe fixes keep the program's behaviour (a pin to the version already resolved); unsafe ones
// may change it (a seed changes the split) and are applied only with --unsafe-fixes.
enum class Applicability { Safe, Unsafe };

inline const char* to_string(Applicability a) {
  return a == Applicability::Safe ? "safe" : "unsafe";
}

// Replaces bytes [start, end) of a file with `replacement` (an insertion when start == end).
// Offsets are into the file's raw bytes as read (a notebook's JSON text, not a cell's source).
struct TextEdit {
  std::string path;  // relative to the scanned root, like Location::path
  size_t start = 0;
  size_t end = 0;
  std::string replacement;
  // 1-based line and byte column of start and end, for reports (filled by make_edit).
  int start_line = 0, start_column = 0, end_line = 0, end_column = 0;

  auto operator<=>(const TextEdit&) const = default;
};

struct Fix {
  Applicability applicability = Applicability::Safe;
  std::string message;          // what applying it does, e.g. "pin numpy to 1.26.4 (from uv.lock)"
  std::vector<TextEdit> edits;  // sorted by path, then start; never overlapping

  auto operator<=>(const Fix&) const = default;
};

}  // namespace mlops
