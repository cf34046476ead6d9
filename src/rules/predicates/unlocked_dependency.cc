// `unlocked_dependency: {files?}`: a package a manifest declares that the lock file beside it
// (or in a parent directory: workspaces) does not pin — the lock is stale.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_unlocked_dependency(PredicateParser& p, const YAML::Node& v) {
  FileQuery declared;
  declared.kind = QueryKind::DependencyDeclared;
  declared.value = "main";  // extras and groups may be left out of a lock on purpose
  declared.globs = {"pyproject.toml", "Pipfile"};
  if (v.IsMap()) {
    p.check_options(v);
    if (v["files"]) declared.globs = p.strings(v["files"], "files");
  } else if (!v.IsNull()) {
    p.error(v, "unlocked_dependency takes a map with files, or nothing");
  }
  Expr e;
  e.op = Expr::Op::Unlocked;
  e.query = p.add_query(std::move(declared), v);
  FileQuery locks;
  locks.kind = QueryKind::LockContents;
  e.build_query = p.add_query(std::move(locks), v);
  return e;
}

}  // namespace mlops
