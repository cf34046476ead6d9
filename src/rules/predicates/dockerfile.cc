// `dockerfile: {instruction, pattern, files}` or `{unpinned_base_image: true}`: Dockerfile
// instructions whose arguments match, or FROM lines with an unpinned base image.
#include <yaml-cpp/yaml.h>

#include <cctype>

#include "rules/predicate.h"

namespace mlops {

Expr parse_dockerfile(PredicateParser& p, const YAML::Node& v) {
  if (!v.IsMap()) {
    p.error(v, "dockerfile takes a map: instruction, pattern, files, or unpinned_base_image: true");
    return {};
  }
  p.check_options(v);
  FileQuery q;
  p.files(v, q);
  if (v["unpinned_base_image"]) {
    if (v["instruction"] || v["pattern"]) p.error(v, "unpinned_base_image takes no instruction or pattern");
    q.kind = QueryKind::DockerUnpinnedBase;
    return p.query(std::move(q), v);
  }
  q.kind = QueryKind::DockerInstruction;
  if (v["instruction"]) q.names = p.strings(v["instruction"], "instruction");
  for (auto& n : q.names)
    for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (v["pattern"]) {
    if (auto pattern = p.scalar(v["pattern"], "pattern")) q.pattern = *pattern;
  }
  if (q.names.empty() && q.pattern.empty()) p.error(v, "dockerfile needs an instruction, a pattern or both");
  return p.query(std::move(q), v);
}

}  // namespace mlops
