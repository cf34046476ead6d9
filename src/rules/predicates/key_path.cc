// The key-path reading yaml and toml share.
#include "rules/predicates/key_path.h"

#include <yaml-cpp/yaml.h>

namespace mlops {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : path) {
    if (c == '.') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

void parse_key_path(PredicateParser& p, const YAML::Node& v, FileQuery& q) {
  const std::string name = q.kind == QueryKind::Yaml ? "yaml" : "toml";
  p.files(v, q);
  if (auto path = v["path"] ? p.scalar(v["path"], "path") : std::nullopt)
    q.key_path = split_path(*path);
  else
    p.error(v, name + " needs a key path");
  if (v["equals"] && v["matches"]) p.error(v, "use either equals or matches, not both");
  if (v["equals"]) {
    q.op = ValueOp::Equals;
    if (auto s = p.scalar(v["equals"], "equals")) q.value = *s;
  } else if (v["matches"]) {
    q.op = ValueOp::Matches;
    if (auto s = p.scalar(v["matches"], "matches")) q.pattern = *s;
  }
  if (v["prefilter"]) q.prefilter = p.strings(v["prefilter"], "prefilter");
}

}  // namespace mlops
