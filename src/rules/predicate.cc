// The predicate parser context: typed parameter reads with file:line errors, query
// deduplication, and the dispatch of a check to its predicate by name.
#include "rules/predicate.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "util/cli_conventions.h"
#include "util/size.h"

namespace mlops {
namespace {

int line_of(const YAML::Node& n) {
  return n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

// Nested checks are bounded: a rule file from a repository could nest `not:` thousands deep.
constexpr int kMaxCheckDepth = 64;

}  // namespace

std::string longest_literal(const std::string& glob) {
  std::string best, cur;
  bool in_class = false;
  for (char c : glob) {
    if (c == '[') in_class = true;
    if (in_class || c == '*' || c == '?') {
      if (cur.size() > best.size()) best = cur;
      cur.clear();
    } else {
      cur += c;
    }
    if (c == ']') in_class = false;
  }
  return cur.size() > best.size() ? cur : best;
}

PredicateParser::PredicateParser(std::string path, RuleSet& set,
                                 std::unordered_map<std::string, size_t>& query_index,
                                 std::vector<Diagnostic>& errors,
                                 std::vector<std::pair<std::string, Location>>& condition_refs,
                                 std::set<std::string>* used)
    : path_(std::move(path)),
      set_(set),
      query_index_(query_index),
      errors_(errors),
      condition_refs_(condition_refs),
      used_(used) {}

void PredicateParser::error(const YAML::Node& at, const std::string& message) {
  errors_.push_back({{path_, line_of(at), 0}, message});
}

bool PredicateParser::check_options(const YAML::Node& map) {
  bool ok = true;
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string key = it->first.Scalar();
    const auto& allowed = current_->options;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      error(it->first, "unknown key '" + key + "'");
      ok = false;
    } else if (used_) {
      used_->insert(std::string(current_->name) + "." + key);
    }
  }
  return ok;
}

bool PredicateParser::check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed) {
  bool ok = true;
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string key = it->first.Scalar();
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
      error(it->first, "unknown key '" + key + "'");
      ok = false;
    }
  }
  return ok;
}

std::optional<std::string> PredicateParser::scalar(const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) {
    error(n, what + " must be a string");
    return std::nullopt;
  }
  return n.Scalar();
}

std::vector<std::string> PredicateParser::strings(const YAML::Node& n, const std::string& what) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
  } else if (n.IsSequence()) {
    for (const auto& item : n) {
      if (item.IsScalar())
        out.push_back(item.Scalar());
      else
        error(item, what + " must be a list of strings");
    }
  } else {
    error(n, what + " must be a string or a list of strings");
  }
  return out;
}

bool PredicateParser::flag(const YAML::Node& map, const char* key) {
  const YAML::Node& n = map[key];
  if (!n) return false;
  const std::string s = n.IsScalar() ? n.Scalar() : std::string();
  if (s == "true" || s == "True" || s == "yes") return true;
  if (s != "false" && s != "False" && s != "no") error(n, std::string(key) + " takes true or false");
  return false;
}

std::vector<std::pair<std::string, std::string>> PredicateParser::keyword_map(const YAML::Node& n,
                                                                              const std::string& what) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!n.IsMap()) {
    error(n, what + " must be a map of keyword: literal");
    return out;
  }
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) {
      error(it->first, what + " must map keywords to literal values (strings)");
      continue;
    }
    out.emplace_back(it->first.Scalar(), it->second.Scalar());
  }
  return out;
}

uint64_t PredicateParser::size(const YAML::Node& n) {
  std::string text = n.IsScalar() ? n.Scalar() : "";
  if (auto size = parse_size(text)) return *size;
  error(n, "expected a size such as 5MB, got '" + text + "'");
  return 0;
}

void PredicateParser::files(const YAML::Node& map, FileQuery& q) {
  if (map["files"]) q.globs = strings(map["files"], "files");
}

Regex PredicateParser::regex(const YAML::Node& at, const std::string& pattern, const std::string& written) {
  if (built_in_) return Regex::lazy(pattern);
  Regex re = Regex::compiled(pattern);
  if (!re->ok()) error(at, "invalid regular expression '" + written + "': " + re->error());
  return re;
}

size_t PredicateParser::add_query(FileQuery q, const YAML::Node& at) {
  // A python_query's pattern is tree-sitter query text, compiled by its predicate.
  if (q.kind != QueryKind::PythonQuery && (!q.pattern.empty() || q.kind == QueryKind::Content ||
                                           q.kind == QueryKind::PythonString || q.op == ValueOp::Matches)) {
    // Content patterns run per line, but first once over the whole file to reject it fast:
    // multi-line mode keeps ^ and $ meaning "line start/end" in both.
    q.regex = regex(at, q.kind == QueryKind::Content ? "(?m)" + q.pattern : q.pattern, q.pattern);
  }
  std::string fp = q.fingerprint();
  auto it = query_index_.find(fp);
  if (it != query_index_.end()) return it->second;
  set_.queries.push_back(std::move(q));
  query_index_.emplace(fp, set_.queries.size() - 1);
  return set_.queries.size() - 1;
}

Expr PredicateParser::query(FileQuery q, const YAML::Node& at) {
  Expr e;
  e.op = Expr::Op::Query;
  e.query = add_query(std::move(q), at);
  return e;
}

Expr project_expr(std::shared_ptr<const ProjectPredicate> predicate) {
  Expr e;
  e.op = Expr::Op::Project;
  e.project = std::move(predicate);
  return e;
}

void PredicateParser::condition_ref(const std::string& name, const YAML::Node& at) {
  condition_refs_.push_back({name, {path_, line_of(at), 0}});
}

Expr PredicateParser::expr(const YAML::Node& n) {
  Expr e;
  if (n.IsScalar()) {
    e.op = Expr::Op::Condition;
    e.condition = n.Scalar();
    condition_ref(e.condition, n);
    return e;
  }
  if (!n.IsMap() || n.size() != 1) {
    std::string names;
    for (const auto& p : all_predicates()) names += (names.empty() ? "" : ", ") + std::string(p.name);
    error(n, "a check must be a map with exactly one predicate (" + names + ") or a condition name");
    return e;
  }
  auto kv = *n.begin();
  const std::string key = kv.first.Scalar();
  const PredicateInfo* info = find_predicate(key);
  if (!info) {
    std::vector<std::string> names;
    for (const auto& p : all_predicates()) names.emplace_back(p.name);
    std::string hint;
    if (auto near = closest_match(key, names)) hint = " (did you mean '" + *near + "'?)";
    error(kv.first, "unknown predicate '" + key + "'" + hint);
    return e;
  }
  if (depth_ >= kMaxCheckDepth) {
    error(kv.first, "checks nest deeper than " + std::to_string(kMaxCheckDepth) + " levels");
    return e;
  }
  if (used_) used_->insert(key);
  const PredicateInfo* outer = current_;
  current_ = info;
  ++depth_;
  e = info->parse(*this, kv.second);
  --depth_;
  current_ = outer;
  return e;
}

const PredicateInfo* find_predicate(std::string_view name) {
  const auto& all = all_predicates();
  auto it = std::lower_bound(all.begin(), all.end(), name,
                             [](const PredicateInfo& p, std::string_view n) { return p.name < n; });
  return it != all.end() && it->name == name ? &*it : nullptr;
}

}  // namespace mlops
