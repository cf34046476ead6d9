// A small Python lexer for the cheap questions a prefilter or a scanner can answer without a
// tree-sitter parse: the string literals of a file, and the import statements at its line starts.
#pragma once
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "analysers/python_analyser.h"

namespace mlops {

// Calls `visit` with the contents of each string literal (without quotes or prefix; an
// f-string's literal parts joined, its interpolations left out, as the syntax tree's
// `string_content` nodes give them). `visit` returns false to stop. Returns false when the
// source could not be lexed with certainty (an unterminated string or bracket, an f-string
// escape the tree may spell otherwise): a caller then assumes any string may be there.
bool each_python_string(std::string_view source, const std::function<bool(std::string_view)>& visit);

// The imports of a file as the syntax-tree walk reports them (module, line, column, scope), read
// from the statements that start a logical line. Relative imports are left out: no module name a
// query asks about starts with a dot. Empty optional when the file is not plain enough to be sure
// (a syntax the scanner does not follow, a statement it cannot read, unbalanced brackets or
// indentation): the caller parses.
std::optional<std::vector<PyImport>> scan_python_imports(std::string_view source);

}  // namespace mlops
