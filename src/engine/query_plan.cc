// Query planning: the queries each file is asked, decided from the rules' expressions, the
// project layout and, between chunks of the first pass, the matches found so far.
#include "engine/query_plan.h"

#include <algorithm>
#include <functional>
#include <map>

#include "analysers/file_analyser.h"
#include "engine/evaluator.h"
#include "engine/project_kind.h"
#include "util/glob.h"

namespace mlops::engine {

namespace {

// A project or directory context is asked of files other than the match's own: its queries are
// needed wherever the rule is checked, and one match anywhere is enough.
bool beyond_the_match(Expr::Scope scope) {
  return scope == Expr::Scope::Project || scope == Expr::Scope::Directory;
}

// `main_only`: at inside / not_inside operators, only the check, not its context.
void collect_queries(const Expr& e, const RuleSet& rules, std::vector<bool>& out,
                     std::set<std::string>& seen_conditions, bool main_only, int depth = 0) {
  if (depth > 64) return;
  if (e.op == Expr::Op::Query) out[e.query] = true;
  if (e.op == Expr::Op::Project && e.project)
    for (size_t q : e.project->queries()) out[q] = true;
  if (e.op == Expr::Op::Condition && seen_conditions.insert(e.condition).second) {
    auto it = rules.conditions.find(e.condition);
    if (it != rules.conditions.end())
      collect_queries(it->second, rules, out, seen_conditions, main_only, depth + 1);
  }
  if (e.op == Expr::Op::Inside && main_only) {
    collect_queries(e.children.at(0), rules, out, seen_conditions, main_only, depth + 1);
    return;
  }
  for (const auto& c : e.children) collect_queries(c, rules, out, seen_conditions, main_only, depth + 1);
}

// The queries of a check's main part: what its matches come from, not the contexts that filter them.
std::vector<bool> main_queries_of(const Expr& e, const RuleSet& rules) {
  std::vector<bool> out(rules.queries.size(), false);
  std::set<std::string> seen;
  collect_queries(e, rules, out, seen, true);
  return out;
}

void mark(const std::vector<bool>& qs, std::vector<bool>& into) {
  for (size_t q = 0; q < qs.size(); ++q)
    if (qs[q]) into[q] = true;
}

}  // namespace

std::vector<bool> queries_of(const Expr& e, const RuleSet& rules) {
  std::vector<bool> out(rules.queries.size(), false);
  std::set<std::string> seen;
  collect_queries(e, rules, out, seen, false);
  return out;
}

void filters_of(const Expr& e, std::vector<Filter>& out, int depth) {
  if (depth > 64) return;
  if (e.op == Expr::Op::Inside) {
    out.push_back({&e.children.at(1), e.scope, &e.children.at(0)});
    filters_of(e.children.at(0), out, depth + 1);
    return;
  }
  for (const auto& c : e.children) filters_of(c, out, depth + 1);
}

bool touches(const Expr& e, const RuleSet& rules, const std::string& rel, int depth) {
  if (depth > 64) return true;
  switch (e.op) {
    case Expr::Op::Query:
      return query_applies_to(rules.queries[e.query], rel);
    case Expr::Op::Project:
      return e.project && e.project->touches(rules, rel);
    case Expr::Op::Condition: {
      auto it = rules.conditions.find(e.condition);
      return it != rules.conditions.end() && touches(it->second, rules, rel, depth + 1);
    }
    default:
      return std::any_of(e.children.begin(), e.children.end(),
                         [&](const Expr& c) { return touches(c, rules, rel, depth + 1); });
  }
}

std::vector<bool> existence_only_queries(const RuleSet& rules) {
  std::vector<bool> full(rules.queries.size(), false);
  for (const auto& r : rules.rules) {
    if (r.kind != RuleKind::Pattern) continue;
    // Every match of the check counts, and so does every file or function a context filters
    // them by; a project context only needs to hold somewhere.
    mark(main_queries_of(r.check, rules), full);
    std::vector<Filter> filters;
    filters_of(r.check, filters);
    for (const auto& f : filters)
      if (!beyond_the_match(f.scope)) mark(queries_of(*f.context, rules), full);
  }
  std::vector<bool> out(rules.queries.size(), false);
  for (size_t q = 0; q < out.size(); ++q) {
    out[q] = !full[q] && parses_python(rules.queries[q].kind);
  }
  return out;
}

std::vector<bool> queries_for_checked_files(const RuleSet& rules, const Layout& layout,
                                            const std::set<size_t>& only_files) {
  std::vector<bool> global_needed(rules.queries.size(), false);
  auto add = [&](const Expr& e) {
    auto qs = queries_of(e, rules);
    for (size_t q = 0; q < qs.size(); ++q)
      if (qs[q]) global_needed[q] = true;
  };
  // Cross-file comparisons read the other side (the locks) whatever files are checked.
  std::function<void(const Expr&, int)> other_side = [&](const Expr& e, int depth) {
    if (depth > 64) return;
    if (e.op == Expr::Op::Project && e.project)
      for (size_t q : e.project->cross_file_queries()) global_needed[q] = true;
    for (const auto& c : e.children) other_side(c, depth + 1);
  };
  // Project kinds decide applicability: their conditions are asked of every file.
  for (const auto& name : kind_conditions()) {
    auto it = rules.conditions.find(name);
    if (it != rules.conditions.end()) add(it->second);
  }
  for (const auto& r : rules.rules) {
    other_side(r.check, 0);
    if (r.applies) add(*r.applies);
    // Exceptions a pattern rule states for the whole project.
    if (r.kind == RuleKind::Pattern) {
      std::vector<Filter> filters;
      filters_of(r.check, filters);
      for (const auto& f : filters)
        if (beyond_the_match(f.scope)) add(*f.context);
    }
    if (r.kind == RuleKind::Requirement) {
      bool affected = false;
      for (size_t f : only_files)
        affected = affected || touches(r.check, rules, layout.rel[f]) ||
                   (r.applies && touches(*r.applies, rules, layout.rel[f]));
      if (affected) add(r.check);
    }
  }
  return global_needed;
}

QueryPlan::QueryPlan(const RuleSet& rules, const Layout& layout, const std::vector<bool>& global_needed,
                     const std::set<size_t>& only_files)
    : rules_(rules),
      layout_(layout),
      global_needed_(global_needed),
      only_files_(only_files),
      nq_(rules.queries.size()),
      used_(nq_, false),
      filter_only_(nq_, false),
      file_projects_(layout.rel.size()),
      deferred_(existence_only_queries(rules)),
      owners_of_(nq_) {
  mark_used();
  group_queries();
  mark_filter_only();
  // The groups some first-pass query of a checked file (or of any file) may come from: the
  // others' globs need not be matched at all (with --files, most groups for most files).
  wanted_all_.assign(group_rep_.size(), 0);
  wanted_global_.assign(group_rep_.size(), 0);
  for (size_t q = 0; q < nq_; ++q) {
    if (!used_[q] || filter_only_[q]) continue;
    wanted_all_[group_of_[q]] = 1;
    if (global_needed_[q]) wanted_global_[group_of_[q]] = 1;
  }
  for (size_t p = 0; p < layout.projects.size(); ++p)
    for (size_t f : layout.projects[p].files) file_projects_[f].push_back(p);
  // A sub-project may be credited from its shared infrastructure: those files stay open for the
  // existence questions until the sub-project itself has settled them.
  for (size_t p = 0; p < layout.projects.size(); ++p)
    for (size_t f : layout.projects[p].shared) file_projects_[f].push_back(p);
  add_owners();
  open_.assign(layout.projects.size(), std::vector<char>(nq_, 1));  // nothing is decided yet
  for (const auto& rel : layout.rel) {
    std::string ext(path_extension(rel));
    if (!by_extension_.count(ext)) by_extension_.emplace(ext, plan_extension(ext));
  }
}

// Only queries some rule (through its checks or conditions) still refers to are answered:
// rules dropped by the selection cost nothing.
void QueryPlan::mark_used() {
  auto use = [&](const Expr& e) {
    auto qs = queries_of(e, rules_);
    for (size_t q = 0; q < nq_; ++q)
      if (qs[q]) used_[q] = true;
  };
  for (const auto& r : rules_.rules) {
    // Rules outside the profile are evaluated too: practice statuses do not depend on it.
    use(r.check);
    if (r.applies) use(*r.applies);
  }
  // The project kind reads these conditions whether or not a rule refers to them.
  for (const auto& name : kind_conditions()) {
    auto it = rules_.conditions.find(name);
    if (it != rules_.conditions.end()) use(it->second);
  }
  if (rules_.suppression_query < nq_) used_[rules_.suppression_query] = true;
  // Dependency questions follow requirements files' `-r` / `-c` includes.
  if (rules_.includes_query < nq_)
    for (size_t q = 0; q < nq_; ++q)
      if (used_[q] && (rules_.queries[q].kind == QueryKind::DependencyDeclared ||
                       rules_.queries[q].kind == QueryKind::DependencyUnpinned)) {
        used_[rules_.includes_query] = true;
        break;
      }
}

void QueryPlan::group_queries() {
  std::map<std::string, size_t> group_ids;
  group_of_.resize(nq_);
  for (size_t q = 0; q < nq_; ++q) {
    std::string key = std::to_string(static_cast<int>(rules_.queries[q].kind));
    for (const auto& g : rules_.queries[q].globs) key += "|" + std::to_string(g.size()) + ":" + g;
    auto [it, fresh] = group_ids.emplace(key, group_rep_.size());
    if (fresh) {
      group_rep_.push_back(q);
      group_globs_.emplace_back(rules_.queries[q].globs);
      if (group_globs_.back().empty())
        group_extensions_.emplace_back();  // the kind's default files: any extension
      else
        group_extensions_.push_back(group_globs_.back().extensions());
    }
    group_of_[q] = it->second;
  }
}

// Queries only pattern rules' filters ask (the contexts of inside / not_inside: this file also
// ...; the project also ...) are answered after the first pass, and only where the rule's check matched: a
// filter such as "evaluates on test data somewhere" would otherwise parse every file that
// mentions "test".
void QueryPlan::mark_filter_only() {
  std::vector<bool> elsewhere(nq_, false), in_filters(nq_, false);
  for (const auto& r : rules_.rules) {
    if (r.applies) mark(queries_of(*r.applies, rules_), elsewhere);
    if (r.kind != RuleKind::Pattern) {
      mark(queries_of(r.check, rules_), elsewhere);
      continue;
    }
    mark(main_queries_of(r.check, rules_), elsewhere);
    std::vector<Filter> filters;
    filters_of(r.check, filters);
    for (const auto& f : filters) mark(queries_of(*f.context, rules_), in_filters);
  }
  for (size_t q = 0; q < nq_; ++q) filter_only_[q] = in_filters[q] && !elsewhere[q];
}

void QueryPlan::add_owners() {
  for (const auto& r : rules_.rules) {
    if (r.kind == RuleKind::Requirement) add_owner(r.check);
    if (r.applies) add_owner(*r.applies);
    if (r.kind == RuleKind::Pattern) {
      std::vector<Filter> filters;
      filters_of(r.check, filters);
      for (const auto& f : filters)
        if (beyond_the_match(f.scope)) add_owner(*f.context);
    }
  }
  for (const auto& [name, e] : rules_.conditions) add_owner(e);
}

void QueryPlan::add_owner(const Expr& e) {
  owners_.push_back({&e, !has_not(e), std::vector<char>(layout_.projects.size(), 0)});
  own(e, owners_.size() - 1, 0);
}

// An owner's queries stop at condition references: each condition is an owner itself, so
// `all: [ml_code, python_import: fastapi]` keeps only the fastapi query open once ml_code holds.
void QueryPlan::own(const Expr& e, size_t o, int depth) {
  if (depth > 64) return;
  if (e.op == Expr::Op::Query && deferred_[e.query]) owners_of_[e.query].push_back(o);
  for (const auto& c : e.children) own(c, o, depth + 1);
}

bool QueryPlan::has_not(const Expr& e) const {
  std::function<bool(const Expr&, int)> walk = [&](const Expr& x, int depth) -> bool {
    if (depth > 64 || x.op == Expr::Op::Not) return true;
    if (x.op == Expr::Op::Condition) {
      auto it = rules_.conditions.find(x.condition);
      return it != rules_.conditions.end() && walk(it->second, depth + 1);
    }
    return std::any_of(x.children.begin(), x.children.end(),
                       [&](const Expr& c) { return walk(c, depth + 1); });
  };
  return walk(e, 0);
}

bool QueryPlan::open_for(size_t q, size_t p) const {
  if (owners_of_[q].empty()) return true;
  return std::any_of(owners_of_[q].begin(), owners_of_[q].end(),
                     [&](size_t o) { return !owners_[o].decided[p]; });
}

void QueryPlan::update_open(size_t p) {
  for (size_t q = 0; q < nq_; ++q) open_[p][q] = !deferred_[q] || open_for(q, p);
}

QueryPlan::ExtensionPlan QueryPlan::plan_extension(std::string_view extension) const {
  ExtensionPlan plan;
  enum : char { kNever, kAlways, kByPath };
  std::vector<char> answer(group_rep_.size(), kNever);
  for (size_t g = 0; g < group_rep_.size(); ++g) {
    const auto& exts = group_extensions_[g];
    if (exts && !std::binary_search(exts->begin(), exts->end(), extension)) continue;
    std::optional<bool> globs =
        group_globs_[g].empty() ? std::optional<bool>(true) : group_globs_[g].answer_for_extension(extension);
    std::optional<bool> kind = query_kind_answer_for_extension(rules_.queries[group_rep_[g]], extension);
    if ((globs && !*globs) || (kind && !*kind)) continue;
    answer[g] = globs && kind ? kAlways : kByPath;
    if (answer[g] == kByPath && wanted_all_[g]) plan.by_path.push_back(g);
  }
  for (size_t q = 0; q < nq_; ++q) {
    const size_t g = group_of_[q];
    if (!used_[q] || filter_only_[q] || answer[g] == kNever) continue;
    const std::pair<size_t, size_t> candidate{q, answer[g] == kAlways ? kEveryPath : g};
    plan.all.push_back(candidate);
    if (global_needed_[q]) plan.global.push_back(candidate);
  }
  return plan;
}

// The queries file i may need, listed chunk by chunk: a list per file for the whole repository
// at once was most of a large scan's peak heap (100k files x ~100 queries).
void QueryPlan::relevant_to(size_t i, std::vector<size_t>& out, std::vector<char>& applies) const {
  bool all = only_files_.empty() || only_files_.count(i);
  const std::vector<char>& wanted = all ? wanted_all_ : wanted_global_;
  // The constructor planned every extension of the layout's files.
  const ExtensionPlan& plan = by_extension_.at(std::string(path_extension(layout_.rel[i])));
  applies.resize(group_rep_.size());
  for (size_t g : plan.by_path)
    applies[g] =
        wanted[g] && query_applies_to(rules_.queries[group_rep_[g]], layout_.rel[i], group_globs_[g]);
  for (const auto& [q, g] : all ? plan.all : plan.global)
    if (g == kEveryPath || applies[g]) out.push_back(q);
}

std::vector<size_t> QueryPlan::first_pass(size_t i) const {
  // Per thread: the scheduler's workers plan their own files.
  thread_local std::vector<size_t> relevant;
  thread_local std::vector<char> applies;
  relevant.clear();
  relevant_to(i, relevant, applies);
  std::vector<size_t> out;
  for (size_t q : relevant) {
    bool open = !deferred_[q] || std::any_of(file_projects_[i].begin(), file_projects_[i].end(),
                                             [&](size_t p) { return open_[p][q] != 0; });
    if (open) out.push_back(q);
  }
  return out;
}

void QueryPlan::settle(size_t p, Evaluator& ev) {
  bool changed = false;
  for (auto& o : owners_)
    if (o.monotone && !o.decided[p] && ev.holds(*o.expr)) {
      o.decided[p] = 1;
      changed = true;
    }
  if (changed) update_open(p);
}

// A file or function context's queries for the files where the check it filters matched; a
// project context's for every file of a project where it matched anywhere.
std::vector<std::vector<size_t>> QueryPlan::second_pass(const std::vector<FileFacts>& facts) const {
  const size_t nfiles = layout_.rel.size();
  std::vector<std::vector<size_t>> second(nfiles);
  auto listed = [&](const std::vector<bool>& qs, bool filter_only) {
    std::vector<size_t> out;
    for (size_t q = 0; q < nq_; ++q)
      if (qs[q] && (!filter_only || filter_only_[q])) out.push_back(q);
    return out;
  };
  auto matched = [&](size_t i, const std::vector<size_t>& qs) {
    const auto& qm = facts[i].query_matches;
    return std::any_of(qs.begin(), qs.end(), [&](size_t q) { return !qm[q].empty(); });
  };
  auto ask = [&](size_t i, const std::vector<size_t>& qs) {
    for (size_t q : qs)
      if (query_applies_to(rules_.queries[q], layout_.rel[i], group_globs_[group_of_[q]]))
        second[i].push_back(q);
  };
  for (const auto& r : rules_.rules) {
    if (r.kind != RuleKind::Pattern) continue;
    std::vector<Filter> filters;
    filters_of(r.check, filters);
    for (const auto& filter : filters) {
      const auto context_qs = listed(queries_of(*filter.context, rules_), true);
      if (context_qs.empty()) continue;
      const auto main_qs = listed(main_queries_of(*filter.main, rules_), false);
      std::vector<char> project_hit(layout_.projects.size(), 0);
      for (size_t i = 0; i < nfiles; ++i) {
        // Findings outside --files are dropped, so their filters need no answer.
        if (!only_files_.empty() && !only_files_.count(i)) continue;
        if (!matched(i, main_qs)) continue;
        if (beyond_the_match(filter.scope))
          for (size_t p : file_projects_[i]) project_hit[p] = 1;
        else
          ask(i, context_qs);
      }
      for (size_t p = 0; p < layout_.projects.size(); ++p)
        if (project_hit[p])
          for (size_t f : layout_.projects[p].files) ask(f, context_qs);
    }
  }
  for (auto& s : second) {
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
  }
  return second;
}

}  // namespace mlops::engine
