// The expression evaluator: the operators (any, all, not, before, inside / not_inside), named
// conditions (memoised per project), file-query leaves, and the project predicates' view.
#include "engine/evaluator.h"

#include <optional>

#include <algorithm>
#include <set>

#include "analysers/ci_config.h"
#include "engine/query_plan.h"
#include "util/glob.h"

namespace mlops::engine {

std::string_view glob_extension(std::string_view g) {
  std::string_view seg = g.substr(g.rfind('/') + 1);
  size_t dot = seg.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == seg.size()) return {};
  // A literal tail only (`x[.]txt` holds its dot in a class: not an extension).
  if (seg.find_first_of("*?[]\\", dot) != std::string_view::npos) return {};
  return seg.substr(dot);
}

std::string_view literal_prefix(std::string_view g) {
  std::string_view seg = g.substr(g.rfind('/') + 1);
  // `**` inside the last segment crosses directories: the file name need not start with it.
  if (seg.find("**") != std::string_view::npos) return {};
  return seg.substr(0, std::min(seg.size(), seg.find_first_of("*?[\\")));
}

std::optional<std::string_view> anchored_directory(std::string_view g) {
  const bool rooted = g.starts_with('/');
  if (rooted) g.remove_prefix(1);
  if (!rooted && g.find('/') == std::string_view::npos) return std::nullopt;  // any directory
  std::string_view literal = g.substr(0, std::min(g.size(), g.find_first_of("*?[\\")));
  size_t slash = literal.rfind('/');
  if (slash == std::string_view::npos) {
    // No literal directory: only a pattern with no directory part at all stays at the root.
    if (g.find('/') != std::string_view::npos) return std::nullopt;
    return std::string_view();
  }
  return literal.substr(0, slash + 1);
}

std::string_view any_depth_directory(std::string_view g) {
  if (!g.starts_with("**/")) return {};
  std::string_view rest = g.substr(3);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return {};  // `**/NAME`: a file name, not a directory
  std::string_view dir = rest.substr(0, slash);
  if (dir.empty() || dir.find_first_of("*?[\\") != std::string_view::npos) return {};
  return dir;
}

std::string_view literal_suffix(std::string_view g) {
  std::string_view seg = g.substr(g.rfind('/') + 1);
  if (seg.find("**") != std::string_view::npos) return {};
  size_t wild = seg.find_last_of("*?[]\\");
  return wild == std::string_view::npos ? std::string_view() : seg.substr(wild + 1);
}

std::optional<std::string_view> rooted_pattern_directory(std::string_view g) {
  if (!g.starts_with('/')) return std::nullopt;
  std::string_view rest = g.substr(1);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  std::string_view first = rest.substr(0, slash);
  if (first.find("**") != std::string_view::npos) return std::nullopt;
  return first;
}

std::string_view literal_name(std::string_view g) {
  std::string_view seg = g.substr(g.rfind('/') + 1);
  if (seg.empty() || seg.find_first_of("*?[\\") != std::string_view::npos) return {};
  return seg;
}

Evaluator::Evaluator(const RuleSet& rules, const std::vector<FileEntry>& files,
                     const std::vector<FileFacts>& facts, const Layout& layout, const Project& project,
                     uint64_t large_threshold, FileExistsCache* file_cache)
    : rules_(rules),
      files_(files),
      facts_(facts),
      layout_(layout),
      project_(project),
      large_threshold_(large_threshold),
      file_cache_(file_cache ? file_cache : &own_cache_) {}

std::vector<const AsideFile*> Evaluator::set_aside() const {
  std::vector<const AsideFile*> out;
  if (aside_ == nullptr) return out;
  auto within = [](const std::string& root, const std::string& path) {
    return root.empty() ||
           (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/');
  };
  for (const AsideFile& a : *aside_) {
    // Like a file, it belongs to the deepest project root containing it.
    const std::string* deepest = nullptr;
    for (const Project& p : layout_.projects)
      if (within(p.root, a.path) && (deepest == nullptr || p.root.size() > deepest->size()))
        deepest = &p.root;
    if (deepest != nullptr && *deepest == project_.root) out.push_back(&a);
  }
  return out;
}

// The project's files matching the globs, through the name and extension indexes when every
// glob that adds files ends in a plain name or `*.ext`; the candidates are then matched in full.
std::vector<size_t> Evaluator::match_globs(const std::vector<std::string>& globs) {
  auto base = [&](size_t f) {
    std::string_view rel = layout_.rel[f];
    return rel.substr(rel.rfind('/') + 1);
  };
  if (!file_cache_->indexed) {
    for (size_t f : project_.files) {
      std::string_view name = base(f);
      file_cache_->by_name[name].push_back(f);
      if (size_t dot = name.rfind('.'); dot != std::string_view::npos)
        file_cache_->by_extension[name.substr(dot)].push_back(f);
      file_cache_->names.push_back({name, f});
      file_cache_->paths.push_back({layout_.rel[f], f});
      std::string_view rel = layout_.rel[f];
      for (size_t from = 0, slash = rel.find('/'); slash != std::string_view::npos;
           from = slash + 1, slash = rel.find('/', from)) {
        if (from == 0) file_cache_->by_top_directory[rel.substr(0, slash)].push_back(f);
        file_cache_->by_directory[rel.substr(from, slash - from)].push_back(f);
      }
    }
    // Usually in order already: the project's files are, and their paths share its root.
    if (!std::is_sorted(file_cache_->paths.begin(), file_cache_->paths.end()))
      std::sort(file_cache_->paths.begin(), file_cache_->paths.end());
    file_cache_->indexed = true;
  }
  std::vector<size_t> candidates;
  // A list that starts with an exclusion starts from every file.
  if (!globs.empty() && globs.front().starts_with('!')) candidates = project_.files;
  for (const auto& g : globs) {
    if (candidates.size() == project_.files.size()) break;
    if (g.starts_with('!')) continue;
    const std::vector<size_t>* from = nullptr;
    if (auto name = literal_name(g); !name.empty()) {
      auto it = file_cache_->by_name.find(name);
      if (it != file_cache_->by_name.end()) from = &it->second;
    } else if (auto prefix = literal_prefix(g); !prefix.empty()) {
      // `test_*.py`, `MODELCARD*`: the names starting with the literal part, not every `.py`.
      // Sorted when a glob first asks (50,000 names are a visible share of a cached run).
      auto& names = file_cache_->names;
      if (!file_cache_->names_sorted) {
        std::sort(names.begin(), names.end());
        file_cache_->names_sorted = true;
      }
      auto it = std::lower_bound(names.begin(), names.end(), std::pair<std::string_view, size_t>{prefix, 0});
      for (; it != names.end() && it->first.starts_with(prefix); ++it) candidates.push_back(it->second);
    } else if (auto dir = anchored_directory(g)) {
      // `data/test/**`, `.github/[Pp]ull*`, `config/*.py`: the files under that directory only
      // (before the extension: `conf/**/*.yaml` is a few files, every `.yaml` may be many).
      const auto& paths = file_cache_->paths;
      auto it = std::lower_bound(paths.begin(), paths.end(), std::pair<std::string_view, size_t>{*dir, 0});
      for (; it != paths.end() && it->first.starts_with(*dir); ++it)
        if (it->first.find('/', dir->size()) == std::string_view::npos || !g.starts_with('/') ||
            g.find('/', 1) != std::string_view::npos)
          candidates.push_back(it->second);
    } else if (auto component = any_depth_directory(g); !component.empty()) {
      // `**/configs/*.py`: the files with such a directory somewhere in their path.
      auto it = file_cache_->by_directory.find(component);
      if (it != file_cache_->by_directory.end()) from = &it->second;
    } else if (auto first = rooted_pattern_directory(g)) {
      // `/[Dd]ocs/*`: the files under the top-level directories the first segment matches.
      for (const auto& [top, under] : file_cache_->by_top_directory)
        if (glob_match_full(*first, top)) candidates.insert(candidates.end(), under.begin(), under.end());
    } else if (auto ext = glob_extension(g); !ext.empty()) {
      // `*.yaml`: the names with that extension; `*_test.py`: those of them ending with the
      // glob's whole literal tail, not every `.py`.
      static const std::vector<size_t> kNone;
      auto it = file_cache_->by_extension.find(ext);
      const std::vector<size_t>& with_ext = it == file_cache_->by_extension.end() ? kNone : it->second;
      const std::string_view suffix = literal_suffix(g);
      if (suffix.size() <= ext.size()) {
        from = &with_ext;
      } else {
        for (size_t f : with_ext)
          if (base(f).ends_with(suffix)) candidates.push_back(f);
      }
    } else {
      candidates = project_.files;  // a glob the indexes cannot answer: look at every file
      break;
    }
    if (from) candidates.insert(candidates.end(), from->begin(), from->end());
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<size_t> found;
  const GlobList compiled(globs);
  for (size_t f : candidates)
    if (compiled.matches(layout_.rel[f])) found.push_back(f);
  return found;
}

const std::vector<size_t>& Evaluator::files_matching(const void* key, const std::vector<std::string>& globs) {
  auto it = file_cache_->found.find(key);
  if (it == file_cache_->found.end()) it = file_cache_->found.emplace(key, match_globs(globs)).first;
  return it->second;
}

template <typename Fn>
bool Evaluator::find_matching(size_t q, const Fn& fn) const {
  const auto& pf = project_.files;
  if (with_matches_ != nullptr && q < with_matches_->size()) {
    const std::vector<size_t>& with = (*with_matches_)[q];
    if (pf.size() == files_.size()) {  // the project is every file
      for (size_t f : with)
        if (fn(f)) return true;
      return false;
    }
    if (with.size() * 16 < pf.size()) {
      for (size_t f : with)
        if (std::binary_search(pf.begin(), pf.end(), f) && fn(f)) return true;
      return false;
    }
  }
  for (size_t f : pf)
    if (!facts_[f].query_matches[q].empty() && fn(f)) return true;
  return false;
}

bool Evaluator::holds(const Expr& e, std::optional<size_t> only, int depth) {
  if (depth > 64) return false;
  switch (e.op) {
    case Expr::Op::Any:
      return std::any_of(e.children.begin(), e.children.end(),
                         [&](const Expr& c) { return holds(c, only, depth + 1); });
    case Expr::Op::All:
      return std::all_of(e.children.begin(), e.children.end(),
                         [&](const Expr& c) { return holds(c, only, depth + 1); });
    case Expr::Op::Not:
      return !holds(e.children.at(0), only, depth + 1);
    case Expr::Op::Condition: {
      if (!only) {
        auto memo = conditions_.find(e.condition);
        if (memo != conditions_.end()) return memo->second.holds;
        auto known = condition_holds_.find(e.condition);
        if (known != condition_holds_.end()) return known->second;
      }
      auto it = rules_.conditions.find(e.condition);
      if (it == rules_.conditions.end()) return false;
      bool h = holds(it->second, only, depth + 1);
      if (!only) condition_holds_[e.condition] = h;
      return h;
    }
    case Expr::Op::Query: {
      auto has = [&](size_t f) { return !facts_[f].query_matches[e.query].empty(); };
      if (only) return has(*only);
      if (matched_) return e.query < matched_->size() && (*matched_)[e.query];
      return find_matching(e.query, [](size_t) { return true; });
    }
    default:
      return eval(e, only, depth).holds;
  }
}

Eval Evaluator::eval(const Expr& e, std::optional<size_t> only, int depth) {
  Eval out;
  if (depth > 64) return out;
  auto append = [&](const std::vector<Hit>& hits) {
    out.hits.insert(out.hits.end(), hits.begin(), hits.end());
  };
  switch (e.op) {
    case Expr::Op::Any:
      for (const auto& c : e.children) {
        Eval r = eval(c, only, depth + 1);
        if (r.holds) {
          out.holds = true;
          append(r.hits);
        }
      }
      return out;
    case Expr::Op::All:
      out.holds = true;
      for (const auto& c : e.children) {
        Eval r = eval(c, only, depth + 1);
        if (!r.holds) return Eval{};
        append(r.hits);
      }
      return out;
    case Expr::Op::Not:
      out.holds = !holds(e.children.at(0), only, depth + 1);
      return out;
    case Expr::Op::Before: {
      Eval first = eval(e.children.at(0), only, depth + 1);
      Eval then = eval(e.children.at(1), only, depth + 1);
      // Lines order execution only within one file and one scope (module level or one function).
      std::map<std::pair<size_t, int>, int> last_line;  // (file, scope) -> last line where `then` matches
      for (const auto& h : then.hits) {
        int& last = last_line[{h.file, h.match.scope}];
        last = std::max(last, h.match.line);
      }
      for (const auto& h : first.hits) {
        auto it = last_line.find({h.file, h.match.scope});
        if (it != last_line.end() && it->second > h.match.line) out.hits.push_back(h);
      }
      break;
    }
    case Expr::Op::Inside:
      return inside(e, only, depth);
    case Expr::Op::Condition: {
      auto it = rules_.conditions.find(e.condition);
      if (it == rules_.conditions.end()) return out;
      if (only) return eval(it->second, only, depth + 1);
      auto memo = conditions_.find(e.condition);
      if (memo != conditions_.end()) return memo->second;
      Eval r = eval(it->second, std::nullopt, depth + 1);
      conditions_[e.condition] = r;
      return r;
    }
    case Expr::Op::Query: {
      auto visit = [&](size_t f) {
        for (const auto& m : facts_[f].query_matches[e.query]) out.hits.push_back({f, m});
      };
      if (only)
        visit(*only);
      else
        find_matching(e.query, [&](size_t f) {
          visit(f);
          return false;
        });
      break;
    }
    case Expr::Op::Project:
      if (e.project) return e.project->evaluate(*this, only);
      return out;
  }
  out.holds = !out.hits.empty();
  return out;
}

// The directory part of a relative path ("" at the root): "k8s/base/app.yaml" -> "k8s/base".
static std::string_view parent_dir(std::string_view rel) {
  size_t slash = rel.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : rel.substr(0, slash);
}

// inside / not_inside: the check's hits whose context holds (or not) in the same file, the
// same function (Match::scope: its first line, 0 at module level), a file of the same directory
// or one above it, or the project.
Eval Evaluator::inside(const Expr& e, std::optional<size_t> only, int depth) {
  Eval out;
  const Expr& context = e.children.at(1);
  if (e.scope == Expr::Scope::Project) {
    if (holds(context, std::nullopt, depth + 1) == e.negated) {
      out.excepted = e.negated;
      return out;
    }
    out = eval(e.children.at(0), only, depth + 1);
    out.holds = !out.hits.empty();
    return out;
  }
  Eval check = eval(e.children.at(0), only, depth + 1);
  out.excepted = check.excepted;
  if (e.scope == Expr::Scope::Directory) {
    if (check.hits.empty()) return out;
    // The directories where the context holds in a file directly inside them, once; then each
    // hit looks up its own directory and those above it.
    std::set<std::string_view> dirs;
    for (size_t f : project_.files)
      if (holds(context, f, depth + 1)) dirs.insert(parent_dir(layout_.rel[f]));
    for (auto& h : check.hits) {
      bool in = false;
      if (h.file != kNoFile)
        for (std::string_view d = parent_dir(layout_.rel[h.file]);; d = parent_dir(d)) {
          if (dirs.count(d)) {
            in = true;
            break;
          }
          if (d.empty()) break;
        }
      if (in != e.negated) out.hits.push_back(std::move(h));
    }
    out.holds = !out.hits.empty();
    return out;
  }
  std::map<size_t, bool> in_file;                  // File scope: per file
  std::map<size_t, std::set<int>> context_scopes;  // Function scope: the scopes where it matched
  for (auto& h : check.hits) {
    bool in = false;
    if (h.file != kNoFile) {
      if (e.scope == Expr::Scope::File) {
        auto it = in_file.find(h.file);
        if (it == in_file.end()) it = in_file.emplace(h.file, holds(context, h.file, depth + 1)).first;
        in = it->second;
      } else {
        auto it = context_scopes.find(h.file);
        if (it == context_scopes.end()) {
          std::set<int> scopes;
          for (const auto& c : eval(context, h.file, depth + 1).hits) scopes.insert(c.match.scope);
          it = context_scopes.emplace(h.file, std::move(scopes)).first;
        }
        in = it->second.count(h.match.scope) > 0;
      }
    }
    if (in != e.negated) out.hits.push_back(std::move(h));
  }
  out.holds = !out.hits.empty();
  return out;
}

std::vector<size_t> Evaluator::unreadable_inputs(const Expr& e) {
  std::vector<bool> qs = queries_of(e, rules_);
  std::vector<size_t> out;
  for (size_t f : project_.files) {
    if (!facts_[f].unreadable) continue;
    // Shell scripts, task-runner TOML and other YAML feed `ci_runs` only when a CI file names
    // them: a broken one elsewhere in the project is not this rule's input.
    const bool guessed = read_only_when_named(ci_file_kind(layout_.rel[f]));
    for (size_t q = 0; q < qs.size(); ++q)
      if (qs[q] && !(guessed && rules_.queries[q].kind == QueryKind::BuildCommands) &&
          query_applies_to(rules_.queries[q], layout_.rel[f])) {
        out.push_back(f);
        break;
      }
  }
  return out;
}

}  // namespace mlops::engine
