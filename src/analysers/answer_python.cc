// Python queries (python_import, python_call, python_string, python_def, python_class,
// python_assign, python_query) over a .py file or a notebook's code cells.
#include <algorithm>

#include "analysers/answer.h"
#include "util/glob.h"

namespace mlops {
namespace {

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

}  // namespace

// A raw tree-sitter query needs the parse only, not the facts walk.
void answer_tree_query(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
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

void answer_python(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
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
      if (module_matches(q.names, imp.module) && (!q.top_level || imp.scope == 0))
        add(imp.line, imp.column, "import " + imp.module, imp.scope);
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
      if (matches_names(q.names, f.name) && (!q.def_with_calls || f.calls > 0) && (!q.def_test || f.test))
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
      if (q.skip_comparisons && s.compared) continue;
      if (q.skip_suffixes && s.suffix) continue;
      if (!q.regex->Match(s.value, 0, s.value.size(), RE2::UNANCHORED, subs.data(), sg.needed)) continue;
      add(s.line, s.column, masked(s.value, sg, subs));
    }
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

}  // namespace mlops
