// Per-file analysis: one read, each format parsed at most once, every relevant query answered.
// This file is the orchestration (binary check, prefilters, dispatch, secret masking); the
// answers themselves live in answer_*.cc, one file per format, reached through answer_for().
#include "analysers/file_analyser.h"

#include <re2/re2.h>
#include <re2/set.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "analysers/answer.h"
#include "analysers/manifests.h"
#include "analysers/parsed_file.h"
#include "analysers/python_lexer.h"
#include "analysers/secrets.h"

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
// unless the name is imported under an alias (`name as x`): then any use may call it. With
// `prefix`, `name` only starts the called identifier (`read_` of `read_csv(`); with `suffix`, it
// only ends it (`set_seed` of `fix_set_seed(`).
bool contains_call(std::string_view bytes, std::string_view name, bool prefix, bool suffix) {
  for (size_t pos = bytes.find(name); pos != std::string_view::npos; pos = bytes.find(name, pos + 1)) {
    if (!suffix && pos > 0 && is_ident(bytes[pos - 1])) continue;
    size_t end = pos + name.size();
    if (prefix)
      while (end < bytes.size() && is_ident(bytes[end])) ++end;
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

bool passes_mode(std::string_view bytes, const std::string& lit, LiteralMode mode) {
  switch (mode) {
    case LiteralMode::Call:
      return contains_call(bytes, lit, false, false);
    case LiteralMode::CallPrefix:
      return contains_call(bytes, lit, true, false);
    case LiteralMode::CallSuffix:
      return contains_call(bytes, lit, false, true);
    case LiteralMode::Word:
      return contains_word(bytes, lit);
    case LiteralMode::Substring:
      break;
  }
  return bytes.find(lit) != std::string_view::npos;
}

LiteralMode default_mode(const FileQuery& q) {
  if (q.prefilter_calls) return LiteralMode::Call;
  return q.prefilter_words ? LiteralMode::Word : LiteralMode::Substring;
}

// `present` (from a PrefilterIndex, else empty) says which literals occur at all; only those are
// verified.
bool passes_prefilter(const FileQuery& q, size_t qi, std::string_view bytes, const PrefilterIndex* index,
                      const std::vector<bool>& present) {
  if (q.prefilter.empty()) return true;
  auto occurs = [&](size_t k) {
    if (!index) return true;
    const auto& ids = index->literals_of(qi);
    return k < ids.size() && present[static_cast<size_t>(ids[k])];
  };
  if (!q.prefilter_alternatives.empty()) {
    return std::any_of(q.prefilter_alternatives.begin(), q.prefilter_alternatives.end(),
                       [&](const auto& alt) {
                         return std::all_of(alt.begin(), alt.end(), [&](const PrefilterTerm& t) {
                           return t.literal < q.prefilter.size() && occurs(t.literal) &&
                                  passes_mode(bytes, q.prefilter[t.literal], t.mode);
                         });
                       });
  }
  const LiteralMode mode = default_mode(q);
  for (size_t k = 0; k < q.prefilter.size(); ++k)
    if (occurs(k) && passes_mode(bytes, q.prefilter[k], mode)) return true;
  return false;
}

// The contents of a file's string literals, lexed once when a python_string query first asks: a
// query whose pattern matches none of them cannot match, and the file need not be parsed for it.
class PythonStrings {
 public:
  // `source` gives the Python source when first needed (nullopt: none that can be read).
  explicit PythonStrings(std::function<std::optional<std::string_view>()> source)
      : source_(std::move(source)) {}

  bool may_match(const FileQuery& q) {
    if (!q.regex) return true;
    if (!lexed_) lex();
    if (!certain_) return true;
    return std::any_of(values_.begin(), values_.end(),
                       [&](const std::string& v) { return RE2::PartialMatch(v, *q.regex); });
  }

 private:
  void lex() {
    lexed_ = true;
    const std::optional<std::string_view> src = source_();
    if (!src) return;
    certain_ = each_python_string(*src, [&](std::string_view v) {
      values_.emplace_back(v);
      return true;
    });
  }

  std::function<std::optional<std::string_view>()> source_;
  bool lexed_ = false, certain_ = false;
  std::vector<std::string> values_;
};

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

}  // namespace

// The one place a kind meets its answer; -Wswitch flags a kind added without one.
AnswerFn answer_for(QueryKind kind) {
  switch (kind) {
    case QueryKind::Content:
      return answer_content;
    case QueryKind::PythonImport:
    case QueryKind::PythonCall:
    case QueryKind::PythonString:
    case QueryKind::PythonDef:
    case QueryKind::PythonClass:
    case QueryKind::PythonAssign:
      return answer_python;
    case QueryKind::PythonQuery:
      return answer_tree_query;
    case QueryKind::Yaml:
      return answer_yaml;
    case QueryKind::Toml:
      return answer_toml;
    case QueryKind::NotebookOutOfOrder:
      return answer_out_of_order;
    case QueryKind::NotebookOutputs:
      return answer_outputs;
    case QueryKind::NotebookErrors:
      return answer_error_outputs;
    case QueryKind::CiCommands:
    case QueryKind::BuildCommands:
      return answer_commands;
    case QueryKind::DockerInstruction:
    case QueryKind::DockerUnpinnedBase:
      return answer_docker;
    case QueryKind::DependencyDeclared:
      return answer_declared;
    case QueryKind::DependencyUnpinned:
      return answer_unpinned;
    case QueryKind::DependencyLocked:
      return answer_locked;
    case QueryKind::LockContents:
      return answer_lock_contents;
    case QueryKind::RequirementIncludes:
      return answer_requirement_includes;
    case QueryKind::Dataflow:
      return answer_dataflow;
  }
  return nullptr;
}

// The set is compiled only once the literals have been searched one by one over this many
// (literal, byte) pairs: about what compiling it costs. A run that reads a few small files (a
// pre-commit hook's) never pays for it; a scan pays this much extra once.
constexpr uint64_t kUnindexedSearchBudget = uint64_t{4} << 20;

struct PrefilterIndex::Impl {
  std::vector<std::string> literals;  // by id
  std::atomic<uint64_t> searched{0};  // (literal, byte) pairs searched without the set
  std::once_flag once;
  std::atomic<bool> ready{false};  // set (or its failure) settled
  std::unique_ptr<RE2::Set> set;

  void compile() {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_max_mem(64 << 20);
    set = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
    for (size_t i = 0; i < literals.size() && set; ++i)
      if (set->Add(RE2::QuoteMeta(literals[i]), nullptr) != static_cast<int>(i)) set.reset();
    if (set && !set->Compile()) set.reset();
    ready.store(true, std::memory_order_release);
  }
};

PrefilterIndex::PrefilterIndex(const std::vector<FileQuery>& queries) : impl_(std::make_unique<Impl>()) {
  std::map<std::string, int> ids;
  per_query_.resize(queries.size());
  for (size_t q = 0; q < queries.size(); ++q)
    for (const auto& lit : queries[q].prefilter) {
      auto [it, fresh] = ids.emplace(lit, static_cast<int>(ids.size()));
      if (fresh) impl_->literals.push_back(lit);
      per_query_[q].push_back(it->second);
    }
}

PrefilterIndex::~PrefilterIndex() = default;

std::vector<bool> PrefilterIndex::present(std::string_view bytes) const {
  const auto& lits = impl_->literals;
  if (!impl_->ready.load(std::memory_order_acquire)) {
    const uint64_t cost = lits.size() * (bytes.size() + 1);
    if (impl_->searched.fetch_add(cost, std::memory_order_relaxed) + cost <= kUnindexedSearchBudget) {
      std::vector<bool> out(lits.size());
      for (size_t i = 0; i < lits.size(); ++i) out[i] = bytes.find(lits[i]) != std::string_view::npos;
      return out;
    }
    std::call_once(impl_->once, [this] { impl_->compile(); });
  }
  // Without a compiled set (too many literals for its memory budget) every literal counts as
  // present and is checked one by one.
  std::vector<bool> out(lits.size(), impl_->set == nullptr);
  if (!impl_->set) return out;
  std::vector<int> hits;
  impl_->set->Match(re2::StringPiece(bytes.data(), bytes.size()), &hits);
  for (int h : hits) out[static_cast<size_t>(h)] = true;
  return out;
}

bool prefilter_admits(const FileQuery& q, std::string_view bytes) {
  if (!passes_prefilter(q, 0, bytes, nullptr, {})) return false;
  return q.kind != QueryKind::PythonString ||
         PythonStrings([bytes]() -> std::optional<std::string_view> { return bytes; }).may_match(q);
}

FileFacts analyse_file(const FileEntry& file, std::string_view bytes, const std::vector<FileQuery>& queries,
                       const std::vector<size_t>& relevant, const PrefilterIndex* index,
                       bool as_requirements) {
  FileFacts facts;
  // A manifest saved as UTF-16 is read as its UTF-8 text (line numbers unchanged), not as binary.
  std::optional<std::string> transcoded;
  if ((as_requirements || manifest_kind(file.path) != ManifestKind::None) &&
      (transcoded = utf16_manifest_as_utf8(bytes)))
    bytes = *transcoded;
  if (looks_binary(bytes)) {
    facts.binary = true;
    return facts;
  }
  ParsedFile parsed(file, bytes, facts, as_requirements);
  std::vector<bool> present;
  if (index) present = index->present(bytes);
  // Prefilters first: the Python walk then collects only the facts the remaining queries need.
  std::vector<size_t> passing;
  passing.reserve(relevant.size());
  PythonStrings strings([&parsed] { return parsed.python_source(); });
  bool asks_imports = false, asks_more_python = false;
  for (size_t qi : relevant) {
    const FileQuery& q = queries[qi];
    if (!passes_prefilter(q, qi, bytes, index, present)) continue;
    if (q.kind == QueryKind::PythonString && !strings.may_match(q)) continue;
    passing.push_back(qi);
    parsed.want_python(python_facts_needed(q));
    asks_imports = asks_imports || q.kind == QueryKind::PythonImport;
    asks_more_python = asks_more_python || (parses_python(q.kind) && q.kind != QueryKind::PythonImport);
  }
  // Files asked only about imports (most of a big repository: is this ML code?) are not parsed.
  if (asks_imports && !asks_more_python) parsed.scan_imports_only();
  for (size_t qi : passing) {
    const FileQuery& q = queries[qi];
    std::vector<Match>& out = facts.query_matches.list(qi);
    // yaml-cpp throws when code reads a node of an unexpected shape: a bug of ours, but hostile
    // input must not end the scan. The file is reported unreadable and the scan goes on.
    try {
      if (AnswerFn answer = answer_for(q.kind)) answer(q, parsed, out);
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
