// `python_query: {query, capture, prefilter, files}`: a raw tree-sitter query matches; reported
// at the captured node.
#include <yaml-cpp/yaml.h>

#include "analysers/python_analyser.h"
#include "rules/predicate.h"

namespace mlops {

Expr parse_python_query(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::PythonQuery;
  if (!v.IsMap()) {
    p.error(v, "python_query takes a map with query, capture, prefilter and files");
    return {};
  }
  p.check_options(v);
  p.files(v, q);
  if (v["capture"]) {
    if (auto c = p.scalar(v["capture"], "capture")) q.capture = *c;
  }
  if (v["prefilter"]) q.prefilter = p.strings(v["prefilter"], "prefilter");
  auto src = v["query"] ? p.scalar(v["query"], "query") : std::nullopt;
  if (!src) {
    if (!v["query"]) p.error(v, "python_query needs a query");
    return {};
  }
  q.pattern = *src;
  // Compiled once, and shared by every file's cursor: a built-in rule's when a file is first
  // queried (the tests compile each one), a repository's here, so that its errors are reported.
  if (p.built_in()) {
    q.tree_query = PyTreeQuery::lazy(q.pattern, q.capture);
  } else {
    PyTreeQuery::Result compiled = PyTreeQuery::compile(q.pattern, q.capture);
    if (!compiled.query) {
      p.error(v["query"], compiled.error);
      return {};
    }
    q.tree_query = std::move(compiled.query);
  }
  return p.query(std::move(q), v);
}

}  // namespace mlops
