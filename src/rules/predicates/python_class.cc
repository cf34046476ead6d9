// `python_class: {name, base, files, prefilter}`: a class named like `name` deriving (directly
// or through the file's own classes) from `base`.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_python_class(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::PythonClass;
  if (!v.IsMap()) {
    p.error(v, "python_class takes a map with name, base and files");
    return {};
  }
  p.check_options(v);
  p.files(v, q);
  if (v["name"]) q.names = p.strings(v["name"], "name");
  if (v["base"]) q.bases = p.strings(v["base"], "base");
  if (q.names.empty() && q.bases.empty()) p.error(v, "python_class needs a name or a base");
  q.prefilter = {"class"};
  q.prefilter_words = true;
  if (v["prefilter"]) {
    q.prefilter = p.strings(v["prefilter"], "prefilter");
    q.prefilter_words = false;
  }
  return p.query(std::move(q), v);
}

}  // namespace mlops
