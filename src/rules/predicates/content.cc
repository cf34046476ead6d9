// `content: {files, pattern, prefilter}`: an RE2 matches a line of a matching file.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_content(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::Content;
  if (!v.IsMap()) {
    p.error(v, "content takes a map with pattern, files and prefilter");
    return {};
  }
  p.check_options(v);
  p.files(v, q);
  if (auto pattern = v["pattern"] ? p.scalar(v["pattern"], "pattern") : std::nullopt)
    q.pattern = *pattern;
  else
    p.error(v, "content needs a pattern");
  if (v["prefilter"]) q.prefilter = p.strings(v["prefilter"], "prefilter");
  return p.query(std::move(q), v);
}

}  // namespace mlops
