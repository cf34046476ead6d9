// Path glob matching shared by .gitignore handling, config excludes and rule file selectors.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mlops {

// Matches a '/'-separated relative path against a glob:
//   *   any run of characters except '/'
//   ?   one character except '/'
//   **  any run of characters including '/' (as a whole segment: "a/**/b", "**/x", "x/**")
//   [abc], [a-z], [!a]  a character class
// A glob without '/' matches the last path component at any depth (like .gitignore);
// a glob with '/' is anchored at the root (a leading '/' is ignored).
bool glob_match(std::string_view glob, std::string_view path);

// Matches the whole string (no basename rule): the building block of glob_match.
bool glob_match_full(std::string_view glob, std::string_view text);

// A list of globs as rules write them, read in order with the last matching glob deciding:
// `["*.py", "!docs/**"]` is every Python file outside docs/; a list that starts with an
// exclusion (`["!tests/**"]`) starts from every path. An empty list matches nothing.
bool matches_globs(const std::vector<std::string>& globs, std::string_view path);

// The same for names matched whole (glob_match_full): `["*.fit", "!sklearn.preprocessing.*"]`.
bool matches_names(const std::vector<std::string>& globs, std::string_view name);

// A glob list read once, for matching many paths: the same answers as matches_globs, with the
// shapes rules mostly write (`*.py`, `conftest.py`, `tests/**`, `**/tests/**`, `**/*.ipynb`)
// answered by a suffix, equality, prefix or substring test instead of the general matcher.
class GlobList {
 public:
  GlobList() = default;
  explicit GlobList(const std::vector<std::string>& globs);
  bool matches(std::string_view path) const;
  bool empty() const { return globs_.empty(); }

 private:
  enum class Shape : unsigned char {
    NameSuffix,  // `*LIT` without '/': the last component ends with LIT
    Name,        // `LIT` without '/': the last component is LIT
    Under,       // `LIT/**`: the path starts with "LIT/"
    AnyUnder,    // `**/LIT/**`: a component sequence LIT at any depth
    General,     // anything else: glob_match
  };
  struct Glob {
    Shape shape = Shape::General;
    bool negated = false;
    std::string text;  // LIT for the special shapes, the glob (without '!') for General
  };
  std::vector<Glob> globs_;
};

}  // namespace mlops
