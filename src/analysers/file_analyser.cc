// Per-file analysis: one read, each format parsed at most once, every relevant query answered.
#include "analysers/file_analyser.h"

#include <re2/re2.h>
#include <re2/set.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include <toml++/toml.h>

#include "analysers/ci_config.h"
#include "analysers/dockerfile.h"
#include "analysers/lock_files.h"
#include "analysers/manifests.h"
#include "analysers/notebook.h"
#include "analysers/noxfile.h"
#include "analysers/python_analyser.h"
#include "analysers/secrets.h"
#include "analysers/task_runners.h"
#include "util/glob.h"
#include "util/limits.h"
#include "util/toml_guard.h"
#include "util/yaml_load.h"

namespace mlops {
namespace {

bool looks_binary(std::string_view bytes) {
  return bytes.substr(0, 8000).find('\0') != std::string_view::npos;
}

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool contains_word(std::string_view bytes, std::string_view word) {
  for (size_t pos = bytes.find(word); pos != std::string_view::npos; pos = bytes.find(word, pos + 1)) {
    bool left = pos == 0 || !is_ident(bytes[pos - 1]);
    size_t end = pos + word.size();
    bool right = end >= bytes.size() || !is_ident(bytes[end]);
    if (left && right) return true;
  }
  return false;
}

// A call of `name` needs `name(` (possibly with spaces or a line break before the parenthesis),
// unless the name is imported under an alias (`name as x`): then any use may call it.
bool contains_call(std::string_view bytes, std::string_view name) {
  for (size_t pos = bytes.find(name); pos != std::string_view::npos; pos = bytes.find(name, pos + 1)) {
    if (pos > 0 && is_ident(bytes[pos - 1])) continue;
    size_t end = pos + name.size();
    if (end < bytes.size() && is_ident(bytes[end])) continue;
    size_t next = end;
    while (next < bytes.size() && (bytes[next] == ' ' || bytes[next] == '\t' || bytes[next] == '\\' ||
                                   bytes[next] == '\n' || bytes[next] == '\r'))
      ++next;
    if (next < bytes.size() && bytes[next] == '(') return true;
    if (bytes.substr(next, 3) == "as " || bytes.substr(next, 3) == "as\t") return true;
  }
  return false;
}

bool literal_passes(const FileQuery& q, std::string_view bytes, const std::string& lit) {
  if (q.prefilter_calls) return contains_call(bytes, lit);
  return q.prefilter_words ? contains_word(bytes, lit) : bytes.find(lit) != std::string_view::npos;
}

// `present` (from a PrefilterIndex) says which literals occur at all; only those are verified.
bool passes_prefilter(const FileQuery& q, size_t qi, std::string_view bytes, const PrefilterIndex* index,
                      const std::vector<bool>& present) {
  if (q.prefilter.empty()) return true;
  if (!index) {
    return std::any_of(q.prefilter.begin(), q.prefilter.end(),
                       [&](const std::string& lit) { return literal_passes(q, bytes, lit); });
  }
  const auto& ids = index->literals_of(qi);
  for (size_t k = 0; k < ids.size() && k < q.prefilter.size(); ++k)
    if (present[static_cast<size_t>(ids[k])] && literal_passes(q, bytes, q.prefilter[k])) return true;
  return false;
}

std::string snippet(std::string_view s) {
  size_t a = s.find_first_not_of(" \t");
  if (a == std::string_view::npos) return {};
  s = s.substr(a);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s.substr(0, kMaxSnippetBytes));
}

void push(std::vector<Match>& out, Match m) {
  if (out.size() < kMaxMatchesPerQuery) out.push_back(std::move(m));
}

// Text captured by a group whose name starts with `secret` (RE2 names must be unique: secret,
// secret2, ...) never leaves the analyser unmasked: not in findings, not in the cache. A few
// characters stay so a user can tell which key it was.
// At most `cap` bytes of the result are built: a match on a 10 MB line must not copy the line.
std::string mask_secret(std::string_view line, std::string_view secret, size_t cap) {
  size_t off = static_cast<size_t>(secret.data() - line.data());
  std::string out(line.substr(0, std::min(off, cap)));
  if (out.size() >= cap) return out;
  out += mask_token(secret);
  if (out.size() < cap) out += line.substr(off + secret.size(), cap - out.size());
  return out;
}

// Finds every secret in the file (all patterns, all matches, URL credentials) and masks each in
// every text the facts hold, whichever query captured it: a second token on a line, or a token
// quoted by another rule's snippet, reaches neither a finding nor the cache in clear.
void mask_file_secrets(std::string_view bytes, const std::vector<FileQuery>& queries, FileFacts& facts) {
  bool any_text = !facts.diagnostics.empty();
  for (const auto& [q, g] : facts.query_matches.lists()) any_text = any_text || !g.empty();
  if (!any_text) return;  // nothing leaves the analyser that could quote a secret
  SecretScanner scanner(queries);
  std::vector<std::string> known;
  int line = 1;
  size_t line_start = 0, scanned = 0;
  for (const auto& r : scanner.find(bytes)) {
    if (facts.secrets.size() >= kMaxSecretsPerFile) break;
    for (; scanned < r.begin; ++scanned)
      if (bytes[scanned] == '\n') ++line, line_start = scanned + 1;
    facts.secrets.push_back(
        {line, static_cast<int>(r.begin - line_start) + 1, static_cast<int>(r.end - r.begin)});
    known.emplace_back(bytes.substr(r.begin, r.end - r.begin));
  }
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  for (auto& [q, g] : facts.query_matches.lists())
    for (auto& m : g) m.text = scanner.mask(m.text, known);
  for (auto& d : facts.diagnostics) d.message = scanner.mask(d.message, known);
}

// What a snippet may need of a line before it trims the line's indentation and cuts it.
constexpr size_t kSnippetSource = 4 * kMaxSnippetBytes;

// Indexes of the secret groups, and how many submatches a match must capture to see them.
struct SecretGroups {
  std::vector<int> groups;
  int needed = 1;
};

SecretGroups secret_groups(const RE2& re) {
  SecretGroups sg;
  for (const auto& [name, index] : re.NamedCapturingGroups())
    if (name.rfind("secret", 0) == 0) {
      sg.groups.push_back(index);
      sg.needed = std::max(sg.needed, index + 1);
    }
  return sg;
}

// `text` with the first participating secret group masked, at most `cap` bytes of it.
std::string masked(std::string_view text, const SecretGroups& sg, const std::vector<re2::StringPiece>& subs,
                   size_t cap = kSnippetSource) {
  for (int g : sg.groups) {
    const auto& piece = subs[static_cast<size_t>(g)];
    if (piece.data() != nullptr) return mask_secret(text, std::string_view(piece.data(), piece.size()), cap);
  }
  return std::string(text.substr(0, cap));
}

void run_content(const FileQuery& q, std::string_view bytes, std::vector<Match>& out) {
  const RE2& re = *q.regex;
  // One pass over the whole buffer rejects most files before any per-line work.
  if (!RE2::PartialMatch(bytes, re)) return;
  const SecretGroups sg = secret_groups(re);
  std::vector<re2::StringPiece> subs(static_cast<size_t>(sg.needed));
  int line = 0;
  size_t pos = 0;
  while (pos < bytes.size() && out.size() < kMaxMatchesPerQuery) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) nl = bytes.size();
    std::string_view text = bytes.substr(pos, nl - pos);
    ++line;
    if (re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED, subs.data(),
                 sg.needed)) {
      int column = static_cast<int>(subs[0].data() - text.data()) + 1;
      push(out, {line, column, 0, 0, snippet(masked(text, sg, subs))});
    }
    pos = nl + 1;
  }
}

// Lazily parsed views of the file, shared by all queries.
class Parsed {
 public:
  Parsed(const FileEntry& file, std::string_view bytes, FileFacts& facts, bool as_requirements)
      : file_(file),
        bytes_(bytes),
        facts_(facts),
        kind_(as_requirements ? ManifestKind::Requirements : manifest_kind(file.path)) {}

  ManifestKind kind() const { return kind_; }

  // The notebook's code cells (without parsing their Python), or nullptr when unreadable.
  const NotebookCode* notebook() {
    if (!notebook_done_) {
      notebook_done_ = true;
      NotebookResult nb = extract_notebook(bytes_);
      for (auto& note : nb.notes)
        facts_.diagnostics.push_back({{file_.path, note.line, 0}, std::move(note.message)});
      if (!nb.error.empty()) {
        facts_.diagnostics.push_back({{file_.path, nb.error_line, 0}, nb.error});
        facts_.unreadable = true;
      } else {
        notebook_ = std::move(nb.code);
      }
    }
    return notebook_ ? &*notebook_ : nullptr;
  }

  // Which of the optional Python facts the file's queries need; set before the first python().
  void want_python(unsigned bits) { python_wanted_ |= bits; }

  // The file's Python (a notebook's code cells), parsed once for facts and raw queries.
  const PythonParse* python_parse() {
    if (!parse_done_) {
      parse_done_ = true;
      if (file_.path.ends_with(".ipynb")) {
        if (notebook()) parse_.emplace(notebook_->source);
      } else {
        parse_.emplace(bytes_);
      }
    }
    return parse_ ? &*parse_ : nullptr;
  }

  const PythonFacts* python() {
    if (!python_done_) {
      python_done_ = true;
      const PythonParse* parse = python_parse();
      if (!parse) return nullptr;
      python_ = parse->facts(python_wanted_);
      if (python_->truncated_after > 0)
        diagnose(1, "analysis stopped after " + std::to_string(python_->truncated_after) +
                        " syntax nodes; findings in this file may be incomplete");
      if (python_->first_error_line > 0) {
        Match at = locate(python_->first_error_line, 1);
        facts_.diagnostics.push_back(
            {{file_.path, at.line, 0, at.cell, at.cell_line},
             "Python syntax error; the rest of the file was analysed as far as it could be read"});
      }
    }
    return python_ ? &*python_ : nullptr;
  }

  void diagnose(int line, std::string message) {
    facts_.diagnostics.push_back({{file_.path, line, 0}, std::move(message)});
  }

  // Maps a line of the analysed Python source to the file (identity except for notebooks).
  Match locate(int line, int column) const {
    if (!notebook_) return {line, column, 0, 0, {}};
    if (line < 1 || line > static_cast<int>(notebook_->lines.size())) return {1, 0, 0, 0, {}};
    const NotebookLine& nl = notebook_->lines[static_cast<size_t>(line - 1)];
    return {nl.file_line, 0, nl.cell, nl.cell_line, {}};
  }

  const std::vector<YAML::Node>* yaml() {
    const auto* docs = yaml_quiet();
    if (!yaml_error_.empty()) {
      facts_.diagnostics.push_back({{file_.path, yaml_error_line_, yaml_error_column_}, yaml_error_});
      facts_.unreadable = true;
      yaml_error_.clear();  // reported once
    }
    return docs;
  }

  // Parses without reporting an error (for files whose YAML is only a guess).
  const std::vector<YAML::Node>* yaml_quiet() {
    if (!yaml_done_) {
      yaml_done_ = true;
      YamlLoadResult loaded = load_yaml_documents(bytes_);
      if (loaded.error.empty()) {
        yaml_ = std::move(loaded.documents);
      } else {
        yaml_error_ = std::move(loaded.error);
        yaml_error_line_ = loaded.line;
        yaml_error_column_ = loaded.column;
      }
    }
    return yaml_ ? &*yaml_ : nullptr;
  }

  const toml::table* toml() {
    if (!toml_done_) {
      toml_done_ = true;
      if (auto deep = check_toml_depth(bytes_)) {
        facts_.diagnostics.push_back({{file_.path, deep->line, 0}, std::move(deep->message)});
        facts_.unreadable = true;
        return nullptr;
      }
      try {
        toml_ = toml::parse(bytes_, file_.path);
      } catch (const toml::parse_error& err) {
        facts_.diagnostics.push_back({{file_.path, static_cast<int>(err.source().begin.line),
                                       static_cast<int>(err.source().begin.column)},
                                      "invalid TOML: " + std::string(err.description())});
        facts_.unreadable = true;
      }
    }
    return toml_ ? &*toml_ : nullptr;
  }

  // The packages a lock file pins; a lock that does not parse is diagnosed and pins nothing.
  const std::vector<Dependency>& locks() {
    if (!locks_) {
      locks_.emplace();
      std::string error;
      switch (lock_kind(file_.path)) {
        case LockKind::TomlPackages:
          if (auto* t = toml()) *locks_ = read_toml_lock(*t, error);
          break;
        case LockKind::PipfileLock:
          *locks_ = read_pipfile_lock(bytes_, error);
          break;
        case LockKind::CondaLock:
        case LockKind::PixiLock:
          if (auto* docs = yaml()) *locks_ = read_yaml_lock(*docs, lock_kind(file_.path), error);
          break;
        case LockKind::RequirementsLock:
          *locks_ = read_requirements(bytes_);
          for (auto& d : *locks_) d.pinned = true;  // generated by the tool: exact by construction
          break;
        case LockKind::None:
          break;
      }
      if (!error.empty()) facts_.diagnostics.push_back({{file_.path, 1, 0}, error});
    }
    return *locks_;
  }

  const DockerfileResult& dockerfile() {
    if (!dockerfile_) {
      dockerfile_ = read_dockerfile(bytes_);
      for (const auto& [line, problem] : dockerfile_->problems)
        facts_.diagnostics.push_back({{file_.path, line, 0}, problem});
    }
    return *dockerfile_;
  }

  const std::vector<Dependency>& deps() {
    if (!deps_) {
      deps_.emplace();
      switch (kind_) {
        case ManifestKind::Requirements:
          *deps_ = read_requirements(bytes_);
          break;
        case ManifestKind::Pyproject:
          if (auto* t = toml()) *deps_ = read_pyproject(*t);
          break;
        case ManifestKind::Pipfile:
          if (auto* t = toml()) *deps_ = read_pipfile(*t);
          break;
        case ManifestKind::CondaEnv:
          if (auto* docs = yaml())
            for (const auto& d : *docs) {
              auto more = read_conda_env(d);
              deps_->insert(deps_->end(), more.begin(), more.end());
            }
          break;
        case ManifestKind::SetupPy:
          *deps_ = read_setup_py(bytes_);
          break;
        case ManifestKind::SetupCfg:
          *deps_ = read_setup_cfg(bytes_);
          break;
        case ManifestKind::None:
          break;
      }
    }
    return *deps_;
  }

 private:
  const FileEntry& file_;
  std::string_view bytes_;
  FileFacts& facts_;
  ManifestKind kind_;
  bool python_done_ = false, parse_done_ = false, notebook_done_ = false, yaml_done_ = false,
       toml_done_ = false;
  unsigned python_wanted_ = 0;
  std::optional<PythonParse> parse_;
  std::optional<PythonFacts> python_;
  std::optional<NotebookCode> notebook_;
  std::optional<std::vector<YAML::Node>> yaml_;
  std::string yaml_error_;
  int yaml_error_line_ = 0, yaml_error_column_ = 0;
  std::optional<toml::table> toml_;
  std::optional<std::vector<Dependency>> deps_;
  std::optional<DockerfileResult> dockerfile_;
  std::optional<std::vector<Dependency>> locks_;
};

bool value_matches(const FileQuery& q, const std::string& scalar) {
  switch (q.op) {
    case ValueOp::Exists:
      return true;
    case ValueOp::Equals:
      return scalar == q.value;
    case ValueOp::Matches:
      return RE2::PartialMatch(scalar, *q.regex);
  }
  return false;
}

// The map that holds a yaml query's last key also holds every `beside` key with a matching
// value: a scalar, or a list of scalars read as one line (`args: [-m, pytest]` -> "-m pytest").
bool beside_holds(const FileQuery& q, const YAML::Node& map) {
  for (size_t i = 0; i < q.beside.size() && i < q.beside_regexes.size(); ++i) {
    const YAML::Node v = map[q.beside[i].first];
    std::string text;
    if (v && v.IsScalar()) {
      text = v.Scalar();
    } else if (v && v.IsSequence()) {
      for (const auto& item : v)
        if (item.IsScalar() && text.size() < 4096) text += (text.empty() ? "" : " ") + item.Scalar();
    } else {
      return false;
    }
    if (!RE2::PartialMatch(text, *q.beside_regexes[i])) return false;
  }
  return true;
}

// Walks a YAML document along the key path; aliases share nodes, so a budget bounds the walk.
void walk_yaml(const FileQuery& q, const YAML::Node& node, size_t depth, int line, std::vector<Match>& out,
               size_t& budget) {
  if (budget == 0 || out.size() >= kMaxMatchesPerQuery) return;
  --budget;
  if (depth == q.key_path.size()) {
    std::string scalar = node.IsScalar() ? node.Scalar() : std::string();
    if (q.op != ValueOp::Exists && !node.IsScalar()) return;
    if (value_matches(q, scalar)) {
      std::string text = q.key_path.empty() ? scalar : q.key_path.back();
      if (node.IsScalar()) text += ": " + scalar;
      push(out, {line, 0, 0, 0, snippet(text)});
    }
    return;
  }
  const std::string& seg = q.key_path[depth];
  if (node.IsMap()) {
    if (depth + 1 == q.key_path.size() && !beside_holds(q, node)) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      if (seg == "*" || glob_match_full(seg, it->first.Scalar()))
        walk_yaml(q, it->second, depth + 1, it->first.Mark().line + 1, out, budget);
    }
  } else if (node.IsSequence() && seg == "*") {
    for (const auto& item : node) walk_yaml(q, item, depth + 1, item.Mark().line + 1, out, budget);
  }
}

std::vector<std::string> split_key_path(const std::string& path) {
  std::vector<std::string> out(1);
  for (char c : path) {
    if (c == '.')
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

// Whether the key path (with `*` for any key or item) leads anywhere in the node.
bool yaml_path_exists(const YAML::Node& node, const std::vector<std::string>& path, size_t depth,
                      size_t& budget) {
  if (budget == 0) return false;
  --budget;
  if (depth == path.size()) return true;
  const std::string& seg = path[depth];
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      if (it->first.IsScalar() && (seg == "*" || glob_match_full(seg, it->first.Scalar())) &&
          yaml_path_exists(it->second, path, depth + 1, budget))
        return true;
  } else if (node.IsSequence() && seg == "*") {
    for (const auto& item : node)
      if (yaml_path_exists(item, path, depth + 1, budget)) return true;
  }
  return false;
}

void walk_toml(const FileQuery& q, const toml::node& node, size_t depth, std::vector<Match>& out) {
  if (out.size() >= kMaxMatchesPerQuery) return;
  int line = static_cast<int>(node.source().begin.line);
  if (depth == q.key_path.size()) {
    std::string scalar;
    if (auto s = node.value<std::string>())
      scalar = *s;
    else if (auto i = node.value<int64_t>())
      scalar = std::to_string(*i);
    else if (auto b = node.value<bool>())
      scalar = *b ? "true" : "false";
    else if (q.op != ValueOp::Exists)
      return;
    if (value_matches(q, scalar))
      push(out, {line, 0, 0, 0, snippet(q.key_path.empty() ? scalar : q.key_path.back())});
    return;
  }
  const std::string& seg = q.key_path[depth];
  if (const toml::table* t = node.as_table()) {
    for (const auto& [k, v] : *t)
      if (seg == "*" || glob_match_full(seg, k.str())) walk_toml(q, v, depth + 1, out);
  } else if (const toml::array* a = node.as_array(); a && seg == "*") {
    for (const auto& v : *a) walk_toml(q, v, depth + 1, out);
  }
}

bool module_matches(const std::vector<std::string>& names, const std::string& module) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) {
    return module == n || (module.size() > n.size() && module.starts_with(n) && module[n.size()] == '.');
  });
}

// Name globs of the python_* predicates (`!` excludes, the last match decides); none: any name.
bool names_match(const std::vector<std::string>& globs, const std::string& s) {
  return globs.empty() || matches_names(globs, s);
}

// A rule's literal against a call's: as written, except that YAML's true / false / null spellings
// stand for Python's True / False / None.
bool literal_equals(const std::string& rule, const std::string& code) {
  if (rule == code) return true;
  static const std::pair<const char*, const char*> kSpellings[] = {
      {"true", "True"}, {"false", "False"}, {"null", "None"}, {"none", "None"}};
  for (const auto& [yaml, py] : kSpellings)
    if (code == py && rule == yaml) return true;
  return false;
}

// `c` derives from a class matching one of `bases`, directly or through classes of the same file
// (class Net(Base) where Base(nn.Module) is defined above). Bounded: cycles and long chains stop.
bool derives_from(const PythonFacts& py, const PyClass& c, const std::vector<std::string>& bases) {
  std::vector<const PyClass*> todo{&c};
  std::vector<std::string> seen;
  for (size_t steps = 0; !todo.empty() && steps < 64; ++steps) {
    const PyClass* cur = todo.back();
    todo.pop_back();
    for (const auto& b : cur->bases) {
      if (names_match(bases, b)) return true;
      if (std::find(seen.begin(), seen.end(), b) != seen.end()) continue;
      seen.push_back(b);
      for (const auto& other : py.classes)
        if (other.name == b && &other != cur) todo.push_back(&other);
    }
  }
  return false;
}

// A raw tree-sitter query needs the parse only, not the facts walk.
void run_tree_query(const FileQuery& q, Parsed& parsed, std::vector<Match>& out) {
  const PythonParse* parse = parsed.python_parse();
  if (!parse || !q.tree_query) return;
  PyQueryResult r = parse->run(*q.tree_query, kMaxMatchesPerQuery);
  for (const auto& m : r.matches) {
    Match at = parsed.locate(m.line, m.column);
    at.text = snippet(m.text);
    push(out, std::move(at));
  }
  if (r.truncated)
    parsed.diagnose(1, "python_query stopped early: its work budget ran out on this file; results truncated");
}

void run_python(const FileQuery& q, Parsed& parsed, std::vector<Match>& out) {
  const PythonFacts* py = parsed.python();
  if (py == nullptr) return;
  auto add = [&](int line, int column, std::string text, int scope = 0) {
    Match m = parsed.locate(line, column);
    m.text = snippet(text);
    m.scope = scope;
    push(out, std::move(m));
  };
  if (q.kind == QueryKind::PythonImport) {
    for (const auto& imp : py->imports)
      if (module_matches(q.names, imp.module)) add(imp.line, imp.column, "import " + imp.module);
  } else if (q.kind == QueryKind::PythonCall) {
    for (const auto& call : py->calls) {
      if (!matches_names(q.names, call.name)) continue;
      auto has = [&](const std::string& k) {
        return std::find(call.keywords.begin(), call.keywords.end(), k) != call.keywords.end();
      };
      bool splat = has("**");
      auto passes = [&](const std::pair<std::string, std::string>& kv) {
        return std::any_of(call.literals.begin(), call.literals.end(), [&](const auto& lit) {
          return lit.first == kv.first && literal_equals(kv.second, lit.second);
        });
      };
      // A keyword hidden in **kwargs may have any value: "does not pass" cannot be known, unless
      // the keyword is written out (Python rejects it twice).
      auto does_not_pass = [&](const std::pair<std::string, std::string>& kv) {
        return !passes(kv) && (!splat || has(kv.first));
      };
      bool ok = std::all_of(q.has_keywords.begin(), q.has_keywords.end(), has) &&
                std::none_of(q.lacks_keywords.begin(), q.lacks_keywords.end(), has) &&
                (q.lacks_keywords.empty() || !splat) &&
                std::all_of(q.keyword_values.begin(), q.keyword_values.end(), passes) &&
                std::all_of(q.keyword_not_values.begin(), q.keyword_not_values.end(), does_not_pass);
      if (ok && q.regex && !q.pattern.empty()) ok = RE2::PartialMatch(call.full_text, *q.regex);
      if (ok) add(call.line, call.column, call.text, call.scope);
    }
  } else if (q.kind == QueryKind::PythonDef) {
    for (const auto& f : py->functions) {
      if (matches_names(q.names, f.name) && (q.value.find("calls") == std::string::npos || f.calls > 0) &&
          (q.value.find("test") == std::string::npos || f.test))
        add(f.line, f.column, "def " + f.name);
    }
  } else if (q.kind == QueryKind::PythonClass) {
    for (const auto& c : py->classes)
      if (names_match(q.names, c.name) && (q.bases.empty() || derives_from(*py, c, q.bases)))
        add(c.line, c.column, "class " + c.name);
  } else if (q.kind == QueryKind::PythonAssign) {
    for (const auto& a : py->assigns)
      if (names_match(q.names, a.name) &&
          (!q.regex || q.pattern.empty() || RE2::PartialMatch(a.value, *q.regex)))
        add(a.line, a.column, a.name + " = " + (a.literal ? a.value : a.value.substr(0, 200)));

  } else if (q.kind == QueryKind::PythonString) {
    const SecretGroups sg = secret_groups(*q.regex);
    std::vector<re2::StringPiece> subs(static_cast<size_t>(sg.needed));
    for (const auto& s : py->strings) {
      if (q.skip_env_arguments && s.env_argument) continue;
      if (!q.regex->Match(s.value, 0, s.value.size(), RE2::UNANCHORED, subs.data(), sg.needed)) continue;
      add(s.line, s.column, masked(s.value, sg, subs));
    }
  }
}

// Executed cells whose execution counts do not rise in document order: the saved outputs came
// from a different order than a reader (or "Run all") would use.
void run_out_of_order(const NotebookCode& nb, std::vector<Match>& out) {
  int highest = -1, highest_cell = 0;
  for (const auto& c : nb.cells) {
    if (c.execution_count < 0) continue;
    if (c.execution_count < highest) {
      push(out, {c.file_line, 0, c.cell, 1,
                 "cell " + std::to_string(c.cell) + " ran as [" + std::to_string(c.execution_count) +
                     "] after cell " + std::to_string(highest_cell) + " ran as [" + std::to_string(highest) +
                     "]"});
      return;
    }
    highest = c.execution_count;
    highest_cell = c.cell;
  }
}

void run_outputs(const FileQuery& q, const NotebookCode& nb, std::vector<Match>& out) {
  uint64_t min = std::stoull(q.value.empty() ? "0" : q.value);
  size_t total = 0;
  const NotebookCell* largest = nullptr;
  for (const auto& c : nb.cells) {
    total += c.output_bytes;
    if (c.output_bytes > 0 && (!largest || c.output_bytes > largest->output_bytes)) largest = &c;
  }
  if (!largest || total < min) return;
  push(out, {largest->file_line, 0, largest->cell, 1,
             std::to_string(total / 1024) + " KiB of outputs (cell " + std::to_string(largest->cell) + ": " +
                 std::to_string(largest->output_bytes / 1024) + " KiB)"});
}

void run_dockerfile(const FileQuery& q, Parsed& parsed, std::vector<Match>& out) {
  for (const auto& ins : parsed.dockerfile().instructions) {
    if (q.kind == QueryKind::DockerUnpinnedBase) {
      if (ins.keyword == "FROM" && !ins.base_image.empty() && !ins.base_pinned)
        push(out, {ins.line, 1, 0, 0, snippet("FROM " + ins.base_image)});
      continue;
    }
    if (!q.names.empty() && std::find(q.names.begin(), q.names.end(), ins.keyword) == q.names.end()) continue;
    if (q.regex && !q.pattern.empty() && !RE2::PartialMatch(ins.args, *q.regex)) continue;
    std::string first = ins.args.substr(0, ins.args.find('\n'));
    push(out, {ins.line, 1, 0, 0, snippet(ins.keyword + " " + first)});
  }
}

// A YAML file that is neither CI nor pre-commit counts only when a CI file names it; most are
// configuration, so only those that can hold jobs or a job entrypoint are parsed, and a parse
// error is not reported here (it would blame CI rules for an unrelated file).
bool may_hold_ci_commands(std::string_view bytes) {
  return bytes.find("script") != std::string_view::npos || bytes.find("entrypoint") != std::string_view::npos;
}

Runner default_runner(CiFileKind kind) {
  switch (kind) {
    case CiFileKind::Makefile:
      return Runner::Make;
    case CiFileKind::Tox:
      return Runner::Tox;
    case CiFileKind::PreCommit:
      return Runner::PreCommit;
    case CiFileKind::Noxfile:
      return Runner::Nox;
    case CiFileKind::HatchToml:
      return Runner::Hatch;
    case CiFileKind::MiseToml:
      return Runner::Mise;
    case CiFileKind::Shell:
      return Runner::Script;
    case CiFileKind::YamlFragment:
    case CiFileKind::GithubAction:
      return Runner::CiYaml;
    default:
      return Runner::None;
  }
}

void run_ci(const FileQuery& q, const FileEntry& file, std::string_view bytes, Parsed& parsed,
            std::vector<Match>& out) {
  std::vector<CiCommand> cmds;
  const CiFileKind kind = ci_file_kind(file.path);
  switch (kind) {
    case CiFileKind::Yaml:
      if (auto* docs = parsed.yaml())
        cmds = is_gitlab_ci_file(file.path) ? gitlab_ci_commands(*docs) : yaml_ci_commands(*docs);
      break;
    case CiFileKind::Jenkinsfile:
      cmds = jenkinsfile_commands(bytes);
      break;
    case CiFileKind::Makefile:
      cmds = makefile_targets(bytes);
      break;
    case CiFileKind::Tox:
      cmds = tox_envs(bytes);
      break;
    case CiFileKind::PreCommit:
      if (auto* docs = parsed.yaml()) cmds = precommit_hooks(*docs);
      break;
    case CiFileKind::Noxfile:
      cmds = nox_sessions(bytes);
      break;
    case CiFileKind::Pyproject:
      if (auto* t = parsed.toml()) cmds = pyproject_scripts(*t);
      break;
    case CiFileKind::HatchToml:
      if (auto* t = parsed.toml()) cmds = hatch_toml_scripts(*t);
      break;
    case CiFileKind::MiseToml:
      if (auto* t = parsed.toml()) cmds = mise_tasks(*t);
      break;
    case CiFileKind::Shell:
      if (!extensionless_script_path(file.path) || has_shell_shebang(bytes))
        cmds = shell_script_commands(bytes);
      break;
    case CiFileKind::YamlFragment:
      if (!may_hold_ci_commands(bytes)) break;
      if (auto* docs = parsed.yaml_quiet()) cmds = yaml_fragment_commands(*docs);
      break;
    case CiFileKind::GithubAction:  // a composite action's runs.steps, read like a workflow's
      if (auto* docs = parsed.yaml_quiet()) cmds = yaml_ci_commands(*docs);
      break;
    case CiFileKind::None:
      break;
  }
  // Build commands carry their runner and scope. Scripts and YAML fragments leave the scope empty
  // (the engine scopes them by path): facts depend only on the file's bytes. A CI file's commands
  // need no scope; a GitLab template's command keeps its hidden job's name.
  constexpr size_t kMaxField = 500;
  const bool build = q.kind == QueryKind::BuildCommands;
  const Runner file_runner = default_runner(kind);
  for (const auto& c : cmds) {
    if (out.size() >= kMaxMatchesPerQuery * 5) break;
    std::string_view value = std::string_view(c.command).substr(0, kMaxField);
    std::string_view head;
    if (build || c.kind == FactKind::CiTemplate) head = std::string_view(c.scope).substr(0, kMaxField);
    const Runner runner = !build ? Runner::None : c.runner != Runner::None ? c.runner : file_runner;
    // Not through snippet(): the command must survive intact.
    out.push_back(fact(c.kind, c.line, value, head, runner));
  }
}

// The optional Python facts a query reads.
unsigned python_facts_needed(const FileQuery& q) {
  switch (q.kind) {
    case QueryKind::PythonString:
      return kPyStrings;
    case QueryKind::PythonCall:
      return q.keyword_values.empty() && q.keyword_not_values.empty() ? 0u : unsigned{kPyKeywordValues};
    case QueryKind::PythonClass:
      return kPyClasses;
    case QueryKind::PythonAssign:
      return kPyAssigns;
    default:
      return 0;
  }
}

// A constraints file may pin thousands of packages: more than kMaxMatchesPerQuery, still bounded.
constexpr size_t kMaxRequirementFacts = 20000;

void run_includes(std::string_view bytes, const std::vector<Dependency>& deps, std::vector<Match>& out) {
  for (auto& inc : read_requirement_includes(bytes))
    if (out.size() < kMaxRequirementFacts)
      out.push_back(fact(inc.constraint ? FactKind::RequirementConstraint : FactKind::RequirementInclude,
                         inc.line, inc.ref, {}, Runner::None, 1));
  for (const auto& d : deps)
    if (d.pinned && out.size() < kMaxRequirementFacts)
      out.push_back(fact(FactKind::RequirementPin, d.line, d.name, {}, Runner::None, 1));
}

}  // namespace

struct PrefilterIndex::Impl {
  std::unique_ptr<RE2::Set> set;
  size_t literals = 0;
};

PrefilterIndex::PrefilterIndex(const std::vector<FileQuery>& queries) : impl_(std::make_unique<Impl>()) {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  impl_->set = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
  std::map<std::string, int> ids;
  per_query_.resize(queries.size());
  for (size_t q = 0; q < queries.size(); ++q)
    for (const auto& lit : queries[q].prefilter) {
      auto [it, fresh] = ids.emplace(lit, static_cast<int>(ids.size()));
      if (fresh && impl_->set->Add(RE2::QuoteMeta(lit), nullptr) != it->second) impl_->set.reset();
      per_query_[q].push_back(it->second);
      if (!impl_->set) break;
    }
  impl_->literals = ids.size();
  if (impl_->set && !impl_->set->Compile()) impl_->set.reset();
}

PrefilterIndex::~PrefilterIndex() = default;

std::vector<bool> PrefilterIndex::present(std::string_view bytes) const {
  // Without a compiled set (too many literals for its memory budget) every literal counts as
  // present and is checked one by one.
  std::vector<bool> out(impl_->literals, impl_->set == nullptr);
  if (!impl_->set) return out;
  std::vector<int> hits;
  impl_->set->Match(re2::StringPiece(bytes.data(), bytes.size()), &hits);
  for (int h : hits) out[static_cast<size_t>(h)] = true;
  return out;
}

bool prefilter_admits(const FileQuery& q, std::string_view bytes) {
  return passes_prefilter(q, 0, bytes, nullptr, {});
}

FileFacts analyse_file(const FileEntry& file, std::string_view bytes, const std::vector<FileQuery>& queries,
                       const std::vector<size_t>& relevant, const PrefilterIndex* index,
                       bool as_requirements) {
  FileFacts facts;
  if (looks_binary(bytes)) {
    facts.binary = true;
    return facts;
  }
  Parsed parsed(file, bytes, facts, as_requirements);
  std::vector<bool> present;
  if (index) present = index->present(bytes);
  // Prefilters first: the Python walk then collects only the facts the remaining queries need.
  std::vector<size_t> passing;
  passing.reserve(relevant.size());
  for (size_t qi : relevant)
    if (passes_prefilter(queries[qi], qi, bytes, index, present)) {
      passing.push_back(qi);
      parsed.want_python(python_facts_needed(queries[qi]));
    }
  for (size_t qi : passing) {
    const FileQuery& q = queries[qi];
    std::vector<Match>& out = facts.query_matches.list(qi);
    // yaml-cpp throws when code reads a node of an unexpected shape: a bug of ours, but hostile
    // input must not end the scan. The file is reported unreadable and the scan goes on.
    try {
      switch (q.kind) {
        case QueryKind::Content:
          run_content(q, bytes, out);
          break;
        case QueryKind::PythonImport:
        case QueryKind::PythonCall:
        case QueryKind::PythonString:
        case QueryKind::PythonDef:
        case QueryKind::PythonClass:
        case QueryKind::PythonAssign:
          run_python(q, parsed, out);
          break;
        case QueryKind::PythonQuery:
          run_tree_query(q, parsed, out);
          break;
        case QueryKind::Yaml:
          if (auto* docs = parsed.yaml()) {
            size_t budget = kMaxYamlNodesVisited;
            for (const auto& d : *docs) {
              if (!q.doc_kind.empty()) {
                // Kubernetes-style documents: only those of the requested kind.
                if (!d.IsMap()) continue;
                YAML::Node k = d["kind"];
                if (!k || !k.IsScalar() || !glob_match_full(q.doc_kind, k.Scalar())) continue;
              }
              if (std::any_of(q.doc_lacks.begin(), q.doc_lacks.end(), [&](const std::string& path) {
                    return yaml_path_exists(d, split_key_path(path), 0, budget);
                  }))
                continue;
              walk_yaml(q, d, 0, d.Mark().line + 1, out, budget);
            }
            if (budget == 0)
              facts.diagnostics.push_back(
                  {{file.path, 1, 0}, "YAML too large or too aliased to walk fully; results truncated"});
          }
          break;
        case QueryKind::Toml:
          if (auto* t = parsed.toml()) walk_toml(q, *t, 0, out);
          break;
        case QueryKind::NotebookOutOfOrder:
          if (auto* nb = parsed.notebook()) run_out_of_order(*nb, out);
          break;
        case QueryKind::NotebookOutputs:
          if (auto* nb = parsed.notebook()) run_outputs(q, *nb, out);
          break;
        case QueryKind::CiCommands:
        case QueryKind::BuildCommands:
          run_ci(q, file, bytes, parsed, out);
          break;
        case QueryKind::DockerInstruction:
        case QueryKind::DockerUnpinnedBase:
          run_dockerfile(q, parsed, out);
          break;
        case QueryKind::DependencyDeclared:
          if (q.value == "main" && manifest_kind(file.path) == ManifestKind::Pyproject)
            if (auto* t = parsed.toml(); t && !pyproject_name(*t).empty())
              out.push_back(fact(FactKind::ProjectName, 0, pyproject_name(*t)));
          for (const auto& d : parsed.deps())
            if ((q.names.empty() || std::find(q.names.begin(), q.names.end(), d.name) != q.names.end()) &&
                !(q.value == "main" && d.optional))
              push(out, {d.line, 1, 0, 0, snippet(d.spec)});
          break;
        case QueryKind::LockContents: {
          // Every name, however many: one match, not one per package (the match cap must not
          // make a package look unlocked).
          std::vector<std::string> names;
          for (const auto& d : parsed.locks()) names.push_back(d.name);
          std::sort(names.begin(), names.end());
          names.erase(std::unique(names.begin(), names.end()), names.end());
          std::string text;
          for (const auto& n : names) text += n + "\n";
          if (!text.empty()) out.push_back({1, 1, 0, 0, std::move(text)});
          break;
        }
        case QueryKind::DependencyLocked:
          for (const auto& d : parsed.locks())
            if (q.names.empty() || std::find(q.names.begin(), q.names.end(), d.name) != q.names.end())
              push(out, {d.line, 1, 0, 0, snippet(d.spec)});
          break;
        case QueryKind::DependencyUnpinned:
          for (const auto& d : parsed.deps())
            if (!d.pinned &&
                (q.names.empty() || std::find(q.names.begin(), q.names.end(), d.name) != q.names.end()))
              push(out, {d.line, 1, 0, 0, snippet(d.spec)});
          break;
        case QueryKind::RequirementIncludes:
          if (parsed.kind() == ManifestKind::Requirements) run_includes(bytes, parsed.deps(), out);
          break;
      }
    } catch (const YAML::Exception& e) {
      out.clear();
      facts.unreadable = true;
      facts.diagnostics.push_back(
          {{file.path, 1, 0},
           std::string("internal error reading this file (please report it): ") + e.what()});
    }
  }
  mask_file_secrets(bytes, queries, facts);
  std::sort(facts.diagnostics.begin(), facts.diagnostics.end());
  facts.diagnostics.erase(std::unique(facts.diagnostics.begin(), facts.diagnostics.end()),
                          facts.diagnostics.end());
  // Most queries match nothing: empty lists would cost memory for every file of a big repo.
  facts.query_matches.trim();
  return facts;
}

}  // namespace mlops
