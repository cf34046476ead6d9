// `python_call`: a call whose alias-resolved qualified name matches, with keyword conditions.
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "rules/predicate.h"

namespace mlops {

Expr parse_python_call(PredicateParser& p, const YAML::Node& v) {
  FileQuery q;
  q.kind = QueryKind::PythonCall;
  if (v.IsMap()) {
    p.check_options(v);
    p.files(v, q);
    if (v["name"]) q.names = p.strings(v["name"], "name");
    if (v["text"]) {
      if (auto t = p.scalar(v["text"], "text")) q.pattern = *t;  // RE2 over the call's source text
    }
    if (v["has_keyword"]) q.has_keywords = p.strings(v["has_keyword"], "has_keyword");
    if (v["lacks_keyword"]) q.lacks_keywords = p.strings(v["lacks_keyword"], "lacks_keyword");
    if (v["keyword_values"]) q.keyword_values = p.keyword_map(v["keyword_values"], "keyword_values");
    if (v["keyword_not_values"])
      q.keyword_not_values = p.keyword_map(v["keyword_not_values"], "keyword_not_values");
  } else {
    q.names = p.strings(v, "python_call");
  }
  if (std::none_of(q.names.begin(), q.names.end(), [](const std::string& n) { return !n.starts_with('!'); }))
    p.error(v, "python_call needs at least one name (not only !exclusions)");
  // A file that makes the call spells the last segment of its name literally, called (`fit(`)
  // or imported under an alias; a last segment `read_*` starts a called identifier, `*set_seed`
  // ends one, another glob holds its longest literal somewhere; and a name
  // rooted in a module (`mlflow.data.from_*`) resolved through an import of it, so the module's
  // name is there too. Each name gives one alternative needing all of these; a name giving none
  // (`*.*`) leaves the query with a required keyword as its literal, or none. Exclusions (`!name`)
  // add none.
  bool every_name = true;
  auto literal = [&](const std::string& text) {
    auto it = std::find(q.prefilter.begin(), q.prefilter.end(), text);
    if (it != q.prefilter.end()) return static_cast<size_t>(it - q.prefilter.begin());
    q.prefilter.push_back(text);
    return q.prefilter.size() - 1;
  };
  auto plain = [](const std::string& s) { return s.find_first_of("*?[") == std::string::npos; };
  for (const auto& name : q.names) {
    if (name.starts_with('!')) continue;
    const std::string last = name.substr(name.rfind('.') + 1);
    const std::string root = name.substr(0, name.find('.'));
    std::vector<PrefilterTerm> terms;
    // Two characters called (`cv(`) still single out few files.
    if (plain(last) && last.size() >= 2) {
      terms.push_back({literal(last), LiteralMode::Call});
    } else if (last.size() >= 4 && last.back() == '*' && plain(last.substr(0, last.size() - 1))) {
      terms.push_back({literal(last.substr(0, last.size() - 1)), LiteralMode::CallPrefix});
    } else if (last.size() >= 4 && last.front() == '*' && plain(last.substr(1))) {
      terms.push_back({literal(last.substr(1)), LiteralMode::CallSuffix});
    } else if (const std::string lit = longest_literal(last); lit.size() >= 3) {
      terms.push_back({literal(lit), LiteralMode::Substring});
    }
    if (root.size() < name.size() && plain(root) && root.size() >= 2 && root != last)
      terms.push_back({literal(root), LiteralMode::Word});
    if (terms.empty()) every_name = false;
    q.prefilter_alternatives.push_back(std::move(terms));
  }
  if (!every_name) {
    q.prefilter.clear();
    q.prefilter_alternatives.clear();
    if (!q.has_keywords.empty()) q.prefilter.push_back(q.has_keywords.front());
    q.prefilter_words = true;
  }
  // A rule can name its own literals (a name like `sklearn.metrics.*` only gives `sklearn`).
  if (v.IsMap() && v["prefilter"]) {
    q.prefilter = p.strings(v["prefilter"], "prefilter");
    q.prefilter_alternatives.clear();
    q.prefilter_words = q.prefilter_calls = false;
  }
  return p.query(std::move(q), v);
}

}  // namespace mlops
