// `python_def: names` or `{name, files, with_calls, test}`: a function with a matching name is
// defined (with a body that calls something; collected by a test runner).
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_python_def(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::PythonDef;
  if (v.IsMap()) {
    p.check_options(v);
    p.files(v, q);
    if (v["name"]) q.names = p.strings(v["name"], "name");
    q.def_with_calls = p.flag(v, "with_calls");
    q.def_test = p.flag(v, "test");
  } else {
    q.names = p.strings(v, "python_def");
  }
  if (q.names.empty()) p.error(v, "python_def needs at least one name");
  q.prefilter = {"def"};
  q.prefilter_words = true;
  return p.query(std::move(q), v);
}

}  // namespace mlops
