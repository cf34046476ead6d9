// Path glob matching shared by .gitignore handling, config excludes and rule file selectors.
#pragma once
#include <optional>
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

// The last component's extension from its last '.' (`.py`, `.gz` of `a.tar.gz`, `.gitignore`),
// or "" when it has none (`Makefile`).
std::string_view path_extension(std::string_view path);

// A glob list read once, for matching many paths: the same answers as matches_globs, with the
// shapes rules mostly write answered by string tests instead of the general matcher: a name
// (`conftest.py`, `*.py`, `test_*.py`, `*config*.py`, at any depth or `**/`-prefixed), a name in one
// directory
// (`/config.yaml`, `.github/workflows/*.yml`) or below it (`configs/**/*.yaml`, `**/data/**/*.py`), and
// everything under a directory (`tests/**`, `**/tests/**`).
class GlobList {
 public:
  GlobList() = default;
  explicit GlobList(const std::vector<std::string>& globs);
  bool matches(std::string_view path) const;
  bool empty() const { return globs_.empty(); }
  // The extensions (path_extension) a matching path can have, sorted; nullopt when any can (a
  // glob such as `tests/**`, `*_test`, or a list starting with an exclusion). A planner asks only
  // the lists that admit a file's extension.
  std::optional<std::vector<std::string>> extensions() const;
  // The answer every path with that extension (path_extension) gets, when the rest of the path
  // cannot change it (`*.py` and `!*.ipynb` for ".py"); nullopt when it can (`test_*.py`,
  // `!tests/**`). A planner matches only the lists that need the path.
  std::optional<bool> answer_for_extension(std::string_view extension) const;

 private:
  enum class Shape : unsigned char {
    Name,         // NAME: the last component matches, at any depth
    InDir,        // DIR/NAME (DIR may be empty: `/NAME`): a component of DIR itself
    BelowDir,     // DIR/**/NAME: the last component, at any depth under DIR
    AnyBelowDir,  // **/DIR/**/NAME: the last component, at any depth under a DIR at any depth
    Under,        // DIR/**: every path under DIR
    AnyUnder,     // **/DIR/**: every path under a DIR at any depth
    General,      // anything else: glob_match
  };
  struct Glob {
    Shape shape = Shape::General;
    bool negated = false;
    bool star = false;   // NAME is PREFIX*SUFFIX or PREFIX*MIDDLE*...*SUFFIX (else the literal PREFIX)
    std::string dir;     // "DIR/" (empty for Name and the root)
    std::string prefix;  // NAME before its first '*', or all of it
    std::string suffix;  // NAME after its last '*'
    std::vector<std::string> middle;  // the non-empty parts between its '*'s, in order
    std::string glob;                 // the glob without '!', for General
  };
  static bool name_matches(const Glob& g, std::string_view name);
  static std::optional<std::string_view> extension_of(const Glob& g);
  std::vector<Glob> globs_;
};

}  // namespace mlops
