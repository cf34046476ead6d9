// Rule files -> RuleSet: schema validation with file:line errors, predicate compilation into
// deduplicated file queries, and cross-reference checks (requires, conditions, duplicate ids).
#include "rules/rule_loader.h"

#include <re2/re2.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "analysers/manifests.h"
#include "analysers/python_analyser.h"
#include "rules/embedded_rules.h"
#include "util/confined_fs.h"
#include "util/limits.h"
#include "util/read_file.h"
#include "util/size.h"
#include "util/yaml_load.h"

namespace mlops {
namespace {

int line_of(const YAML::Node& n) {
  return n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

// The longest run of characters in a glob that carries no wildcard.
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

// One rule file being parsed: collects errors with the file's path.
class Parser {
 public:
  Parser(const std::string& path, RuleSet& set, std::unordered_map<std::string, size_t>& query_index,
         std::vector<Diagnostic>& errors, std::vector<std::pair<std::string, Location>>& condition_refs)
      : path_(path), set_(set), query_index_(query_index), errors_(errors), condition_refs_(condition_refs) {}

  void error(const YAML::Node& at, const std::string& message) {
    errors_.push_back({{path_, line_of(at), 0}, message});
  }

  // Reports keys outside `allowed`; returns false when there were any.
  bool check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed) {
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

  std::optional<std::string> scalar(const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar()) {
      error(n, what + " must be a string");
      return std::nullopt;
    }
    return n.Scalar();
  }

  // A string or a list of strings.
  std::vector<std::string> strings(const YAML::Node& n, const std::string& what) {
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

  // An RE2 from a rule (rules come from untrusted repositories: linear time); one that does not
  // compile is a load error at `at`, naming the pattern as the rule wrote it.
  std::shared_ptr<const RE2> compile(const YAML::Node& at, const std::string& pattern,
                                     const std::string& written) {
    RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_shared<const RE2>(pattern, opts);
    if (!re->ok()) error(at, "invalid regular expression '" + written + "': " + re->error());
    return re;
  }

  size_t add_query(FileQuery q, const YAML::Node& at) {
    // A python_query's pattern is tree-sitter query text, compiled by its predicate.
    if (q.kind != QueryKind::PythonQuery && (!q.pattern.empty() || q.kind == QueryKind::Content ||
                                             q.kind == QueryKind::PythonString || q.op == ValueOp::Matches)) {
      // Content patterns run per line, but first once over the whole file to reject it fast:
      // multi-line mode keeps ^ and $ meaning "line start/end" in both.
      q.regex = compile(at, q.kind == QueryKind::Content ? "(?m)" + q.pattern : q.pattern, q.pattern);
    }
    std::string fp = q.fingerprint();
    auto it = query_index_.find(fp);
    if (it != query_index_.end()) return it->second;
    set_.queries.push_back(std::move(q));
    query_index_.emplace(fp, set_.queries.size() - 1);
    return set_.queries.size() - 1;
  }

  Expr query_expr(FileQuery q, const YAML::Node& at) {
    Expr e;
    e.op = Expr::Op::Query;
    e.query = add_query(std::move(q), at);
    return e;
  }

  static std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : path) {
      if (c == '.') {
        out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    out.push_back(cur);
    return out;
  }

  // `key: true` (YAML's spellings of true).
  static bool flag(const YAML::Node& m, const char* key) {
    const YAML::Node& n = m[key];
    if (!n || !n.IsScalar()) return false;
    const std::string& s = n.Scalar();
    return s == "true" || s == "True" || s == "yes";
  }

  // A map of keyword -> literal value, in the order written.
  std::vector<std::pair<std::string, std::string>> keyword_map(const YAML::Node& n, const std::string& what) {
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

  uint64_t size_of(const YAML::Node& n) {
    std::string text = n.IsScalar() ? n.Scalar() : "";
    if (auto size = parse_size(text)) return *size;
    error(n, "expected a size such as 5MB, got '" + text + "'");
    return 0;
  }

  // Parses a predicate expression: a map with exactly one predicate key, or a condition name.
  Expr expr(const YAML::Node& n) {
    Expr e;
    if (n.IsScalar()) {
      e.op = Expr::Op::Condition;
      e.condition = n.Scalar();
      condition_refs_.push_back({e.condition, {path_, line_of(n), 0}});
      return e;
    }
    if (!n.IsMap() || n.size() != 1) {
      error(n,
            "a check must be a map with exactly one predicate (any, all, not, file_exists, "
            "content, python_import, python_call, python_string, python_def, python_class, "
            "python_assign, python_query, yaml, toml, dependency, "
            "unpinned_dependency, large_file, condition)");
      return e;
    }
    auto kv = *n.begin();
    std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (key == "any" || key == "all") {
      e.op = key == "any" ? Expr::Op::Any : Expr::Op::All;
      if (!v.IsSequence() || v.size() == 0) {
        error(v, "'" + key + "' takes a non-empty list of checks");
        return e;
      }
      for (const auto& c : v) e.children.push_back(expr(c));
      return e;
    }
    if (key == "before") {
      // [A, B]: matches of A with a match of B later in the same file (e.g. a scaler fitted
      // before the train/test split).
      e.op = Expr::Op::Before;
      if (!v.IsSequence() || v.size() != 2) {
        error(v, "'before' takes a list of two checks: [first, then]");
        return e;
      }
      for (const auto& c : v) e.children.push_back(expr(c));
      return e;
    }
    if (key == "not") {
      e.op = Expr::Op::Not;
      e.children.push_back(expr(v));
      return e;
    }
    if (key == "condition") {
      if (auto s = scalar(v, "condition")) {
        e.op = Expr::Op::Condition;
        e.condition = *s;
        condition_refs_.push_back({*s, {path_, line_of(v), 0}});
      }
      return e;
    }
    if (key == "file_exists") {
      e.op = Expr::Op::FileExists;
      e.globs = strings(v, "file_exists");
      return e;
    }
    if (key == "large_file") {
      e.op = Expr::Op::LargeFile;
      if (v.IsMap()) {
        check_keys(v, {"files", "min_size"});
        if (v["files"]) e.globs = strings(v["files"], "files");
        if (v["min_size"]) e.min_size = size_of(v["min_size"]);
      } else if (!v.IsNull()) {
        error(v, "large_file takes a map with files and min_size");
      }
      return e;
    }

    FileQuery q;
    auto files = [&](const YAML::Node& m) {
      if (m["files"]) q.globs = strings(m["files"], "files");
    };
    if (key == "content" || key == "python_string") {
      q.kind = key == "content" ? QueryKind::Content : QueryKind::PythonString;
      if (!v.IsMap()) {
        error(v, key + " takes a map with pattern, files and prefilter");
        return e;
      }
      if (key == "content")
        check_keys(v, {"files", "pattern", "prefilter"});
      else
        check_keys(v, {"files", "pattern", "prefilter", "skip_env_arguments"});
      files(v);
      if (auto p = v["pattern"] ? scalar(v["pattern"], "pattern") : std::nullopt)
        q.pattern = *p;
      else
        error(v, key + " needs a pattern");
      if (v["skip_env_arguments"]) {
        if (auto b = scalar(v["skip_env_arguments"], "skip_env_arguments"))
          q.skip_env_arguments = *b == "true";
      }
      if (v["prefilter"]) q.prefilter = strings(v["prefilter"], "prefilter");
      return query_expr(std::move(q), v);
    }
    if (key == "python_import") {
      q.kind = QueryKind::PythonImport;
      if (v.IsMap()) {
        check_keys(v, {"module", "files"});
        files(v);
        if (v["module"]) q.names = strings(v["module"], "module");
      } else {
        q.names = strings(v, "python_import");
      }
      if (q.names.empty()) error(v, "python_import needs at least one module");
      // Any import of a module or its submodules spells the module's last segment as a word.
      for (const auto& m : q.names) q.prefilter.push_back(m.substr(m.rfind('.') + 1));
      q.prefilter_words = true;
      return query_expr(std::move(q), v);
    }
    if (key == "python_call") {
      q.kind = QueryKind::PythonCall;
      if (v.IsMap()) {
        check_keys(v, {"name", "has_keyword", "lacks_keyword", "keyword_values", "keyword_not_values",
                       "files", "text", "prefilter"});
        files(v);
        if (v["name"]) q.names = strings(v["name"], "name");
        if (v["text"]) {
          if (auto t = scalar(v["text"], "text")) q.pattern = *t;  // RE2 over the call's source text
        }
        if (v["has_keyword"]) q.has_keywords = strings(v["has_keyword"], "has_keyword");
        if (v["lacks_keyword"]) q.lacks_keywords = strings(v["lacks_keyword"], "lacks_keyword");
        if (v["keyword_values"]) q.keyword_values = keyword_map(v["keyword_values"], "keyword_values");
        if (v["keyword_not_values"])
          q.keyword_not_values = keyword_map(v["keyword_not_values"], "keyword_not_values");
      } else {
        q.names = strings(v, "python_call");
      }
      if (std::none_of(q.names.begin(), q.names.end(),
                       [](const std::string& n) { return !n.starts_with('!'); }))
        error(v, "python_call needs at least one name (not only !exclusions)");
      // A file that makes the call spells the last segment of its name (or, failing that, a
      // required keyword) literally: that literal is the prefilter. Exclusions (`!name`) add none.
      bool all_literal = true, all_words = true;
      for (const auto& name : q.names) {
        if (name.starts_with('!')) continue;
        std::string last = name.substr(name.rfind('.') + 1);
        std::string lit = longest_literal(last);
        if (lit.size() >= 3)
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
        q.prefilter = strings(v["prefilter"], "prefilter");
        q.prefilter_words = q.prefilter_calls = false;
      }
      return query_expr(std::move(q), v);
    }
    if (key == "python_def") {
      q.kind = QueryKind::PythonDef;
      if (v.IsMap()) {
        check_keys(v, {"name", "files", "with_calls", "test"});
        files(v);
        if (v["name"]) q.names = strings(v["name"], "name");
        if (flag(v, "with_calls")) q.value = "calls";
        if (flag(v, "test")) q.value += q.value.empty() ? "test" : ",test";
      } else {
        q.names = strings(v, "python_def");
      }
      if (q.names.empty()) error(v, "python_def needs at least one name");
      q.prefilter = {"def"};
      q.prefilter_words = true;
      return query_expr(std::move(q), v);
    }
    if (key == "python_class") {
      // A class named like `name` deriving (directly or through the file's own classes) from `base`.
      q.kind = QueryKind::PythonClass;
      if (!v.IsMap()) {
        error(v, "python_class takes a map with name, base and files");
        return e;
      }
      check_keys(v, {"name", "base", "files", "prefilter"});
      files(v);
      if (v["name"]) q.names = strings(v["name"], "name");
      if (v["base"]) q.bases = strings(v["base"], "base");
      if (q.names.empty() && q.bases.empty()) error(v, "python_class needs a name or a base");
      q.prefilter = {"class"};
      q.prefilter_words = true;
      if (v["prefilter"]) {
        q.prefilter = strings(v["prefilter"], "prefilter");
        q.prefilter_words = false;
      }
      return query_expr(std::move(q), v);
    }
    if (key == "python_assign") {
      q.kind = QueryKind::PythonAssign;
      if (!v.IsMap()) {
        error(v, "python_assign takes a map with name, value and files");
        return e;
      }
      check_keys(v, {"name", "value", "files", "prefilter"});
      files(v);
      if (v["name"])
        q.names = strings(v["name"], "name");
      else
        error(v, "python_assign needs a name");
      if (v["value"]) {
        if (auto p = scalar(v["value"], "value")) q.pattern = *p;  // RE2 over the value
      }
      // An assignment spells its name; a name glob with a literal part gives a prefilter.
      bool all_literal = !q.names.empty();
      for (const auto& n : q.names) {
        if (n.starts_with('!')) continue;  // an exclusion spells nothing the file must hold
        std::string lit = longest_literal(n);
        if (lit.size() >= 3)
          q.prefilter.push_back(lit);
        else
          all_literal = false;
      }
      if (!all_literal) q.prefilter.clear();
      if (v["prefilter"]) q.prefilter = strings(v["prefilter"], "prefilter");
      return query_expr(std::move(q), v);
    }
    if (key == "python_query") {
      q.kind = QueryKind::PythonQuery;
      if (!v.IsMap()) {
        error(v, "python_query takes a map with query, capture, prefilter and files");
        return e;
      }
      check_keys(v, {"query", "capture", "prefilter", "files"});
      files(v);
      if (v["capture"]) {
        if (auto c = scalar(v["capture"], "capture")) q.value = *c;
      }
      if (v["prefilter"]) q.prefilter = strings(v["prefilter"], "prefilter");
      auto src = v["query"] ? scalar(v["query"], "query") : std::nullopt;
      if (!src) {
        if (!v["query"]) error(v, "python_query needs a query");
        return e;
      }
      q.pattern = *src;
      // Compiled once here; the compiled query is immutable and shared by every file's cursor.
      PyTreeQuery::Result compiled = PyTreeQuery::compile(q.pattern, q.value);
      if (!compiled.query) {
        error(v["query"], compiled.error);
        return e;
      }
      q.tree_query = std::move(compiled.query);
      return query_expr(std::move(q), v);
    }
    if (key == "yaml" || key == "toml") {
      q.kind = key == "yaml" ? QueryKind::Yaml : QueryKind::Toml;
      if (!v.IsMap()) {
        error(v, key + " takes a map with path, files and equals or matches");
        return e;
      }
      check_keys(v, {"files", "path", "equals", "matches", "prefilter", "kind", "lacks", "beside"});
      if (v["beside"]) {
        if (q.kind != QueryKind::Yaml || !v["beside"].IsMap()) {
          error(v["beside"], "beside takes a map of keys to patterns, for YAML only");
        } else {
          for (auto it = v["beside"].begin(); it != v["beside"].end(); ++it) {
            auto key = scalar(it->first, "beside key");
            auto pattern = scalar(it->second, "beside pattern");
            if (!key || !pattern) continue;
            q.beside.emplace_back(*key, *pattern);
            q.beside_regexes.push_back(compile(it->second, *pattern, *pattern));
          }
        }
      }
      if (v["kind"]) {
        if (q.kind != QueryKind::Yaml)
          error(v["kind"], "kind filters YAML documents only");
        else if (auto k = scalar(v["kind"], "kind"))
          q.doc_kind = *k;
      }
      if (v["lacks"]) {
        if (q.kind != QueryKind::Yaml)
          error(v["lacks"], "lacks filters YAML documents only");
        else
          q.doc_lacks = strings(v["lacks"], "lacks");
      }
      files(v);
      if (auto p = v["path"] ? scalar(v["path"], "path") : std::nullopt)
        q.key_path = split_path(*p);
      else
        error(v, key + " needs a key path");
      if (v["equals"] && v["matches"]) error(v, "use either equals or matches, not both");
      if (v["equals"]) {
        q.op = ValueOp::Equals;
        if (auto s = scalar(v["equals"], "equals")) q.value = *s;
      } else if (v["matches"]) {
        q.op = ValueOp::Matches;
        if (auto s = scalar(v["matches"], "matches")) q.pattern = *s;
      }
      if (v["prefilter"]) q.prefilter = strings(v["prefilter"], "prefilter");
      return query_expr(std::move(q), v);
    }
    if (key == "dependency" || key == "unpinned_dependency" || key == "locked_dependency") {
      q.kind = key == "dependency"            ? QueryKind::DependencyDeclared
               : key == "unpinned_dependency" ? QueryKind::DependencyUnpinned
                                              : QueryKind::DependencyLocked;
      if (v.IsMap()) {
        check_keys(v, {"name", "files"});
        files(v);
        if (v["name"]) q.names = strings(v["name"], "name");
      } else if (!v.IsNull()) {
        q.names = strings(v, key);
      }
      for (auto& nm : q.names) nm = normalise_package_name(nm);
      if (q.kind == QueryKind::DependencyDeclared && q.names.empty())
        error(v, "dependency needs at least one package name");
      if (q.kind == QueryKind::DependencyDeclared) return query_expr(std::move(q), v);
      // A requirement a constraints file (`-c`) pins is pinned: the engine applies them.
      e.op = Expr::Op::Unpinned;
      e.query = add_query(std::move(q), v);
      FileQuery includes;
      includes.kind = QueryKind::RequirementIncludes;
      e.build_query = add_query(std::move(includes), v);
      return e;
    }
    if (key == "ci_runs") {
      // A CI job runs a matching command, directly or through make / tox / pre-commit.
      std::string pattern;
      if (v.IsMap()) {
        check_keys(v, {"pattern"});
        if (auto p = v["pattern"] ? scalar(v["pattern"], "pattern") : std::nullopt) pattern = *p;
      } else if (auto p = scalar(v, "ci_runs")) {
        pattern = *p;
      }
      if (pattern.empty()) {
        error(v, "ci_runs needs a pattern");
        return e;
      }
      e.op = Expr::Op::CiRuns;
      e.regex = compile(v, pattern, pattern);
      FileQuery ci;
      ci.kind = QueryKind::CiCommands;
      e.query = add_query(std::move(ci), v);
      FileQuery build;
      build.kind = QueryKind::BuildCommands;
      e.build_query = add_query(std::move(build), v);
      return e;
    }
    if (key == "unlocked_dependency") {
      // A package a manifest declares that the lock file beside it (or in a parent directory:
      // workspaces) does not pin: the lock is stale.
      FileQuery declared;
      declared.kind = QueryKind::DependencyDeclared;
      declared.value = "main";  // extras and groups may be left out of a lock on purpose
      declared.globs = {"pyproject.toml", "Pipfile"};
      if (v.IsMap()) {
        check_keys(v, {"files"});
        if (v["files"]) declared.globs = strings(v["files"], "files");
      } else if (!v.IsNull()) {
        error(v, "unlocked_dependency takes a map with files, or nothing");
      }
      e.op = Expr::Op::Unlocked;
      e.query = add_query(std::move(declared), v);
      FileQuery locks;
      locks.kind = QueryKind::LockContents;
      e.build_query = add_query(std::move(locks), v);
      return e;
    }
    if (key == "git_tag") {
      // A git tag on the scanned commit or an ancestor matches (model versions registered as tags).
      auto p = scalar(v, "git_tag");
      if (!p || p->empty()) {
        error(v, "git_tag needs a pattern");
        return e;
      }
      e.op = Expr::Op::GitTag;
      e.regex = compile(v, *p, *p);
      return e;
    }
    if (key == "notebook") {
      if (!v.IsMap() || v.size() != 1 || !(v["out_of_order"] || v["outputs_over"] || v["files"])) {
        error(v, "notebook takes one of: out_of_order: true, outputs_over: SIZE");
        return e;
      }
      check_keys(v, {"out_of_order", "outputs_over"});
      if (v["out_of_order"]) {
        q.kind = QueryKind::NotebookOutOfOrder;
        q.prefilter = {"execution_count", "prompt_number"};
      } else if (v["outputs_over"]) {
        q.kind = QueryKind::NotebookOutputs;
        q.value = std::to_string(size_of(v["outputs_over"]));
        q.prefilter = {"output_type"};
      }
      return query_expr(std::move(q), v);
    }
    if (key == "dockerfile") {
      // Dockerfile instructions whose arguments match, or FROM lines with an unpinned base image.
      if (!v.IsMap()) {
        error(v, "dockerfile takes a map: instruction, pattern, files, or unpinned_base_image: true");
        return e;
      }
      check_keys(v, {"instruction", "pattern", "files", "unpinned_base_image"});
      files(v);
      if (v["unpinned_base_image"]) {
        if (v["instruction"] || v["pattern"]) error(v, "unpinned_base_image takes no instruction or pattern");
        q.kind = QueryKind::DockerUnpinnedBase;
        return query_expr(std::move(q), v);
      }
      q.kind = QueryKind::DockerInstruction;
      if (v["instruction"]) q.names = strings(v["instruction"], "instruction");
      for (auto& n : q.names)
        for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (v["pattern"]) {
        if (auto p = scalar(v["pattern"], "pattern")) q.pattern = *p;
      }
      if (q.names.empty() && q.pattern.empty())
        error(v, "dockerfile needs an instruction, a pattern or both");
      return query_expr(std::move(q), v);
    }
    error(kv.first, "unknown predicate '" + key + "'");
    return e;
  }

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
    check_keys(root, {"id",       "name",      "practice",    "category", "severity",   "kind",     "summary",
                      "message",  "rationale", "remediation", "examples", "references", "profiles", "applies",
                      "requires", "anchor",    "check",       "unless",   "in_file",    "fix"});
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
    if (!r.id.empty() && !RE2::FullMatch(r.id, R"([A-Z]{2,4}[0-9]{3})"))
      error(root["id"], "id '" + r.id + "' must be 2-4 capital letters and 3 digits, e.g. DAT001");
    if (!r.name.empty() && !RE2::FullMatch(r.name, R"([a-z0-9]+(-[a-z0-9]+)*)"))
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
    if (root["anchor"]) r.anchor = strings(root["anchor"], "anchor");
    if (root["applies"]) r.applies = expr(root["applies"]);
    if (root["check"])
      r.check = expr(root["check"]);
    else
      error(root, "missing required key 'check'");
    if (root["unless"]) {
      if (r.kind != RuleKind::Pattern) error(root["unless"], "unless is only for pattern rules");
      r.unless = expr(root["unless"]);
    }
    if (root["in_file"]) {
      if (r.kind != RuleKind::Pattern) error(root["in_file"], "in_file is only for pattern rules");
      r.in_file = expr(root["in_file"]);
    }
    if (const auto& fx = root["fix"]) parse_fix(fx, r);
    set_.rules.push_back(std::move(r));
  }

  void parse(const std::string& contents, bool built_in) {
    // Bounded loading: rule files come from repositories too, and an alias bomb in a check
    // would expand into an exponential expression tree. Built-in rules are ours (and start-up
    // time is mostly their parsing): one scan, not two.
    YamlLoadResult loaded = load_yaml_documents(contents, !built_in);
    if (!loaded.error.empty()) {
      errors_.push_back({{path_, loaded.line, loaded.column}, loaded.error});
      return;
    }
    YAML::Node root = loaded.documents.empty() ? YAML::Node() : loaded.documents.front();
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
  std::unordered_map<std::string, size_t>& query_index_;
  std::vector<Diagnostic>& errors_;
  std::vector<std::pair<std::string, Location>>& condition_refs_;
};

}  // namespace

void RuleLoader::add(const RuleSource& source) {
  Parser p(source.path, set_, query_index_, errors_, condition_refs_);
  p.parse(source.contents, source.built_in);
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
  sup.regex = std::make_shared<RE2>(std::string("(?m)") + sup.pattern);
  set_.queries.push_back(std::move(sup));
  set_.suppression_query = set_.queries.size() - 1;
  FileQuery includes;
  includes.kind = QueryKind::RequirementIncludes;
  auto known = query_index_.find(includes.fingerprint());
  if (known != query_index_.end()) {
    set_.includes_query = known->second;
  } else {
    set_.queries.push_back(std::move(includes));
    set_.includes_query = set_.queries.size() - 1;
  }
  return std::move(set_);
}

RuleSet load_rules(const std::vector<std::string>& extra_dirs, std::vector<Diagnostic>& errors) {
  RuleLoader loader;
  for (const auto& f : rules::embedded_rule_files()) loader.add({f.path, std::string(f.contents), true});
  // Rule directories named by the repository's config lie inside the untrusted repository: their
  // files are listed and read through the confined layer, and a symlinked or special rule file is
  // refused (a symlink could lead anywhere; a FIFO would block). All together they are capped:
  // each rule costs compiled queries and per-file work, so a repository cannot make a scan
  // arbitrarily heavy.
  size_t repository_files = 0;
  for (const auto& dir : extra_dirs) {
    if (repository_files > kMaxRepositoryRules) break;  // already reported
    ConfinedRoot confined(dir);
    std::string error;
    auto entries = confined.ok() ? confined.list("", error) : std::nullopt;
    if (!entries) {
      errors.push_back(
          {{dir, 0, 0}, "cannot read rule directory: " + (confined.ok() ? error : confined.error())});
      continue;
    }
    for (const auto& e : *entries) {  // sorted by name
      if (!e.name.ends_with(".yaml") && !e.name.ends_with(".yml")) continue;
      std::string path = (std::filesystem::path(dir) / e.name).string();
      if (e.mode == S_IFDIR) continue;
      if (++repository_files > kMaxRepositoryRules) {
        errors.push_back({{dir, 0, 0},
                          "more than " + std::to_string(kMaxRepositoryRules) +
                              " rule files in the repository's rule directories; the rest are not loaded"});
        break;
      }
      if (e.mode == S_IFLNK) {
        errors.push_back({{path, 0, 0}, "rule file is a symlink; not loaded"});
        continue;
      }
      ConfinedRead r = confined.read(e.name, kMaxRuleFileSize, Symlinks::kRefuse);
      if (!r.ok()) {
        errors.push_back(
            {{path, 0, 0}, r.error == ConfinedError::kTooLarge ? "rule file " + r.message : r.message});
        continue;
      }
      loader.add({path, std::move(r.bytes)});
    }
  }
  RuleSet set = loader.finish();
  errors.insert(errors.end(), loader.errors().begin(), loader.errors().end());
  return set;
}

}  // namespace mlops
