// `yaml: {files, path, equals | matches, kind, lacks, beside, prefilter}`: a key path in any
// document of a YAML file, optionally only in documents of a Kubernetes kind, lacking some keys,
// or beside keys whose values match.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"
#include "rules/predicates/key_path.h"

namespace mlops {

Expr parse_yaml(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::Yaml;
  if (!v.IsMap()) {
    p.error(v, "yaml takes a map with path, files and equals or matches");
    return {};
  }
  p.check_options(v);
  if (const YAML::Node& beside = v["beside"]) {
    if (!beside.IsMap()) {
      p.error(beside, "beside takes a map of keys to patterns, for YAML only");
    } else {
      for (auto it = beside.begin(); it != beside.end(); ++it) {
        auto key = p.scalar(it->first, "beside key");
        auto pattern = p.scalar(it->second, "beside pattern");
        if (!key || !pattern) continue;
        q.beside.emplace_back(*key, *pattern);
        q.beside_regexes.push_back(p.regex(it->second, *pattern, *pattern));
      }
    }
  }
  if (v["kind"]) {
    if (auto k = p.scalar(v["kind"], "kind")) q.doc_kind = *k;
  }
  if (v["lacks"]) q.doc_lacks = p.strings(v["lacks"], "lacks");
  parse_key_path(p, v, q);
  return p.query(std::move(q), v);
}

}  // namespace mlops
