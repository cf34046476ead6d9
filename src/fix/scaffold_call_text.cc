// Practice scaffolds: reading literal arguments (strings, paths built from them, dict keys,
// keyword lists) out of a call's one-line text, as the Python facts give it.
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fix/scaffold_parts.h"

namespace mlops::scaffold_detail {

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// A Python string literal starting at s[i] (with an optional prefix such as r, b, f, rb). On
// success `i` moves past it; `plain` is false for f-strings (their value is computed at run time)
// and triple-quoted strings.
std::optional<std::string> read_string(std::string_view s, size_t& i, bool& plain) {
  size_t j = i;
  plain = true;
  while (j < s.size() && j - i < 2 && std::isalpha(static_cast<unsigned char>(s[j]))) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[j])));
    if (c != 'r' && c != 'b' && c != 'f' && c != 'u') return std::nullopt;
    if (c == 'f') plain = false;
    ++j;
  }
  if (j >= s.size() || (s[j] != '"' && s[j] != '\'')) return std::nullopt;
  char q = s[j];
  bool triple = s.substr(j, 3) == std::string(3, q);
  // The call text has newlines turned into spaces: a triple-quoted value is not what the code says.
  if (triple) plain = false;
  size_t start = j + (triple ? 3 : 1);
  std::string value;
  for (size_t k = start; k < s.size(); ++k) {
    if (s[k] == '\\' && k + 1 < s.size()) {
      value += s.substr(k, 2);
      ++k;
      continue;
    }
    if (s[k] == q && (!triple || s.substr(k, 3) == std::string(3, q))) {
      i = k + (triple ? 3 : 1);
      return value;
    }
    value += s[k];
  }
  return std::nullopt;
}

void skip_space(std::string_view s, size_t& i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
}

// Where the arguments of the call in `text` start (just after its first '(' that follows the
// callee), or npos.
size_t arguments_start(std::string_view text) {
  size_t open = text.find('(');
  return open == std::string_view::npos ? open : open + 1;
}

namespace {

// A path built from literals at text[i]: `Path("data") / "x.csv"` (pathlib.Path too) or
// `os.path.join("data", "x.csv")`, joined with '/'.
std::optional<std::string> literal_path_expression(std::string_view text, size_t& i) {
  size_t j = i;
  bool join = false;
  for (std::string_view opener : {"os.path.join(", "pathlib.Path(", "Path("}) {
    if (text.substr(j, opener.size()) == opener) {
      join = opener == "os.path.join(";
      j += opener.size();
      break;
    }
    if (opener == "Path(") return std::nullopt;
  }
  std::string path;
  for (bool first = true;; first = false) {
    skip_space(text, j);
    if (!first) {
      if (j < text.size() && text[j] == ')') break;
      if (!join || j >= text.size() || text[j] != ',') return std::nullopt;
      ++j;
      skip_space(text, j);
    }
    bool plain = true;
    auto part = read_string(text, j, plain);
    if (!part || !plain) return std::nullopt;
    path += (path.empty() ? "" : "/") + *part;
  }
  ++j;  // ')'
  // `/ "part"` after a Path(...).
  for (;;) {
    size_t k = j;
    skip_space(text, k);
    if (join || k >= text.size() || text[k] != '/') break;
    ++k;
    skip_space(text, k);
    bool plain = true;
    auto part = read_string(text, k, plain);
    if (!part || !plain) return std::nullopt;
    path += "/" + *part;
    j = k;
  }
  i = j;
  return path;
}

}  // namespace

// The first positional argument when it is a plain string literal, or a path joined from them.
std::optional<std::string> first_string_argument(std::string_view text, size_t* after) {
  size_t i = arguments_start(text);
  if (i == std::string_view::npos) return std::nullopt;
  skip_space(text, i);
  bool plain = true;
  auto v = read_string(text, i, plain);
  if (!v) {
    if (!plain) return std::nullopt;
    v = literal_path_expression(text, i);
  }
  if (!v || !plain) return std::nullopt;
  if (after) *after = i;
  return v;
}

// The first positional argument when it is a bare name (`DATA_PATH`).
std::optional<std::string> first_name_argument(std::string_view text) {
  size_t i = arguments_start(text);
  if (i == std::string_view::npos) return std::nullopt;
  skip_space(text, i);
  size_t start = i;
  while (i < text.size() && is_ident_char(text[i])) ++i;
  if (i == start || std::isdigit(static_cast<unsigned char>(text[start]))) return std::nullopt;
  size_t end = i;
  skip_space(text, i);
  if (i >= text.size() || (text[i] != ',' && text[i] != ')')) return std::nullopt;
  return std::string(text.substr(start, end - start));
}

// The plain-string keys of a dict literal starting at text[i] ('{'), in order.
std::vector<std::string> dict_keys(std::string_view text, size_t i) {
  std::vector<std::string> keys;
  if (i >= text.size() || text[i] != '{') return keys;
  int depth = 0;
  bool expect_key = true;
  for (++i; i < text.size();) {
    char c = text[i];
    bool plain = true;
    size_t j = i;
    if (c == '"' || c == '\'' || std::isalpha(static_cast<unsigned char>(c))) {
      if (auto v = read_string(text, j, plain)) {
        if (depth == 0 && expect_key) {
          size_t k = j;
          skip_space(text, k);
          if (k < text.size() && text[k] == ':' && plain && !v->empty()) keys.push_back(*v);
        }
        if (depth == 0) expect_key = false;
        i = j;
        continue;
      }
      // A name, not a literal; or a string cut off where the call text was capped: move on.
      size_t start = i;
      while (i < text.size() && is_ident_char(text[i])) ++i;
      if (i == start) ++i;
      if (depth == 0) expect_key = false;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0) {
      expect_key = true;
    } else if (!std::isspace(static_cast<unsigned char>(c)) && depth == 0) {
      expect_key = false;
    }
    ++i;
  }
  return keys;
}

// The plain string literals in the list passed as `keyword=[...]`.
std::vector<std::string> list_keyword_strings(std::string_view text, std::string_view keyword) {
  std::vector<std::string> out;
  for (size_t at = text.find(keyword); at != std::string_view::npos; at = text.find(keyword, at + 1)) {
    if (at > 0 && is_ident_char(text[at - 1])) continue;
    size_t i = at + keyword.size();
    skip_space(text, i);
    if (i >= text.size() || text[i] != '=') continue;
    ++i;
    skip_space(text, i);
    if (i >= text.size() || (text[i] != '[' && text[i] != '(')) continue;
    char close = text[i] == '[' ? ']' : ')';
    for (++i; i < text.size() && text[i] != close;) {
      bool plain = true;
      if (auto v = read_string(text, i, plain)) {
        if (plain) out.push_back(*v);
        continue;
      }
      ++i;
    }
    break;
  }
  return out;
}

// True when `keyword=` in the call text is followed by a string literal (PyCall::literals gives
// strings by their contents, so "5" and 5 look the same there).
bool keyword_is_string(std::string_view text, std::string_view keyword) {
  for (size_t at = text.find(keyword); at != std::string_view::npos; at = text.find(keyword, at + 1)) {
    if (at > 0 && is_ident_char(text[at - 1])) continue;
    size_t i = at + keyword.size();
    skip_space(text, i);
    if (i >= text.size() || text[i] != '=' || (i + 1 < text.size() && text[i + 1] == '=')) continue;
    ++i;
    skip_space(text, i);
    bool plain = true;
    return read_string(text, i, plain).has_value();
  }
  return false;
}

}  // namespace mlops::scaffold_detail
