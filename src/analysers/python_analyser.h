// Python source -> facts, through tree-sitter: imports with aliases resolved, calls by qualified
// name with their keyword arguments, and string literals. Comments never count as code.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mlops {

struct PyImport {
  std::string module;  // fully qualified module (or module.name for `from m import name`)
  int line = 0, column = 0;
};

struct PyCall {
  std::string name;  // qualified name after alias resolution, e.g. sklearn.model_selection.train_test_split
  std::vector<std::string> keywords;
  int line = 0, column = 0;
  std::string text;  // the call's first source line, trimmed (for messages and fingerprints)
  std::string full_text;  // the whole call on one line (newlines as spaces, at most 2,000 chars), for `text:` checks
};

struct PyString {
  std::string value;  // literal contents without quotes (escape sequences left as written)
  int line = 0, column = 0;
};

// A function definition (methods included) and what its body does.
struct PyFunction {
  std::string name;
  int line = 0, column = 0;
  int calls = 0;    // calls in its body (not in nested functions)
  int asserts = 0;  // assert statements in its body
};

struct PythonFacts {
  std::vector<PyImport> imports;
  std::vector<PyCall> calls;
  std::vector<PyString> strings;
  std::vector<PyFunction> functions;
  int first_error_line = 0;  // first line tree-sitter could not parse, 0 when clean
};

PythonFacts analyse_python(std::string_view source);

}  // namespace mlops
