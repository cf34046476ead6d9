// Expression evaluation: whether a rule's expression holds for a project (or one of its files),
// and the hits that make it hold, over the facts the analysis gathered. The operators are
// evaluated here; leaves answered over the whole project are the predicates' own
// (rules/evaluation.h), to which the evaluator is the ProjectView. Internal to the engine.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysers/file_analyser.h"
#include "engine/layout.h"
#include "model/facts.h"
#include "rules/evaluation.h"
#include "rules/rule.h"

namespace mlops::engine {

// Files matching a file_exists expression depend only on the listing: computed once per
// project and expression, reused by every evaluation.
struct FileExistsCache {
  std::map<const void*, std::vector<size_t>> found;
  // Lookups for the common globs, built on first use: a literal file name (`dvc.yaml`) or a
  // `*.ext` pattern needs no glob match against every file of a large repository.
  bool indexed = false;
  std::unordered_map<std::string_view, std::vector<size_t>> by_name, by_extension;
  std::unordered_map<std::string_view, std::vector<size_t>> by_directory;  // each directory name in a path
  std::map<std::string_view, std::vector<size_t>> by_top_directory;        // the first directory name
  std::vector<std::pair<std::string_view, size_t>> names;  // (file name, file), sorted on first use
  bool names_sorted = false;
  std::vector<std::pair<std::string_view, size_t>> paths;  // (project-relative path, file), sorted
};

// What a glob says of the file name it matches, read from its last segment (a match's base
// name must match that segment): the extension its literal tail names (`*.dvc`, `conf/**/*.yaml`,
// `*requirements*.txt` -> `.txt`; `*.pt.dvc` -> `.dvc`), or empty.
std::string_view glob_extension(std::string_view g);
// The literal directory name a `**/NAME/...` glob requires somewhere in a path (`configs` of
// `**/configs/*.py`), or empty.
std::string_view any_depth_directory(std::string_view g);
// The literal end of a glob's last segment, after its last wildcard (`_test.py` of `*_test.py`),
// which every name it matches ends with; empty when there is none or the segment holds `**`.
std::string_view literal_suffix(std::string_view g);
// The first segment of a rooted glob when a directory follows it (`[Dd]ocs` of `/[Dd]ocs/*`): a
// matching path's top-level directory matches it; nullopt otherwise.
std::optional<std::string_view> rooted_pattern_directory(std::string_view g);
// The literal file name a glob's last segment names (`dvc.yaml`, `[!.]*/**/config.yaml`), or empty.
std::string_view literal_name(std::string_view g);
// The literal start of a glob's last segment (`test_` of `tests/test_*.py`), which every name
// it matches starts with; empty when there is none or the segment holds `**`.
std::string_view literal_prefix(std::string_view g);
// The directory every path a glob matches lies in, when the glob is anchored (it names a
// directory, or starts with `/`): `data/test/` of `data/test/**`, "" for `/README*` (the root
// itself); nullopt when the glob matches in any directory or has no literal directory.
std::optional<std::string_view> anchored_directory(std::string_view g);

class Evaluator final : public ProjectView {
 public:
  Evaluator(const RuleSet& rules, const std::vector<FileEntry>& files, const std::vector<FileFacts>& facts,
            const Layout& layout, const Project& project, uint64_t large_threshold,
            FileExistsCache* file_cache = nullptr);

  // The repository's git tags (reachable from the scanned commit), for git_tag.
  void set_tags(const std::vector<std::string>* tags) { tags_ = tags; }
  // The snapshot's set-aside files, for tool_files.
  void set_aside(const std::vector<AsideFile>* aside) { aside_ = aside; }
  // Per query, whether some file of the project has a match, kept by the caller as facts
  // arrive: a query leaf asked of the whole project then costs a lookup, not a pass over every
  // file (the scheduler settles owners after each chunk of a large repository).
  void set_matched_queries(const std::vector<char>* matched) { matched_ = matched; }
  // Per query, the files (ascending) whose facts hold a match, once the analysis is done: a query
  // leaf asked of the whole project visits those files instead of every file of the project.
  void set_files_with_matches(const std::vector<std::vector<size_t>>* with) { with_matches_ = with; }

  // Whether the expression holds, without collecting its hits: applicability, exceptions and
  // per-file filters only need the answer, and most of them are answered by the first match.
  bool holds(const Expr& e, std::optional<size_t> only = std::nullopt, int depth = 0);
  // Evaluates over the project's files, or over one file when `only` is set.
  Eval eval(const Expr& e, std::optional<size_t> only = std::nullopt, int depth = 0);
  // Files this expression reads whose format could not be parsed.
  std::vector<size_t> unreadable_inputs(const Expr& e);

  // ProjectView
  const std::vector<FileEntry>& files() const override { return files_; }
  const std::vector<size_t>& project_files() const override { return project_.files; }
  const std::string& rel(size_t f) const override { return layout_.rel[f]; }
  const std::vector<Match>& matches(size_t f, size_t query) const override {
    return facts_[f].query_matches[query];
  }
  std::optional<size_t> find(std::string_view path) const override { return find_file(files_, path); }
  const std::vector<std::string>* tags() const override { return tags_; }
  std::vector<const AsideFile*> set_aside() const override;
  uint64_t large_file_threshold() const override { return large_threshold_; }
  const std::vector<size_t>& files_matching(const void* key, const std::vector<std::string>& globs) override;

 protected:
  std::shared_ptr<void>& memo_slot(const void* key) override { return memos_[key]; }

 private:
  Eval inside(const Expr& e, std::optional<size_t> only, int depth);
  // Calls fn(f) for each project file with a match for query q, in ascending order, until fn
  // returns true; true when it did.
  template <typename Fn>
  bool find_matching(size_t q, const Fn& fn) const;
  std::vector<size_t> match_globs(const std::vector<std::string>& globs);

  const RuleSet& rules_;
  const std::vector<FileEntry>& files_;
  const std::vector<FileFacts>& facts_;
  const Layout& layout_;
  const Project& project_;
  uint64_t large_threshold_;
  std::map<std::string, bool> condition_holds_;  // conditions asked only whether they hold
  const std::vector<std::string>* tags_ = nullptr;
  const std::vector<AsideFile>* aside_ = nullptr;
  const std::vector<char>* matched_ = nullptr;
  const std::vector<std::vector<size_t>>* with_matches_ = nullptr;
  FileExistsCache* file_cache_;
  FileExistsCache own_cache_;  // when the caller keeps none
  std::map<std::string, Eval> conditions_;
  std::map<const void*, std::shared_ptr<void>> memos_;  // predicates' derived data
};

}  // namespace mlops::engine
