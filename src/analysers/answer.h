// The per-kind answer functions of analyse_file (file_analyser.cc), grouped by format in
// answer_*.cc, and the snippet and secret-masking helpers they share. Internal to analysers/.
//
// Every answer function has one signature: it reads the query's own parameters (query.h groups
// them by kind), takes what it needs from the lazily parsed file and appends its matches to `out`.
// file_analyser.cc maps each QueryKind to its function in one place (answer_for).
#pragma once
#include <re2/re2.h>

#include <string>
#include <string_view>
#include <vector>

#include "analysers/file_analyser.h"
#include "analysers/parsed_file.h"
#include "analysers/query.h"
#include "model/facts.h"
#include "util/limits.h"

namespace mlops {

using AnswerFn = void (*)(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);

// The answer function for a kind (file_analyser.cc).
AnswerFn answer_for(QueryKind kind);

// answer_text.cc: Content (RE2 per line, secrets masked).
void answer_content(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
// answer_python.cc: python_* kinds over a .py file or a notebook's code cells.
void answer_python(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
void answer_tree_query(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
// The optional Python facts (kPy* bits) a query reads, so the facts walk collects only those.
unsigned python_facts_needed(const FileQuery& q);
// answer_structured.cc: key paths in YAML documents and TOML tables.
void answer_yaml(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
void answer_toml(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
// answer_dependencies.cc: manifests, locks, requirement includes.
void answer_declared(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
void answer_unpinned(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
void answer_locked(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
void answer_lock_contents(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
void answer_requirement_includes(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
// answer_ci.cc: CI and build commands.
void answer_commands(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
// answer_docker.cc: Dockerfile instructions and unpinned bases.
void answer_docker(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
// answer_dataflow.cc: the data-flow questions over a .py file or a notebook as a whole.
void answer_dataflow(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
// answer_notebook.cc: notebook execution order and committed outputs.
void answer_out_of_order(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
void answer_outputs(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);
void answer_error_outputs(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out);

// Shared helpers (answer_text.cc).

// A line trimmed and cut to kMaxSnippetBytes.
std::string snippet(std::string_view s);
// Appends unless the query already holds kMaxMatchesPerQuery matches.
void push(std::vector<Match>& out, Match m);

// What a snippet may need of a line before it trims the line's indentation and cuts it.
inline constexpr size_t kSnippetSource = 4 * kMaxSnippetBytes;

// Indexes of a regex's secret groups (named `secret...`), and how many submatches a match must
// capture to see them.
struct SecretGroups {
  std::vector<int> groups;
  int needed = 1;
};
SecretGroups secret_groups(const RE2& re);
// `text` with the first participating secret group masked, at most `cap` bytes of it.
std::string masked(std::string_view text, const SecretGroups& sg, const std::vector<re2::StringPiece>& subs,
                   size_t cap = kSnippetSource);

}  // namespace mlops
