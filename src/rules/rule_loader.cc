// Rule files -> RuleSet: schema validation with file:line errors, predicate compilation into
// deduplicated file queries, and cross-reference checks (requires, conditions, duplicate ids).
#include "rules/rule_loader.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "rules/predicate.h"
#include "rules/rule_codec.h"
#include "util/confined_fs.h"
#include "util/limits.h"
#include "util/read_file.h"
#include "util/yaml_load.h"

namespace mlops {
namespace {

// [A-Z]{2,4}[0-9]{3}, checked by hand: a regex compiled per rule file was a visible share of
// start-up.
bool valid_id(std::string_view id) {
  if (id.size() < 5 || id.size() > 7) return false;
  const size_t letters = id.size() - 3;
  for (size_t i = 0; i < id.size(); ++i)
    if (i < letters ? !(id[i] >= 'A' && id[i] <= 'Z') : !(id[i] >= '0' && id[i] <= '9')) return false;
  return true;
}

// [a-z0-9]+(-[a-z0-9]+)*
bool kebab_case(std::string_view name) {
  if (name.empty() || name.front() == '-' || name.back() == '-') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '-' ? name[i - 1] == '-' : !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// One rule file being parsed: the rule's own keys here, its checks through the predicate
// registry (rules/predicate.h). Errors carry the file's path.
class Parser {
 public:
  Parser(const std::string& path, RuleSet& set, std::unordered_map<std::string, size_t>& query_index,
         std::vector<Diagnostic>& errors, std::vector<std::pair<std::string, Location>>& condition_refs,
         std::set<std::string>& used, std::map<std::string, std::string>& condition_sources)
      : path_(path),
        set_(set),
        errors_(errors),
        condition_sources_(condition_sources),
        p_(path, set, query_index, errors, condition_refs, &used) {}

  void error(const YAML::Node& at, const std::string& message) { p_.error(at, message); }
  bool check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed) {
    return p_.check_keys(map, allowed);
  }
  std::optional<std::string> scalar(const YAML::Node& n, const std::string& what) {
    return p_.scalar(n, what);
  }
  std::vector<std::string> strings(const YAML::Node& n, const std::string& what) {
    return p_.strings(n, what);
  }
  Expr expr(const YAML::Node& n) { return p_.expr(n); }

  void parse_conditions(const YAML::Node& root) {
    check_keys(root, {"conditions"});
    const YAML::Node& c = root["conditions"];
    if (!c.IsMap()) {
      error(c, "conditions must be a map of name: check");
      return;
    }
    for (auto it = c.begin(); it != c.end(); ++it) {
      std::string name = it->first.Scalar();
      if (set_.conditions.count(name)) error(it->first, "condition '" + name + "' defined twice");
      set_.conditions[name] = expr(it->second);
      condition_sources_[name] = path_;
    }
  }

  // `fix: NAME` or `fix: {fixer: NAME, options: {KEY: VALUE}}`: the fixer is looked up by the fix
  // stage (fix/fixer.h), which reports a name it does not know.
  void parse_fix(const YAML::Node& fx, Rule& r) {
    if (fx.IsScalar()) {
      r.fixer = fx.Scalar();
      return;
    }
    if (!fx.IsMap()) {
      error(fx, "fix must be a fixer name or a map with fixer and options");
      return;
    }
    check_keys(fx, {"fixer", "options"});
    if (fx["fixer"]) r.fixer = scalar(fx["fixer"], "fix.fixer").value_or("");
    if (r.fixer.empty()) error(fx, "fix needs a fixer name");
    if (const auto& o = fx["options"]) {
      if (!o.IsMap()) {
        error(o, "fix.options must be a map of name: value");
        return;
      }
      for (auto it = o.begin(); it != o.end(); ++it)
        if (auto v = scalar(it->second, "fix.options")) r.fix_options[it->first.Scalar()] = *v;
    }
  }

  void parse_rule(const YAML::Node& root) {
    check_keys(root,
               {"id",       "name",      "practice",    "category", "severity",   "kind",     "summary",
                "message",  "rationale", "remediation", "examples", "references", "profiles", "applies",
                "requires", "anchor",    "check",       "unless",   "in_file",    "fix",      "essential"});
    Rule r;
    r.source = path_;
    auto required = [&](const char* key, std::string& out) {
      if (!root[key])
        error(root, std::string("missing required key '") + key + "'");
      else if (auto s = scalar(root[key], key))
        out = *s;
    };
    required("id", r.id);
    required("name", r.name);
    required("practice", r.practice);
    required("category", r.category);
    required("summary", r.summary);
    required("message", r.message);
    required("rationale", r.rationale);
    required("remediation", r.remediation);
    if (!r.id.empty() && !valid_id(r.id))
      error(root["id"], "id '" + r.id + "' must be 2-4 capital letters and 3 digits, e.g. DAT001");
    if (!r.name.empty() && !kebab_case(r.name))
      error(root["name"], "name '" + r.name + "' must be kebab-case");
    const auto& practices = known_practices();
    if (!r.practice.empty() && std::find(practices.begin(), practices.end(), r.practice) == practices.end())
      error(root["practice"], "unknown practice '" + r.practice + "'");
    if (root["severity"]) {
      auto s = scalar(root["severity"], "severity");
      auto sev = s ? parse_severity(*s) : std::nullopt;
      if (!sev)
        error(root["severity"], "severity must be error, warning or info");
      else
        r.severity = *sev;
    } else {
      error(root, "missing required key 'severity'");
    }
    if (root["kind"]) {
      auto s = scalar(root["kind"], "kind");
      if (s && *s == "pattern")
        r.kind = RuleKind::Pattern;
      else if (s && *s == "requirement")
        r.kind = RuleKind::Requirement;
      else
        error(root["kind"], "kind must be requirement or pattern");
    } else {
      error(root, "missing required key 'kind'");
    }
    if (const auto& ex = root["examples"]) {
      if (!ex.IsMap()) {
        error(ex, "examples must be a map with bad and good");
      } else {
        check_keys(ex, {"bad", "good"});
        if (ex["bad"]) r.bad_example = scalar(ex["bad"], "examples.bad").value_or("");
        if (ex["good"]) r.good_example = scalar(ex["good"], "examples.good").value_or("");
      }
    }
    if (root["references"]) r.references = strings(root["references"], "references");
    if (root["profiles"]) {
      r.profiles = strings(root["profiles"], "profiles");
      for (const auto& p : r.profiles)
        if (std::find(known_profiles().begin(), known_profiles().end(), p) == known_profiles().end())
          error(root["profiles"], "unknown profile '" + p + "' (research, team, production)");
    } else {
      r.profiles = known_profiles();
    }
    if (root["requires"]) r.requires_rules = strings(root["requires"], "requires");
    r.essential = p_.flag(root, "essential");
    if (r.essential && r.kind != RuleKind::Requirement)
      error(root["essential"], "essential applies to requirement rules only");
    if (root["anchor"]) r.anchor = strings(root["anchor"], "anchor");
    if (root["applies"]) r.applies = expr(root["applies"]);
    if (root["check"])
      r.check = expr(root["check"]);
    else
      error(root, "missing required key 'check'");
    // Retired in 0.2.0 for the scope operators, which nest anywhere; say how to rewrite.
    if (root["unless"])
      error(root["unless"],
            "'unless' was replaced by not_inside: write check: {not_inside: {check: ..., project: ...}}");
    if (root["in_file"])
      error(root["in_file"],
            "'in_file' was replaced by inside / not_inside: write check: {inside: {check: ..., file: ...}}");
    if (const auto& fx = root["fix"]) parse_fix(fx, r);
    set_.rules.push_back(std::move(r));
  }

  void parse(const std::string& contents, bool built_in) {
    p_.set_built_in(built_in);
    // Bounded loading: rule files come from repositories too, and an alias bomb in a check
    // would expand into an exponential expression tree. Built-in rules are ours (and start-up
    // time is mostly their parsing): one scan, not two.
    YamlLoadResult loaded = load_yaml_documents(contents, !built_in);
    if (!loaded.error.empty()) {
      errors_.push_back({{path_, loaded.line, loaded.column}, loaded.error});
      return;
    }
    parse_document(loaded.documents.empty() ? YAML::Node() : loaded.documents.front());
  }

  void parse_document(const YAML::Node& root) {
    if (!root.IsMap()) {
      errors_.push_back({{path_, 1, 0}, "a rule file must be a map"});
      return;
    }
    if (root["conditions"] && !root["id"])
      parse_conditions(root);
    else
      parse_rule(root);
  }

 private:
  std::string path_;
  RuleSet& set_;
  std::vector<Diagnostic>& errors_;
  std::map<std::string, std::string>& condition_sources_;
  PredicateParser p_;
};

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

void RuleLoader::add(const RuleSource& source) {
  if (index_stale_) {
    // Equal queries are shared with the compiled rules too.
    for (size_t i = 0; i < set_.queries.size(); ++i) query_index_.emplace(set_.queries[i].fingerprint(), i);
    index_stale_ = false;
  }
  Parser p(source.path, set_, query_index_, errors_, condition_refs_, used_, condition_sources_);
  p.parse(source.contents, source.built_in);
}

void RuleLoader::add_compiled(std::string_view compiled, const std::set<std::string>& skip) {
  if (!set_.rules.empty() || !set_.conditions.empty() || !set_.queries.empty()) {
    errors_.push_back({{"", 0, 0}, "compiled rules must be added before any other rule file"});
    return;
  }
  std::optional<CompiledRules> decoded = decode_rules(compiled);
  if (!decoded) {
    errors_.push_back(
        {{"", 0, 0}, "the built-in rules are damaged or from another version; rebuild mlops-lint"});
    return;
  }
  set_ = std::move(decoded->set);
  condition_sources_ = std::move(decoded->condition_sources);
  index_stale_ = true;
  if (skip.empty()) return;
  std::erase_if(set_.rules, [&](const Rule& r) { return skip.count(file_name(r.source)) > 0; });
  for (auto it = condition_sources_.begin(); it != condition_sources_.end();) {
    if (skip.count(file_name(it->second))) {
      set_.conditions.erase(it->first);
      it = condition_sources_.erase(it);
    } else {
      ++it;
    }
  }
}

std::string RuleLoader::encode() const {
  return encode_rules(set_, condition_sources_);
}

RuleSet RuleLoader::finish() {
  for (const auto& [name, where] : condition_refs_)
    if (!set_.conditions.count(name)) errors_.push_back({where, "unknown condition '" + name + "'"});
  // Conditions may refer to conditions; a cycle would never finish evaluating.
  std::map<std::string, int> state;  // 1 visiting, 2 done
  std::function<bool(const Expr&)> acyclic = [&](const Expr& e) -> bool {
    if (e.op == Expr::Op::Condition) {
      auto it = set_.conditions.find(e.condition);
      if (it == set_.conditions.end()) return true;
      int& s = state[e.condition];
      if (s == 1) return false;
      if (s == 2) return true;
      s = 1;
      bool ok = acyclic(it->second);
      state[e.condition] = 2;
      return ok;
    }
    return std::all_of(e.children.begin(), e.children.end(), acyclic);
  };
  for (const auto& [name, e] : set_.conditions) {
    Expr ref;
    ref.op = Expr::Op::Condition;
    ref.condition = name;
    if (!acyclic(ref)) errors_.push_back({{"", 0, 0}, "condition '" + name + "' refers to itself"});
  }
  std::stable_sort(set_.rules.begin(), set_.rules.end(),
                   [](const Rule& a, const Rule& b) { return a.id < b.id; });
  for (size_t i = 1; i < set_.rules.size(); ++i)
    if (set_.rules[i].id == set_.rules[i - 1].id)
      errors_.push_back(
          {{set_.rules[i].source, 1, 0},
           "rule id " + set_.rules[i].id + " is already defined in " + set_.rules[i - 1].source});
  for (const auto& r : set_.rules)
    for (const auto& req : r.requires_rules)
      if (!set_.find(req))
        errors_.push_back({{r.source, 1, 0}, "rule " + r.id + " requires unknown rule " + req});
  std::sort(errors_.begin(), errors_.end());
  // Inline suppressions are found like any content: in the same single pass over each file.
  FileQuery sup;
  sup.kind = QueryKind::Content;
  sup.pattern = kSuppressionPattern;
  sup.prefilter = {"mlops-lint:"};
  sup.regex = Regex::lazy(std::string("(?m)") + sup.pattern);
  set_.queries.push_back(std::move(sup));
  set_.suppression_query = set_.queries.size() - 1;
  FileQuery includes;
  includes.kind = QueryKind::RequirementIncludes;
  const std::string fingerprint = includes.fingerprint();
  auto known = std::find_if(set_.queries.begin(), set_.queries.end(), [&](const FileQuery& q) {
    return q.kind == QueryKind::RequirementIncludes && q.fingerprint() == fingerprint;
  });
  if (known != set_.queries.end()) {
    set_.includes_query = static_cast<size_t>(known - set_.queries.begin());
  } else {
    set_.queries.push_back(std::move(includes));
    set_.includes_query = set_.queries.size() - 1;
  }
  return std::move(set_);
}

}  // namespace mlops
