// Python source -> facts, through tree-sitter: imports with aliases resolved, calls by qualified
// name with their keyword arguments (and literal values), string literals, function and class
// definitions, module-level assignments; and raw tree-sitter queries over the same parse.
// Comments never count as code.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct TSTree;

namespace mlops {

struct PyImport {
  std::string module;  // fully qualified module (or module.name for `from m import name`)
  int line = 0, column = 0;
  int scope = 0;  // first line of the innermost enclosing function; 0 at module (or class body) level
};

struct PyCall {
  std::string name;  // qualified name after alias resolution, e.g. sklearn.model_selection.train_test_split
  std::vector<std::string> keywords;
  // Keyword arguments whose value is a simple literal, as (keyword, value): numbers as written
  // (`-1`, `0.2`), `True` / `False` / `None`, strings by their contents. Only with kPyKeywordValues.
  std::vector<std::pair<std::string, std::string>> literals;
  int line = 0, column = 0;
  int scope = 0;     // first line of the innermost enclosing function; 0 at module (or class body) level
  std::string text;  // the call's first source line, trimmed (for messages and fingerprints)
  std::string
      full_text;  // the whole call on one line (newlines as spaces, at most 2,000 chars), for `text:` checks
};

struct PyString {
  std::string value;  // literal contents without quotes (escape sequences left as written)
  int line = 0, column = 0;
  // An argument of os.getenv / os.environ.get / os.environ.setdefault: a variable name or the
  // default used when the environment does not say.
  bool env_argument = false;
  // An operand of a comparison (`if env == "/home/ec2-user/..."`, `"/mnt" in path`), the text a
  // string method searches for, or a `help=` text: a value tested against or described, not one
  // the code reads or writes.
  bool compared = false;
  // The right operand of `+` (`root + "/datasets/salt/train.csv"`, also %-formatted:
  // `out + "/checkpoint/%08d.pth" % step`): a suffix appended to another value, not a whole path.
  bool suffix = false;
};

// A function definition (methods included) and what its body does.
struct PyFunction {
  std::string name;
  int line = 0, column = 0;
  int calls = 0;    // calls in its body (not in nested functions; unittest's self.assert* do not count)
  int asserts = 0;  // assert statements in its body
  // What a test runner collects: `test*` at module level, or a `test*` method of a class named
  // `Test*` or deriving from a `*TestCase` class (pytest and unittest conventions).
  bool test = false;
};

// A class definition; bases resolved through the imports (`nn.Module` -> torch.nn.Module), others
// as written (`Base`, `Generic` for `Generic[T]`). Keyword arguments (metaclass=...) are left out.
struct PyClass {
  std::string name;
  std::vector<std::string> bases;
  int line = 0, column = 0;
};

// A module-level `NAME = value` (also `NAME: T = value` and each name of `A = B = value`),
// outside any function or class, including inside module-level if / try / with blocks.
struct PyAssign {
  std::string name;
  std::string value;  // a simple literal's value (as in PyCall::literals), else the expression's text
  bool literal = false;
  int line = 0, column = 0;
};

struct PythonFacts {
  std::vector<PyImport> imports;
  std::vector<PyCall> calls;
  std::vector<PyString> strings;
  std::vector<PyFunction> functions;
  std::vector<PyClass> classes;
  std::vector<PyAssign> assigns;
  int first_error_line = 0;  // first line tree-sitter could not parse, 0 when clean
  // Non-zero when the walk stopped early (after this many syntax nodes: kMaxPythonNodesVisited,
  // or kMaxPythonCallsPerFile calls recorded): the facts above are incomplete.
  size_t truncated_after = 0;
};

// Facts that cost work per file and are collected only when asked for; imports, calls and
// functions always are.
enum PyFactBits : unsigned {
  kPyStrings = 1u << 0,
  kPyKeywordValues = 1u << 1,
  kPyClasses = 1u << 2,
  kPyAssigns = 1u << 3,
  kPyAllFacts = ~0u,
};

// A raw tree-sitter query compiled once with its text predicates, which the tree-sitter core
// leaves to the caller: #eq?, #not-eq?, #any-of?, #not-any-of? and, with RE2, #match?,
// #not-match?. Compiled when the rule loads (`compile`: a repository's rules, whose errors are
// reported then) or when a file is first queried (`lazy`: the built-in rules, which the tests
// compile). Immutable once compiled: shared read-only across threads.
class PyTreeQuery {
 public:
  struct Compiled;  // the TSQuery and the parsed predicates
  // The query, or an error message (with the offset in the query text) when it does not compile.
  struct Result {
    std::shared_ptr<const PyTreeQuery> query;
    std::string error;
  };
  // `capture` names the capture whose node each match reports; empty: the query's first capture.
  static Result compile(std::string_view source, std::string_view capture);
  // Compiled at the first compiled() call (thread-safe).
  static std::shared_ptr<const PyTreeQuery> lazy(std::string source, std::string capture);
  PyTreeQuery(std::string source, std::string capture);
  ~PyTreeQuery();
  PyTreeQuery(const PyTreeQuery&) = delete;
  PyTreeQuery& operator=(const PyTreeQuery&) = delete;
  // The compiled query; null when it does not compile (only a lazy query gets that far).
  const Compiled* compiled() const;
  const std::string& source() const { return source_; }
  const std::string& capture() const { return capture_; }

 private:
  std::string source_, capture_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<Compiled> c_;
  mutable std::string error_;
};

inline constexpr size_t kMaxTreeQueryBytes = 8 * 1024;
// Matches a query may examine per file (including those its predicates reject): bounds the work
// a hostile rule file can cause, deterministically.
inline constexpr size_t kMaxTreeQueryMatchesExamined = 100000;

struct PyQueryMatch {
  int line = 0, column = 0;
  std::string text;  // the captured node's first line
};

struct PyQueryResult {
  std::vector<PyQueryMatch> matches;
  bool truncated = false;  // the examination budget ran out before the end of the file
};

// One parse of a Python source, kept for the facts walk and any raw queries. `source` must
// outlive it. A source over kPythonChunkBytes is parsed again for each use, a chunk of top-level
// statements at a time, so that its syntax tree never has to fit in memory whole.
class PythonParse {
 public:
  explicit PythonParse(std::string_view source);
  ~PythonParse();
  PythonParse(const PythonParse&) = delete;
  PythonParse& operator=(const PythonParse&) = delete;

  PythonFacts facts(unsigned wanted = kPyAllFacts) const;
  std::string_view source() const { return source_; }
  // The tree has a syntax error (false for a source parsed by chunks: not known up front).
  bool has_error() const;
  // Matches of `q` in document order, at most `max_matches`.
  PyQueryResult run(const PyTreeQuery& q, size_t max_matches) const;
  // Calls `visit` with each syntax tree of the source: the whole file's, or each chunk's in turn
  // (positions are the whole file's) until `visit` returns false. For analyses over this parse
  // (dataflow.h); a chunk's tree lives only during its call.
  void each_syntax_tree(const std::function<bool(const TSTree*)>& visit) const;

 private:
  // Calls `visit` with the root of each tree: the whole file's, or each chunk's in turn until
  // `visit` returns false.
  template <typename F>
  void each_tree(F visit) const;

  // Whether the whole file's tree nests too deep to be queried, once known (several queries ask
  // it of the same file).
  mutable std::optional<bool> too_deep_;
  std::string_view source_;
  TSTree* tree_ = nullptr;
  std::vector<uint32_t> chunks_;  // chunk start offsets, when parsed by chunks
};

PythonFacts analyse_python(std::string_view source, unsigned wanted = kPyAllFacts);

// `source` parses without a syntax error (a notebook cell on its own: Jupyter runs none of a
// cell that does not).
bool python_parses(std::string_view source);

}  // namespace mlops
