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
  // A file that makes the call spells the last segment of its name (or, failing that, a
  // required keyword) literally: that literal is the prefilter. Exclusions (`!name`) add none.
  bool all_literal = true, all_words = true;
  for (const auto& name : q.names) {
    if (name.starts_with('!')) continue;
    std::string last = name.substr(name.rfind('.') + 1);
    std::string lit = longest_literal(last);
    // Two characters called (`cv(`) still single out few files; only a name with no literal
    // at all (`sklearn.metrics.*`) leaves the query without a prefilter.
    if (lit.size() >= 2)
      q.prefilter.push_back(lit);
    else
      all_literal = false;
    if (lit != last) all_words = false;
  }
  q.prefilter_words = all_literal && all_words;
  q.prefilter_calls = all_literal && all_words;
  if (!all_literal) {
    q.prefilter.clear();
    if (!q.has_keywords.empty()) q.prefilter.push_back(q.has_keywords.front());
    q.prefilter_words = true;
  }
  // Names like `sklearn.metrics.*` give no literal: the rule can name its own.
  if (v.IsMap() && v["prefilter"]) {
    q.prefilter = p.strings(v["prefilter"], "prefilter");
    q.prefilter_words = q.prefilter_calls = false;
  }
  return p.query(std::move(q), v);
}

}  // namespace mlops
