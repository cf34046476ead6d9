// TOML nesting pre-check: a small state machine over keys, headers, strings and brackets.
#include "util/toml_guard.h"

#include <vector>

namespace mlops {
namespace {

// Index just past the string starting at `i` (a quote), or text.size() when it never closes.
size_t skip_string(std::string_view text, size_t i) {
  const char q = text[i];
  const bool triple = text.substr(i, 3) == std::string_view(q == '"' ? "\"\"\"" : "'''");
  size_t j = i + (triple ? 3 : 1);
  while (j < text.size()) {
    char c = text[j];
    if (q == '"' && c == '\\') {
      j += 2;
      continue;
    }
    if (!triple && c == '\n') return j;  // unterminated: the parser reports it
    if (c == q && (!triple || text.substr(j, 3) == text.substr(i, 3))) {
      // A triple-quoted string may end with up to two more quotes of its own ("""a"""").
      j += triple ? 3 : 1;
      for (int extra = 0; triple && extra < 2 && j < text.size() && text[j] == q; ++extra) ++j;
      return j;
    }
    ++j;
  }
  return j;
}

struct Open {
  char kind;  // '[' or '{'
  int depth;  // depth of the container itself
};

}  // namespace

std::optional<TomlGuardError> check_toml_depth(std::string_view text, int max_depth) {
  int line = 1;
  auto fail = [&]() {
    return TomlGuardError{line,
                          "TOML nested deeper than " + std::to_string(max_depth) + " levels; not parsed"};
  };
  int header = 0;          // segments of the current [table] header
  std::vector<Open> open;  // open arrays and inline tables, at most max_depth
  bool key = true;         // reading a key (else a value)
  bool line_start = true;  // only blanks so far on this line
  int dots = 0;            // dots of the key being read
  int value_depth = 0;     // depth of the value after the last '='
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = true;
      if (open.empty()) {
        key = true;
        dots = 0;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    const bool was_line_start = line_start;
    line_start = false;
    if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      size_t end = skip_string(text, i);
      for (size_t k = i; k < end && k < text.size(); ++k)
        if (text[k] == '\n') ++line;
      i = end - 1;
      continue;
    }
    if (key && open.empty() && was_line_start && c == '[') {
      // A table header: [a.b.c] or [[a.b.c]].
      int segments = 1;
      size_t j = i + 1;
      if (j < text.size() && text[j] == '[') ++j;
      for (; j < text.size() && text[j] != ']' && text[j] != '\n'; ++j) {
        if (text[j] == '"' || text[j] == '\'') {
          j = skip_string(text, j) - 1;
        } else if (text[j] == '.' && ++segments > max_depth) {
          return fail();
        }
      }
      header = segments;
      while (j < text.size() && text[j] == ']') ++j;
      i = j - 1;
      continue;
    }
    const int base = open.empty() ? header : open.back().depth;
    if (key) {
      if (c == '.') {
        if (base + ++dots + 1 > max_depth) return fail();
      } else if (c == '=') {
        key = false;
        value_depth = base + dots + 1;
        if (value_depth > max_depth) return fail();
      } else if (c == '}' && !open.empty()) {
        open.pop_back();  // an empty inline table, or one ending after a comma
        key = false;
      }
      continue;
    }
    if (c == '[' || c == '{') {
      const int depth = !open.empty() && open.back().kind == '[' ? open.back().depth + 1 : value_depth;
      if (depth > max_depth) return fail();
      open.push_back({c, depth});
      if (c == '{') {
        key = true;
        dots = 0;
      }
    } else if (c == ']' || c == '}') {
      if (!open.empty()) open.pop_back();
    } else if (c == ',' && !open.empty() && open.back().kind == '{') {
      key = true;
      dots = 0;
    }
  }
  return std::nullopt;
}

}  // namespace mlops
