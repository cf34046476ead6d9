// `large_file: {files, min_size}`: a file at least that large is committed outside Git LFS.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_large_file(PredicateParser& p, const YAML::Node& v) {
  Expr e;
  e.op = Expr::Op::LargeFile;
  if (v.IsMap()) {
    p.check_options(v);
    if (v["files"]) e.globs = p.strings(v["files"], "files");
    if (v["min_size"]) e.min_size = p.size(v["min_size"]);
  } else if (!v.IsNull()) {
    p.error(v, "large_file takes a map with files and min_size");
  }
  return e;
}

}  // namespace mlops
