// How a predicate answered over a whole project (rather than by one file query) is evaluated:
// the engine gives it a view of the project — its files, the facts each file's queries
// produced, the repository's tags — and collects its hits. Implemented by the engine; used by
// the predicate units in rules/predicates/.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/facts.h"
#include "repo/snapshot.h"

namespace mlops {

struct RuleSet;
class RuleWriter;

// A hit that is no analysed file's: a git tag (its name is the match text), or a set-aside file
// (Snapshot::set_aside(), named by `path`).
inline constexpr size_t kNoFile = static_cast<size_t>(-1);

struct Hit {
  size_t file;  // snapshot index, or kNoFile
  Match match;
  std::string path = {};  // with kNoFile: the set-aside file the hit points at; empty for a tag
};

struct Eval {
  bool holds = false;
  std::vector<Hit> hits;
  // A not_inside's project context held, so its matches were dropped: the rule passes by an
  // exception it states (reported as the result's reason).
  bool excepted = false;
};

class ProjectView {
 public:
  virtual ~ProjectView() = default;
  // Every listed file of the snapshot, sorted by path.
  virtual const std::vector<FileEntry>& files() const = 0;
  // The project's files (indexes into files()), ascending.
  virtual const std::vector<size_t>& project_files() const = 0;
  // A file's path relative to the project root.
  virtual const std::string& rel(size_t f) const = 0;
  // The matches of file query `query` in file `f` (empty when none or not asked there).
  virtual const std::vector<Match>& matches(size_t f, size_t query) const = 0;
  // The snapshot's file at a repository path.
  virtual std::optional<size_t> find(std::string_view path) const = 0;
  // The project's file at a repository path.
  std::optional<size_t> project_file(std::string_view path) const;
  // The repository's tags reachable from the scanned commit; nullptr outside git.
  virtual const std::vector<std::string>* tags() const = 0;
  // The project's set-aside files (those whose deepest enclosing project root is this
  // project's), sorted by path.
  virtual std::vector<const AsideFile*> set_aside() const = 0;
  // The configured large-file threshold.
  virtual uint64_t large_file_threshold() const = 0;
  // The project's files matching `globs`, computed once per `key` (an index by file name and
  // extension answers the common globs without matching every file).
  virtual const std::vector<size_t>& files_matching(const void* key,
                                                    const std::vector<std::string>& globs) = 0;
  // Derived data a predicate keeps for the rest of the project's evaluation (an include graph),
  // created on first use under `key`.
  template <class T, class Make>
  T& memo(const void* key, Make&& make) {
    std::shared_ptr<void>& slot = memo_slot(key);
    if (!slot) slot = std::make_shared<T>(make());
    return *static_cast<T*>(slot.get());
  }

 protected:
  virtual std::shared_ptr<void>& memo_slot(const void* key) = 0;
};

// A leaf of a check evaluated over the project: file_exists, large_file, ci_runs, git_tag, the
// dependency predicates that combine several files' facts.
class ProjectPredicate {
 public:
  virtual ~ProjectPredicate() = default;
  // The hits over the project, or only those in file `only`.
  virtual Eval evaluate(ProjectView& project, std::optional<size_t> only) const = 0;
  // The file queries whose facts it reads: the analysis answers them for the files they apply to.
  virtual std::vector<size_t> queries() const { return {}; }
  // Of those, the ones it compares across files (a lock beside a manifest): with --files they
  // are still asked of every file, not only the checked ones.
  virtual std::vector<size_t> cross_file_queries() const { return {}; }
  // Whether a change to the file at `rel` (project-relative) can change the answer (--files).
  // By default: when one of its queries applies to the file.
  virtual bool touches(const RuleSet& rules, const std::string& rel) const;
  // For the built-in rules compiled at build time (rules/rule_codec.h): the predicate's name in
  // the registry, and its parameters, read back by the decoder registered there.
  virtual std::string_view predicate_name() const = 0;
  virtual void encode(RuleWriter& out) const = 0;
};

}  // namespace mlops
