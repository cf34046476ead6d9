// Python source for fixers: one tree-sitter parse of a file's bytes kept with them, and the
// lookups the Python fixers share (the call at a finding's position, a call's arguments, the
// names a module or function binds, where a new import goes).
#pragma once
#include <tree_sitter/api.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fix/fixer.h"

namespace mlops {

// Fixers parse whole files (the analyser parses big ones chunk by chunk): a file over this is
// not fixed, so that a fix never needs a multi-gigabyte syntax tree.
inline constexpr size_t kMaxFixPythonBytes = 1024 * 1024;
// Nor is a file nested deeper than this: walking up a syntax tree costs its depth per step, and
// no code a fixer understands nests this deep.
inline constexpr int kMaxFixTreeDepth = 400;

// A module-level `NAME = <int>` (or `NAME: int = <int>`): the statement's node and the name.
struct PyIntConstant {
  std::string name;
  TSNode statement;
};

class PySource {
 public:
  // The parse of `bytes`, or nullptr when the file is too big or too deep, does not parse
  // cleanly (a fixer edits only code it understands) or tree-sitter gives no tree. The last parse is cached
  // per thread, since a file's findings are fixed one after another.
  static std::shared_ptr<const PySource> parse(std::string_view bytes);

  explicit PySource(std::string bytes);
  ~PySource();
  PySource(const PySource&) = delete;
  PySource& operator=(const PySource&) = delete;

  const std::string& bytes() const { return bytes_; }
  TSNode root() const;
  // No tree, a syntax error anywhere, or deeper than kMaxFixTreeDepth: not for fixing.
  bool has_error() const;
  std::string_view text(TSNode n) const;

  // The call nodes starting at byte `offset`, innermost first (`KFold(...).split(X)` starts
  // two calls at one byte).
  std::vector<TSNode> calls_at(size_t offset) const;

  // The name a module-level `import MODULE` / `import MODULE as x` / `import MODULE.sub` binds
  // to MODULE itself, from an import statement ending at or before byte `before`; nullopt when
  // none does. MODULE is a single name (os, torch).
  std::optional<std::string> module_name_for(std::string_view module, size_t before = SIZE_MAX) const;

  // Where a new top-level import line goes and the text to insert there for `import_line`
  // (without line break): before the first import after the docstring and __future__ imports,
  // else after them, else above the first statement. Uses the file's line break.
  struct Insertion {
    size_t offset = 0;
    std::string text;
  };
  Insertion import_insertion(std::string_view import_line) const;

  // Every module-level assignment of an integer literal to a single name, in file order; a name
  // assigned more than once at module level (to anything) is left out: its value is not known.
  // Computed once per parse (a file's many findings ask the same).
  const std::vector<PyIntConstant>& module_int_constants() const;

 private:
  std::string bytes_;
  TSTree* tree_ = nullptr;
  bool too_deep_ = false;
  mutable std::optional<std::vector<PyIntConstant>> int_constants_;
};

// The children of `n` in order: all of them (punctuation too), the named ones, the named ones
// that are not comments. One cursor walk: ts_node_child(n, i) costs i steps.
std::vector<TSNode> all_children(TSNode n);
std::vector<TSNode> named_children(TSNode n);
std::vector<TSNode> code_children(TSNode n);
std::string_view node_type(TSNode n);
bool is_type(TSNode n, std::string_view type);

// The innermost function whose body holds `n` (lambdas and classes are looked through; a
// parameter's default value belongs to the scope around the definition).
std::optional<TSNode> enclosing_function(TSNode n);

// A parameter of a function definition: its name and default value's node (null when none).
struct PyParameter {
  std::string name;
  std::optional<TSNode> default_value;
};
std::vector<PyParameter> function_parameters(const PySource& src, TSNode function);

// Whether `name` is assigned anywhere in the body of `function` (not counting nested functions
// and classes): a local that shadows a module-level name of the same spelling.
bool assigns_locally(const PySource& src, TSNode function, std::string_view name);

// Whether `name` reads as a random seed: contains "seed" (any case, not a count like "n_seeds" or
// "num_seeds") or is "random_state".
bool looks_like_seed_name(std::string_view name);

// A plain string literal's contents: no f/b prefix, no escapes, not implicitly concatenated.
std::optional<std::string_view> plain_string_contents(const PySource& src, TSNode string_node);

// The Python file a finding points into, parsed, and the finding's byte offset in it: what both
// Python fixers start from. nullopt when the file is not a readable `.py`, the position is
// outside it, or it does not parse cleanly.
struct PyFinding {
  const std::string* bytes = nullptr;
  size_t offset = 0;
  std::shared_ptr<const PySource> src;
};
std::optional<PyFinding> open_python_finding(const FixContext& context, const Finding& finding);

}  // namespace mlops
