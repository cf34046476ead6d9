// The pieces of the practice scaffolds (scaffold.h) that its files share: the bounds, path
// helpers, reading literal arguments out of a call's text (scaffold_call_text.cc), and what the
// code and the repository say about a project (scaffold_facts.cc). Internal to fix/.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "repo/snapshot.h"

namespace mlops::scaffold_detail {

// Bounds: a scaffold is a starting point, so a huge repository gets a partial (and said so) one.
constexpr uint64_t kMaxSourceBytes = 2ull << 20;
constexpr size_t kMaxSourceFiles = 3000;
constexpr size_t kMaxListed = 50;
constexpr size_t kMaxEntryPoints = 5;

// Last '/'-separated component.
std::string_view base_name(std::string_view path);
std::string lower(std::string_view s);
std::string extension(std::string_view path);
// First component of a dotted name, and the last.
std::string_view head(std::string_view name);
std::string_view tail(std::string_view name);
// Path relative to the scanned root of a file at project-relative `rel`.
std::string in_project(const std::string& project, const std::string& rel);

// --- Reading arguments out of a call's one-line text (scaffold_call_text.cc) -----------------

bool is_ident_char(char c);
// A Python string literal starting at s[i] (with an optional prefix such as r, b, f, rb). On
// success `i` moves past it; `plain` is false for f-strings (their value is computed at run time)
// and triple-quoted strings.
std::optional<std::string> read_string(std::string_view s, size_t& i, bool& plain);
void skip_space(std::string_view s, size_t& i);
// Where the arguments of the call in `text` start (just after its first '(' that follows the
// callee), or npos.
size_t arguments_start(std::string_view text);
// The first positional argument when it is a plain string literal, or a path joined from them
// (`Path("data") / "x.csv"`, `os.path.join("data", "x.csv")`); `after` gets the index past it.
std::optional<std::string> first_string_argument(std::string_view text, size_t* after = nullptr);
// The first positional argument when it is a bare name (`DATA_PATH`).
std::optional<std::string> first_name_argument(std::string_view text);
// The plain-string keys of a dict literal starting at text[i] ('{'), in order.
std::vector<std::string> dict_keys(std::string_view text, size_t i);
// The plain string literals in the list passed as `keyword=[...]`.
std::vector<std::string> list_keyword_strings(std::string_view text, std::string_view keyword);
// True when `keyword=` in the call text is followed by a string literal (PyCall::literals gives
// strings by their contents, so "5" and 5 look the same there).
bool keyword_is_string(std::string_view text, std::string_view keyword);

// --- What the code and the repository say (scaffold_facts.cc) --------------------------------

struct Seen {
  std::string value;
  std::string where;  // "train.py:13"
};

struct ModelCall {
  std::string group;       // model, training, optimizer
  std::string class_name;  // RandomForestClassifier
  std::string where;
  std::vector<std::pair<std::string, std::string>> params;  // keyword, YAML value
};

struct CodeFacts {
  std::set<std::string> frameworks;
  std::vector<std::string> entry_points;
  std::map<std::string, std::string> metrics;     // name -> first place seen
  std::map<std::string, std::string> data_reads;  // literal path -> first place seen
  std::vector<ModelCall> models;                  // in file order
  std::set<std::string> model_classes;
  size_t files_read = 0;
  bool truncated = false;  // more source files than kMaxSourceFiles
};

// Extensions of data files (a data card lists them; a read of one is a data path).
const std::set<std::string>& data_extensions();
// Model files are not data, whatever directory they sit in.
const std::set<std::string>& model_extensions();
bool under_data_dir(std::string_view path);
std::string snake_case(std::string_view name);
bool is_test_file(std::string_view path);
bool has_control(std::string_view s);
// What the Python sources and notebooks of `project` import, train, log and read.
CodeFacts gather(const Snapshot& snapshot, const std::string& project);

struct RepoFacts {
  std::set<std::string> files;  // project-relative paths
  std::map<std::string, const FileEntry*> entries;
  bool git = false;
  bool has_tests = false;
};

RepoFacts list_repo(const Snapshot& snapshot, const std::string& project);

}  // namespace mlops::scaffold_detail
