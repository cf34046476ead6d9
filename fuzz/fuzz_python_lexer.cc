// Fuzzes the Python lexer (analysers/python_lexer.h) against the tree-sitter walk it stands in
// for: never a crash or a hang, and on any source tree-sitter reads without error, the imports
// the scanner reports (when it is sure) are the walk's, and every string the walk sees is lexed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysers/python_analyser.h"
#include "analysers/python_lexer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view src(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> strings;
  const bool certain = mlops::each_python_string(src, [&](std::string_view v) {
    strings.emplace_back(v);
    return true;
  });
  const auto scanned = mlops::scan_python_imports(src);
  mlops::PythonParse parse(src);
  if (parse.has_error()) return 0;
  const mlops::PythonFacts facts = parse.facts(mlops::kPyStrings);
  if (certain)
    for (const auto& s : facts.strings)
      if (std::find(strings.begin(), strings.end(), s.value) == strings.end()) __builtin_trap();
  if (scanned) {
    std::vector<mlops::PyImport> walked;
    for (const auto& i : facts.imports)
      if (!i.module.starts_with('.')) walked.push_back(i);
    if (walked.size() != scanned->size()) __builtin_trap();
    for (size_t k = 0; k < walked.size(); ++k) {
      const auto& a = walked[k];
      const auto& b = (*scanned)[k];
      if (a.module != b.module || a.line != b.line || a.column != b.column || a.scope != b.scope)
        __builtin_trap();
    }
  }
  return 0;
}
