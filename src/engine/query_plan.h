// Query planning: which queries each file is asked, in which pass, and when a project no longer
// needs an existence-only query. Internal to the engine.
#pragma once
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/layout.h"
#include "model/facts.h"
#include "rules/rule.h"
#include "util/glob.h"

namespace mlops::engine {

class Evaluator;

// The queries an expression reads, through the conditions it refers to (indexed by query).
std::vector<bool> queries_of(const Expr& e, const RuleSet& rules);

// A context of a check's inside / not_inside operator: the expression it asks, in which scope,
// of the matches of which part of the check.
struct Filter {
  const Expr* context;
  Expr::Scope scope;
  const Expr* main;
};
// The filters of a check, outermost first (contexts are not searched for more).
void filters_of(const Expr& e, std::vector<Filter>& out, int depth = 0);

// Does `rel` feed the expression (so a change to that file can change the outcome)?
bool touches(const Expr& e, const RuleSet& rules, const std::string& rel, int depth = 0);

// Python queries that only decide whether something exists (requirement checks, conditions,
// project contexts of not_inside) need one match per project, not all of them: they are the expensive ones (a
// tree-sitter parse), so once a project has a match, later files skip them.
std::vector<bool> existence_only_queries(const RuleSet& rules);

// With --files, the queries every other file is still asked: those project-level outcomes (the
// kinds, applicability, exceptions, the requirement rules the checked files affect) depend on.
std::vector<bool> queries_for_checked_files(const RuleSet& rules, const Layout& layout,
                                            const std::set<size_t>& only_files);

// The queries of one analysis, file by file. The first pass asks each file the queries some rule
// still refers to that apply to its path, except filter-only ones and existence-only ones every
// project of the file has settled; the second pass asks the filter-only queries where a rule's
// check matched.
class QueryPlan {
 public:
  // `global_needed`: the queries files outside `only_files` are asked (all without --files).
  QueryPlan(const RuleSet& rules, const Layout& layout, const std::vector<bool>& global_needed,
            const std::set<size_t>& only_files);

  // Queries some rule (through its checks or conditions) still refers to.
  const std::vector<bool>& used() const { return used_; }
  // Existence-only queries (existence_only_queries): skipped where every owner is decided.
  bool deferred(size_t q) const { return deferred_[q]; }
  // The projects that see file i.
  const std::vector<size_t>& projects_of(size_t i) const { return file_projects_[i]; }

  // The first-pass queries of file i, given what its projects have settled so far. Safe to call
  // from several threads at once (between settle() calls), as the scheduler's workers do.
  std::vector<size_t> first_pass(size_t i) const;
  // Marks the owners that hold in project p with the facts gathered so far (monotone ones
  // only: adding matches cannot make them false again).
  void settle(size_t p, Evaluator& ev);
  // The second-pass queries of every file (sorted, unique), from the first pass's facts.
  std::vector<std::vector<size_t>> second_pass(const std::vector<FileFacts>& facts) const;

 private:
  // The expressions that decide project-level outcomes. A deferred query stays open for a
  // project while some expression using it is undecided there; once every such expression holds
  // (they only grow as matches are added, unless they contain `not`), its files skip the query.
  struct Owner {
    const Expr* expr;
    bool monotone;
    std::vector<char> decided;  // per project
  };

  void mark_used();
  void group_queries();
  void mark_filter_only();
  void add_owners();
  void add_owner(const Expr& e);
  void own(const Expr& e, size_t o, int depth);
  bool has_not(const Expr& e) const;
  bool open_for(size_t q, size_t p) const;
  void update_open(size_t p);
  // `applies`: scratch, one slot per group.
  void relevant_to(size_t i, std::vector<size_t>& out, std::vector<char>& applies) const;

  const RuleSet& rules_;
  const Layout& layout_;
  const std::vector<bool>& global_needed_;
  const std::set<size_t>& only_files_;
  const size_t nq_;
  std::vector<bool> used_;
  // Queries with the same kind and file globs apply to the same files: decided once per group.
  std::vector<size_t> group_of_, group_rep_;
  std::vector<GlobList> group_globs_;  // per group, its file globs compiled
  // Per group, the extensions its globs admit (nullopt: any; GlobList::extensions).
  std::vector<std::optional<std::vector<std::string>>> group_extensions_;
  // What a file's extension decides before its path is looked at. Most groups name theirs
  // (`*.py`, `dvc.yaml`): a group whose globs admit no such path is never asked, and one that
  // takes every such path (`*.py` for a Python query) is not matched at all. Listed by the
  // constructor for every extension the layout's files have, so that planning, on several
  // threads, only reads it.
  static constexpr size_t kEveryPath = static_cast<size_t>(-1);
  struct ExtensionPlan {
    std::vector<size_t> by_path;  // the groups the rest of the path decides
    // First-pass candidates in query order with their group (kEveryPath: applies to every path
    // with the extension), for checked files and for the others.
    std::vector<std::pair<size_t, size_t>> all, global;
  };
  std::unordered_map<std::string, ExtensionPlan> by_extension_;
  ExtensionPlan plan_extension(std::string_view extension) const;
  // Per group: whether it holds a first-pass query for checked files / for the other files.
  std::vector<char> wanted_all_, wanted_global_;
  std::vector<bool> filter_only_;
  std::vector<std::vector<size_t>> file_projects_;
  std::vector<bool> deferred_;
  std::vector<Owner> owners_;
  std::vector<std::vector<size_t>> owners_of_;  // per query
  // Per project and query: open_for, kept up to date by settle() (planning asks it per file).
  std::vector<std::vector<char>> open_;
};

}  // namespace mlops::engine
