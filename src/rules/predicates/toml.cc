// `toml: {files, path, equals | matches, prefilter}`: a key path in a TOML file.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"
#include "rules/predicates/key_path.h"

namespace mlops {

Expr parse_toml(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::Toml;
  if (!v.IsMap()) {
    p.error(v, "toml takes a map with path, files and equals or matches");
    return {};
  }
  p.check_options(v);
  parse_key_path(p, v, q);
  return p.query(std::move(q), v);
}

}  // namespace mlops
