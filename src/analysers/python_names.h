// Import aliases of one Python file and the qualified names they give callees: shared by the facts
// walk (python_analyser) and analyses over the same syntax trees (dataflow). Includes the
// tree-sitter API, so only analysers that walk the tree include it.
#pragma once
#include <tree_sitter/api.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analysers/python_analyser.h"

namespace mlops {

// Aliases bound so far, in the order the caller feeds statements: `import numpy as np`,
// `from sklearn.preprocessing import StandardScaler as SS`, and `x = mod.f(...)` (x then names
// mod.f()). `src` is the text the nodes point into and must outlive it.
class PyNames {
 public:
  explicit PyNames(std::string_view src) : src_(src) {}
  // Bind the names an import statement introduces; when `imports` is given, record them there.
  void import_statement(TSNode n, std::vector<PyImport>* imports);
  void import_from(TSNode n, std::vector<PyImport>* imports);
  // `x = mod.func(...)` with mod an import: x.method then resolves to mod.func().method; `x =
  // mod.attr` makes x another name for mod.attr.
  void assignment(TSNode n);
  // `class NAME(...)` defined in this file: `x = NAME(...)` then names NAME() (x.fit resolves to
  // NAME().fit), or `qualified` when given (a local transformer: see dataflow).
  void local_class(const std::string& name, const std::string& qualified = {});
  // The qualified name of a callee expression: `SS().fit` -> sklearn.preprocessing.StandardScaler().fit;
  // unresolved names as written; empty for expressions that name nothing (lambdas, ...).
  std::string callee_name(TSNode n, int depth = 0) const;

 private:
  std::string resolve(const std::string& dotted) const;
  static bool is_dotted(std::string_view s);
  std::string_view view(TSNode n) const {
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > src_.size() || a > b) return {};
    return src_.substr(a, b - a);
  }
  std::string text(TSNode n) const { return std::string(view(n)); }

  std::string_view src_;
  std::map<std::string, std::string> aliases_;
};

}  // namespace mlops
