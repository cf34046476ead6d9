// `python_string: {pattern, files, prefilter, skip_env_arguments, skip_comparisons, skip_suffixes}`: a string
// literal's contents match (comments never do).
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_python_string(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::PythonString;
  if (!v.IsMap()) {
    p.error(v, "python_string takes a map with pattern, files and prefilter");
    return {};
  }
  p.check_options(v);
  p.files(v, q);
  if (auto pattern = v["pattern"] ? p.scalar(v["pattern"], "pattern") : std::nullopt)
    q.pattern = *pattern;
  else
    p.error(v, "python_string needs a pattern");
  q.skip_env_arguments = p.flag(v, "skip_env_arguments");
  q.skip_comparisons = p.flag(v, "skip_comparisons");
  q.skip_suffixes = p.flag(v, "skip_suffixes");
  if (v["prefilter"]) q.prefilter = p.strings(v["prefilter"], "prefilter");
  return p.query(std::move(q), v);
}

}  // namespace mlops
