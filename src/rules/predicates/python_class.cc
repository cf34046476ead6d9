// `python_class: {name, base, files, prefilter}`: a class named like `name` deriving (directly
// or through the file's own classes) from `base`.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_python_class(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::PythonClass;
  if (!v.IsMap()) {
    p.error(v, "python_class takes a map with name, base and files");
    return {};
  }
  p.check_options(v);
  p.files(v, q);
  if (v["name"]) q.names = p.strings(v["name"], "name");
  if (v["base"]) q.bases = p.strings(v["base"], "base");
  if (q.names.empty() && q.bases.empty()) p.error(v, "python_class needs a name or a base");
  // A class deriving from `metaflow.FlowSpec` names `FlowSpec` in the file (in its bases, or in
  // those of the file's own class it derives through): `class` and one of the bases' last names
  // when each is plain, else of the class names when plain; else `class` alone.
  auto last_names = [](const std::vector<std::string>& globs) {
    std::vector<std::string> out;
    for (const auto& g : globs) {
      if (g.starts_with('!')) continue;
      std::string last = g.substr(g.rfind('.') + 1);
      if (last.size() < 2 || last.find_first_of("*?[") != std::string::npos)
        return std::vector<std::string>{};
      out.push_back(last);
    }
    return out;
  };
  q.prefilter = {"class"};
  q.prefilter_words = true;
  std::vector<std::string> names = last_names(q.bases);
  if (names.empty()) names = last_names(q.names);
  for (const auto& n : names) {  // `class` and one of the names, both as words
    q.prefilter.push_back(n);
    q.prefilter_alternatives.push_back({{0, LiteralMode::Word}, {q.prefilter.size() - 1, LiteralMode::Word}});
  }
  if (v["prefilter"]) {
    q.prefilter = p.strings(v["prefilter"], "prefilter");
    q.prefilter_alternatives.clear();
    q.prefilter_words = false;
  }
  return p.query(std::move(q), v);
}

}  // namespace mlops
