// Facts extracted from one file: the answers to the rule set's file queries, plus diagnostics.
// They depend only on the file's bytes and the query set, which is what makes them cacheable.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/location.h"

namespace mlops {

// What runs a build file's scopes: the runner of a build-command fact.
enum class Runner : uint8_t {
  None,
  Make,
  Tox,
  PreCommit,
  Nox,
  Hatch,
  Pdm,
  Poe,
  Taskipy,
  Mise,
  Script,
  CiYaml
};
inline constexpr Runner kLastRunner = Runner::CiYaml;

// What a match stands for. Most queries match snippets of text; a few answer with typed facts
// that the engine reads field by field. A fact has a value and, for two kinds, a head.
enum class FactKind : uint8_t {
  Snippet,                // value: the matched text
  Command,                // value: a command a CI or build file runs; head: its scope (build
                          // files: the make target, tox env, hook, session or script name)
  CiInclude,              // value: a local file a GitLab CI file includes (its jobs are CI jobs too)
  CiTemplate,             // value: a command of a hidden GitLab job, which runs only through a
                          // job extending it; head: the hidden job's name (`.tests`)
  CiExtends,              // value: a template a job extends that its own file does not define
  RequirementInclude,     // value: FILE of a requirements file's `-r FILE`
  RequirementConstraint,  // value: FILE of `-c FILE`
  RequirementPin,         // value: a package name the requirements file pins
  ProjectName,            // value: the manifest's own project name (pyproject `[project] name`)
};
inline constexpr FactKind kLastFactKind = FactKind::ProjectName;

// The name of a fact kind (for the cache's schema and for test output).
const char* fact_kind_name(FactKind k);

// One place in a file where a query matched.
struct Match {
  int line = 0;
  int column = 0;
  int cell = 0;  // notebook cell, when the file is a notebook
  int cell_line = 0;
  // The matched text (a snippet), used for messages and stable fingerprints; for a fact with a
  // head, the head's bytes followed by the value's (one string: a scan holds millions of
  // matches, and a second string would grow each by half).
  std::string text;
  // Python calls: the first line of the innermost enclosing function, 0 at module level. Lines
  // order execution only within one scope (a helper defined above main() runs when called).
  int scope = 0;
  // These three fill what was padding after `scope`: Match stays the size it was.
  FactKind kind = FactKind::Snippet;
  Runner runner = Runner::None;  // Command facts of build files: what runs the scope
  uint16_t head_size = 0;        // bytes of `text` that are the head (see fact())

  // The head and the value of a typed fact (for a snippet: empty and the text).
  std::string_view head() const { return std::string_view(text).substr(0, head_size); }
  std::string_view value() const { return std::string_view(text).substr(head_size); }
  // This match with its head dropped: a template's command becomes a plain command.
  Match as_command() const {
    Match m = *this;
    m.text.erase(0, head_size);
    m.head_size = 0;
    m.kind = FactKind::Command;
    return m;
  }

  auto operator<=>(const Match&) const = default;
};

// A typed fact at `line` (column 1 when `column` says so). A head longer than a head_size can
// hold is cut (facts are capped far below it).
inline Match fact(FactKind kind, int line, std::string_view value, std::string_view head = {},
                  Runner runner = Runner::None, int column = 0) {
  if (head.size() > UINT16_MAX) head = head.substr(0, UINT16_MAX);
  Match m;
  m.line = line;
  m.column = column;
  m.text.reserve(head.size() + value.size());
  m.text.append(head).append(value);
  m.kind = kind;
  m.runner = runner;
  m.head_size = static_cast<uint16_t>(head.size());
  return m;
}

// Where a file holds a secret (a credential a secret pattern found): positions only, never the
// value, so facts stay safe to cache and every text quoting the value is masked by the analyser.
struct SecretSpan {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
  int length = 0;  // bytes

  auto operator<=>(const SecretSpan&) const = default;
};

// The matches of each query (see analysers/query.h) in one file, stored only for the queries that
// matched: a file matches a handful of the rule set's ~170 queries, and a dense list per query
// was most of a large scan's heap. Reading an absent query gives an empty list.
class QueryMatches {
 public:
  using List = std::vector<Match>;

  // The matches of query q; empty when it has none.
  const List& operator[](size_t q) const {
    auto it = find(q);
    return it != lists_.end() && it->first == q ? it->second : empty_list();
  }
  // The list of query q for filling, created empty when absent.
  List& list(size_t q) {
    auto it = find(q);
    if (it == lists_.end() || it->first != q) it = lists_.insert(it, {static_cast<uint32_t>(q), {}});
    return it->second;
  }
  // One past the highest query with matches (a bound for loops over queries); 0 when none.
  size_t size() const {
    for (auto it = lists_.rbegin(); it != lists_.rend(); ++it)
      if (!it->second.empty()) return size_t{it->first} + 1;
    return 0;
  }
  bool empty() const { return size() == 0; }
  // Every stored (query, matches) pair, by query index: for passes over all matches of a file.
  const std::vector<std::pair<uint32_t, List>>& lists() const { return lists_; }
  std::vector<std::pair<uint32_t, List>>& lists() { return lists_; }
  // Drops the lists left empty (after filling), which would only cost memory.
  void trim() {
    std::erase_if(lists_, [](const auto& l) { return l.second.empty(); });
  }
  // Equal when every query has the same matches (empty lists held or not).
  bool operator==(const QueryMatches& other) const {
    size_t n = std::max(size(), other.size());
    for (size_t q = 0; q < n; ++q)
      if ((*this)[q] != other[q]) return false;
    return true;
  }

 private:
  std::vector<std::pair<uint32_t, List>>::const_iterator find(size_t q) const {
    return std::lower_bound(lists_.begin(), lists_.end(), q,
                            [](const auto& l, size_t v) { return l.first < v; });
  }
  std::vector<std::pair<uint32_t, List>>::iterator find(size_t q) {
    return std::lower_bound(lists_.begin(), lists_.end(), q,
                            [](const auto& l, size_t v) { return l.first < v; });
  }
  static const List& empty_list() {
    static const List none;
    return none;
  }

  std::vector<std::pair<uint32_t, List>> lists_;  // sorted by query index
};

struct FileFacts {
  // query_matches[q] lists the matches of query q in this file.
  QueryMatches query_matches;
  std::vector<Diagnostic> diagnostics;
  bool binary = false;
  bool unreadable = false;  // a format parse failed: queries on it could not be answered
  // Every secret in the file (all matches, all occurrences on a line), found when the file has
  // any text to mask. Not stored in the facts cache: the texts stored there are masked already.
  std::vector<SecretSpan> secrets;
};

}  // namespace mlops
