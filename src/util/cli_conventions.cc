// Edit distance for suggestions, and the colour decision.
#include "util/cli_conventions.h"

#include <algorithm>

namespace mlops {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows: the transposition case looks two rows back.
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
    before.swap(prev);
    prev.swap(row);
  }
  return prev[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Flags are compared without their dashes: "-format" and "--fromat" are typos of "--format".
  auto bare = [](std::string_view s) {
    while (s.starts_with('-')) s.remove_prefix(1);
    return s;
  };
  std::string_view w = bare(word);
  if (w.empty()) return std::nullopt;
  size_t limit = std::min<size_t>(3, std::max<size_t>(1, w.size() / 3));
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(w, bare(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

bool colour_enabled(std::string_view flag, bool tty, const char* no_color, const char* force_color) {
  if (flag == "always") return true;
  if (flag == "never") return false;
  if (no_color && *no_color) return false;
  if (force_color && *force_color) return true;
  return tty;
}

}  // namespace mlops
