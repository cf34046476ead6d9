// `python_import: modules` or `{module, files, top_level}`: a module or a submodule of it is imported
// (with top_level: by a statement outside any function).
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_python_import(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::PythonImport;
  if (v.IsMap()) {
    p.check_options(v);
    p.files(v, q);
    if (v["module"]) q.names = p.strings(v["module"], "module");
    q.top_level = p.flag(v, "top_level");
  } else {
    q.names = p.strings(v, "python_import");
  }
  if (q.names.empty()) p.error(v, "python_import needs at least one module");
  // Any import of a module or its submodules spells the module's last segment as a word.
  for (const auto& m : q.names) q.prefilter.push_back(m.substr(m.rfind('.') + 1));
  q.prefilter_words = true;
  return p.query(std::move(q), v);
}

}  // namespace mlops
