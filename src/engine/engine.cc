// Rule engine: project detection, parallel per-file analysis, expression evaluation, outcomes.
#include "engine/engine.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <unordered_map>

#include <re2/re2.h>

#include "analysers/ci_config.h"
#include "analysers/file_analyser.h"
#include "analysers/manifests.h"
#include "analysers/secrets.h"
#include "engine/project_kind.h"
#include "util/glob.h"
#include "util/hash.h"

namespace mlops {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Pass:
      return "pass";
    case Outcome::Fail:
      return "fail";
    case Outcome::NotApplicable:
      return "not_applicable";
    case Outcome::Skipped:
      return "skipped";
    case Outcome::Error:
      return "error";
  }
  return "error";
}

namespace {

// Files whose presence makes a directory an ML project root (a monorepo holds several).
constexpr const char* kProjectMarkers[] = {"pyproject.toml", "setup.py", "setup.cfg", "dvc.yaml",
                                           "MLproject"};
// Markers below these directories are test data, not projects.
constexpr const char* kNotProjectDirs[] = {"test",          "tests",       "testdata",
                                           "fixtures",      "corpus",      "node_modules",
                                           "site-packages", "third_party", "vendor"};
constexpr size_t kMaxEvidence = 20;
// Packaging metadata read to decide a project's kind: the name is near the top.
constexpr uint64_t kKindReadLimit = 256 * 1024;

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// The index of the snapshot file at `path` (snapshot files are sorted by path).
std::optional<size_t> find_file(const std::vector<FileEntry>& files, std::string_view path) {
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const FileEntry& fe, std::string_view key) { return fe.path < key; });
  if (it == files.end() || it->path != path) return std::nullopt;
  return static_cast<size_t>(it - files.begin());
}

// A requirements file's include fact (-r FILE or -c FILE): (is -c, FILE).
std::optional<std::pair<bool, std::string>> include_ref(const Match& m) {
  if (m.kind != FactKind::RequirementInclude && m.kind != FactKind::RequirementConstraint)
    return std::nullopt;
  return std::pair<bool, std::string>{m.kind == FactKind::RequirementConstraint, std::string(m.value())};
}

std::string base_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool in_excluded_dir(const std::string& dir) {
  size_t start = 0;
  while (start <= dir.size() && !dir.empty()) {
    size_t end = dir.find('/', start);
    std::string seg = dir.substr(start, end == std::string::npos ? std::string::npos : end - start);
    for (const char* x : kNotProjectDirs)
      if (seg == x) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

struct Project {
  std::string root;           // "" for the scanned root
  std::vector<size_t> files;  // indexes into snapshot.files() visible to this project
};

struct Layout {
  std::vector<Project> projects;
  std::vector<std::string> rel;  // per file: path as the project's rules see it
};

// Assigns each file to its deepest project root; files outside every sub-project are shared.
Layout detect_projects(const std::vector<FileEntry>& files) {
  std::vector<std::string> roots;
  bool root_is_project = false;
  for (const auto& f : files) {
    std::string base = base_of(f.path);
    if (std::none_of(std::begin(kProjectMarkers), std::end(kProjectMarkers),
                     [&](const char* m) { return base == m; }))
      continue;
    std::string dir = dir_of(f.path);
    // A manifest in src/ (Kedro <= 0.18 keeps setup.py and requirements.txt there) belongs to the
    // project around it: its README, configuration and CI sit one level up.
    if (dir == "src" || dir.ends_with("/src")) dir = dir_of(dir);
    if (dir.empty())
      root_is_project = true;
    else if (!in_excluded_dir(dir))
      roots.push_back(dir);
  }
  std::sort(roots.begin(), roots.end());
  roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
  if (roots.empty()) root_is_project = true;
  // Code in directories outside every sub-project (a script folder, an example without its own
  // pyproject) belongs to a root project of its own; only top-level files and dot-directories
  // (README, CI, hooks) are repository-wide infrastructure shared by the sub-projects.
  if (!root_is_project) {
    for (const auto& f : files) {
      const std::string& path = f.path;
      if (path.find('/') == std::string::npos || path.starts_with(".")) continue;
      bool owned = std::any_of(roots.begin(), roots.end(), [&](const std::string& r) {
        return path.size() > r.size() && path.compare(0, r.size(), r) == 0 && path[r.size()] == '/';
      });
      if (!owned) {
        root_is_project = true;
        break;
      }
    }
  }

  Layout layout;
  layout.rel.resize(files.size());
  if (root_is_project) layout.projects.push_back({"", {}});
  for (const auto& r : roots) layout.projects.push_back({r, {}});
  const size_t first_sub = root_is_project ? 1 : 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& path = files[i].path;
    // Deepest sub-project containing the file.
    size_t owner = layout.projects.size();
    size_t best_len = 0;
    for (size_t p = first_sub; p < layout.projects.size(); ++p) {
      const std::string& r = layout.projects[p].root;
      if (path.size() > r.size() && path.compare(0, r.size(), r) == 0 && path[r.size()] == '/' &&
          r.size() >= best_len) {
        owner = p;
        best_len = r.size();
      }
    }
    if (owner < layout.projects.size()) {
      layout.projects[owner].files.push_back(i);
      layout.rel[i] = path.substr(best_len + 1);
      continue;
    }
    layout.rel[i] = path;
    if (root_is_project) layout.projects[0].files.push_back(i);
    // Repository-wide infrastructure (CI, hooks, attributes) serves every sub-project; without a
    // root project, every file outside the sub-projects is shared.
    bool shared = !root_is_project || path.starts_with(".") || base_of(path) == "CODEOWNERS";
    if (shared)
      for (size_t p = first_sub; p < layout.projects.size(); ++p) layout.projects[p].files.push_back(i);
  }
  for (auto& p : layout.projects) std::sort(p.files.begin(), p.files.end());
  return layout;
}

void collect_queries(const Expr& e, const RuleSet& rules, std::vector<bool>& out,
                     std::set<std::string>& seen_conditions) {
  if (e.op == Expr::Op::Query) out[e.query] = true;
  if (e.op == Expr::Op::CiRuns || e.op == Expr::Op::Unlocked || e.op == Expr::Op::Unpinned)
    out[e.query] = out[e.build_query] = true;
  if (e.op == Expr::Op::Condition && seen_conditions.insert(e.condition).second) {
    auto it = rules.conditions.find(e.condition);
    if (it != rules.conditions.end()) collect_queries(it->second, rules, out, seen_conditions);
  }
  for (const auto& c : e.children) collect_queries(c, rules, out, seen_conditions);
}

std::vector<bool> queries_of(const Expr& e, const RuleSet& rules) {
  std::vector<bool> out(rules.queries.size(), false);
  std::set<std::string> seen;
  collect_queries(e, rules, out, seen);
  return out;
}

// Does `rel` feed the expression (so a change to that file can change the outcome)?
bool touches(const Expr& e, const RuleSet& rules, const std::string& rel, int depth = 0) {
  if (depth > 64) return true;
  switch (e.op) {
    case Expr::Op::FileExists:
    case Expr::Op::LargeFile:
      if (e.globs.empty()) return true;
      return matches_globs(e.globs, rel);
    case Expr::Op::Query:
      return query_applies_to(rules.queries[e.query], rel);
    case Expr::Op::CiRuns:
    case Expr::Op::Unlocked:
    case Expr::Op::Unpinned:
      return query_applies_to(rules.queries[e.query], rel) ||
             query_applies_to(rules.queries[e.build_query], rel);
    case Expr::Op::Condition: {
      auto it = rules.conditions.find(e.condition);
      return it != rules.conditions.end() && touches(it->second, rules, rel, depth + 1);
    }
    default:
      return std::any_of(e.children.begin(), e.children.end(),
                         [&](const Expr& c) { return touches(c, rules, rel, depth + 1); });
  }
}

// Hits that are no file's: a git tag (its name is the match text).
inline constexpr size_t kNoFile = static_cast<size_t>(-1);

struct Hit {
  size_t file;
  Match match;
};

struct Eval {
  bool holds = false;
  std::vector<Hit> hits;
};

// Files matching a file_exists expression depend only on the listing: computed once per
// project and expression, reused by every evaluation.
struct FileExistsCache {
  std::map<const Expr*, std::vector<size_t>> found;
  // Lookups for the common globs, built on first use: a literal file name (`dvc.yaml`) or a
  // `*.ext` pattern needs no glob match against every file of a large repository.
  bool indexed = false;
  std::unordered_map<std::string_view, std::vector<size_t>> by_name, by_extension;
};

// What a glob says of the file name it matches, read from its last segment (a match's base
// name must match that segment): the extension its literal tail names (`*.dvc`, `conf/**/*.yaml`,
// `*requirements*.txt` -> `.txt`; `*.pt.dvc` -> `.dvc`), or empty.
std::string_view glob_extension(std::string_view g) {
  std::string_view seg = g.substr(g.rfind('/') + 1);
  size_t dot = seg.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == seg.size()) return {};
  // A literal tail only (`x[.]txt` holds its dot in a class: not an extension).
  if (seg.find_first_of("*?[]\\", dot) != std::string_view::npos) return {};
  return seg.substr(dot);
}
// The literal file name a glob's last segment names (`dvc.yaml`, `[!.]*/**/config.yaml`), or empty.
std::string_view literal_name(std::string_view g) {
  std::string_view seg = g.substr(g.rfind('/') + 1);
  if (seg.empty() || seg.find_first_of("*?[\\") != std::string_view::npos) return {};
  return seg;
}

class Evaluator {
 public:
  Evaluator(const RuleSet& rules, const std::vector<FileEntry>& files, const std::vector<FileFacts>& facts,
            const Layout& layout, const Project& project, uint64_t large_threshold,
            FileExistsCache* file_cache = nullptr)
      : rules_(rules),
        files_(files),
        facts_(facts),
        layout_(layout),
        project_(project),
        large_threshold_(large_threshold),
        file_cache_(file_cache) {}

  // The repository's git tags (reachable from the scanned commit), for git_tag.
  void set_tags(const std::vector<std::string>* tags) { tags_ = tags; }

  // The project's files matching a file_exists expression, through the name and extension
  // indexes when every glob that adds files ends in a plain name or `*.ext`; the candidates are
  // then matched in full.
  std::vector<size_t> files_matching(const Expr& e) {
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
      }
      file_cache_->indexed = true;
    }
    std::vector<size_t> candidates;
    // A list that starts with an exclusion starts from every file.
    if (!e.globs.empty() && e.globs.front().starts_with('!')) candidates = project_.files;
    for (const auto& g : e.globs) {
      if (candidates.size() == project_.files.size()) break;
      if (g.starts_with('!')) continue;
      const std::vector<size_t>* from = nullptr;
      if (auto name = literal_name(g); !name.empty()) {
        auto it = file_cache_->by_name.find(name);
        if (it != file_cache_->by_name.end()) from = &it->second;
      } else if (auto ext = glob_extension(g); !ext.empty()) {
        auto it = file_cache_->by_extension.find(ext);
        if (it != file_cache_->by_extension.end()) from = &it->second;
      } else {
        candidates = project_.files;  // a glob the indexes cannot answer: look at every file
        break;
      }
      if (from) candidates.insert(candidates.end(), from->begin(), from->end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<size_t> found;
    for (size_t f : candidates)
      if (matches_globs(e.globs, layout_.rel[f])) found.push_back(f);
    return found;
  }

  // Whether the expression holds, without collecting its hits: applicability, exceptions and
  // per-file filters only need the answer, and most of them are answered by the first match.
  bool holds(const Expr& e, std::optional<size_t> only = std::nullopt, int depth = 0) {
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
        auto has = [&](size_t f) {
          const auto& qm = facts_[f].query_matches;
          return e.query < qm.size() && !qm[e.query].empty();
        };
        if (only) return has(*only);
        return std::any_of(project_.files.begin(), project_.files.end(), has);
      }
      default:
        return eval(e, only, depth).holds;
    }
  }

  // Evaluates over the project's files, or over one file when `only` is set.
  Eval eval(const Expr& e, std::optional<size_t> only = std::nullopt, int depth = 0) {
    Eval out;
    if (depth > 64) return out;
    auto each_file = [&](auto&& fn) {
      if (only) {
        fn(*only);
      } else {
        for (size_t f : project_.files) fn(f);
      }
    };
    switch (e.op) {
      case Expr::Op::Any:
        for (const auto& c : e.children) {
          Eval r = eval(c, only, depth + 1);
          if (r.holds) {
            out.holds = true;
            append(out.hits, r.hits);
          }
        }
        return out;
      case Expr::Op::All:
        out.holds = true;
        for (const auto& c : e.children) {
          Eval r = eval(c, only, depth + 1);
          if (!r.holds) return Eval{};
          append(out.hits, r.hits);
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
      case Expr::Op::FileExists: {
        auto matches = [&](size_t f) { return matches_globs(e.globs, layout_.rel[f]); };
        if (!only && file_cache_) {
          auto it = file_cache_->found.find(&e);
          if (it == file_cache_->found.end()) it = file_cache_->found.emplace(&e, files_matching(e)).first;
          for (size_t f : it->second) out.hits.push_back({f, {1, 0, 0, 0, files_[f].path}});
        } else {
          each_file([&](size_t f) {
            if (matches(f)) out.hits.push_back({f, {1, 0, 0, 0, files_[f].path}});
          });
        }
        break;
      }
      case Expr::Op::LargeFile: {
        uint64_t min = e.min_size ? e.min_size : large_threshold_;
        each_file([&](size_t f) {
          const FileEntry& fe = files_[f];
          if (fe.size < min || fe.lfs_pointer || fe.lfs_tracked) return;
          if (!e.globs.empty() && !matches_globs(e.globs, layout_.rel[f])) return;
          out.hits.push_back({f, {0, 0, 0, 0, fe.path + " (" + std::to_string(fe.size / 1024) + " KiB)"}});
        });
        break;
      }
      case Expr::Op::Query:
        each_file([&](size_t f) {
          const auto& qm = facts_[f].query_matches;
          if (e.query < qm.size())
            for (const auto& m : qm[e.query]) out.hits.push_back({f, m});
        });
        break;
      case Expr::Op::CiRuns:
        ci_runs(e, only, out);
        break;
      case Expr::Op::Unlocked:
        unlocked(e, only, out);
        break;
      case Expr::Op::GitTag:
        if (only || !tags_) break;  // a repository fact, true of no single file
        for (const auto& tag : *tags_)
          if (RE2::PartialMatch(tag, *e.regex)) out.hits.push_back({kNoFile, {0, 0, 0, 0, tag}});
        break;
      case Expr::Op::Unpinned:
        each_file([&](size_t f) {
          const auto& qm = facts_[f].query_matches;
          if (e.query >= qm.size() || qm[e.query].empty()) return;
          const std::set<std::string>& pins = constraint_pins(f, e.build_query);
          for (const auto& m : qm[e.query])
            if (pins.empty() || !pins.count(requirement_name(m.text))) out.hits.push_back({f, m});
        });
        break;
    }
    out.holds = !out.hits.empty();
    return out;
  }

  // Declared packages that no lock beside the manifest (or in a parent directory) pins.
  // Manifests without a non-empty lock are left to the pinning rules.
  void unlocked(const Expr& e, std::optional<size_t> only, Eval& out) {
    std::map<std::string, std::set<std::string>> locked;  // directory -> pinned names
    for (size_t f : project_.files) {
      const auto& qm = facts_[f].query_matches;
      if (e.build_query >= qm.size()) continue;
      for (const auto& m : qm[e.build_query]) {
        auto& names = locked[dir_of(files_[f].path)];
        for (size_t a = 0, b; a < m.text.size(); a = b + 1) {
          b = m.text.find('\n', a);
          if (b == std::string::npos) b = m.text.size();
          if (b > a) names.insert(m.text.substr(a, b - a));
        }
      }
    }
    if (locked.empty()) return;
    static const RE2 kName(R"(^\s*([A-Za-z0-9][A-Za-z0-9._-]*))");
    auto visit = [&](size_t f) {
      const auto& qm = facts_[f].query_matches;
      if (e.query >= qm.size() || qm[e.query].empty()) return;
      std::string self;
      for (const auto& m : qm[e.query])
        if (m.kind == FactKind::ProjectName) self = m.value();
      // The lock beside the manifest; a parent directory's only when it locks this project
      // (a workspace member), not for an unrelated project nested in the tree.
      std::vector<const std::set<std::string>*> locks;
      const std::string own_dir = dir_of(files_[f].path);
      for (std::string dir = own_dir;; dir = dir_of(dir)) {
        auto it = locked.find(dir);
        if (it != locked.end() && (dir == own_dir || (!self.empty() && it->second.count(self))))
          locks.push_back(&it->second);
        if (dir.empty()) break;
      }
      if (locks.empty()) return;
      for (const auto& m : qm[e.query]) {
        if (m.kind == FactKind::ProjectName) continue;
        std::string name;
        if (!RE2::PartialMatch(m.text, kName, &name)) continue;
        name = normalise_package_name(name);
        if (std::none_of(locks.begin(), locks.end(), [&](const auto* s) { return s->count(name) > 0; }))
          out.hits.push_back({f, m});
      }
    };
    if (only)
      visit(*only);
    else
      for (size_t f : project_.files) visit(f);
  }

  // A build file's command, by the runner that runs its scope.
  struct BuildEntry {
    std::string scope, command;
  };
  struct CiLine {
    size_t file;
    Match match;
  };

  // The project's build commands by runner. Scripts and YAML fragments are scoped by their path.
  std::map<Runner, std::vector<BuildEntry>> build_commands(const Expr& e,
                                                           std::map<Runner, std::string>& first_scope) {
    std::map<Runner, std::vector<BuildEntry>> build;
    for (size_t f : project_.files) {
      const auto& qm = facts_[f].query_matches;
      if (e.build_query >= qm.size()) continue;
      for (const auto& m : qm[e.build_query]) {
        // A YAML fragment's GitLab directives are read by ci_lines(), not run by a runner.
        if (m.kind != FactKind::Command) continue;
        std::string scope(m.head());
        if (m.runner == Runner::Script || m.runner == Runner::CiYaml) scope = files_[f].path;
        if (!first_scope.count(m.runner)) first_scope[m.runner] = scope;
        build[m.runner].push_back({scope, std::string(m.value())});
      }
    }
    return build;
  }

  // The file of this project at a repository path (a project's file indexes are ascending).
  std::optional<size_t> project_file(const std::string& path) const {
    std::optional<size_t> f = find_file(files_, path);
    if (!f || !std::binary_search(project_.files.begin(), project_.files.end(), *f)) return std::nullopt;
    return f;
  }

  // The CI commands of file f, with the YAML files it names (GitLab local includes, job configs
  // such as `anyscale job submit job.yaml`) expanded in place: their commands are CI commands
  // too, and GitLab templates one file defines run through jobs of another that extend them.
  // Cycle-safe and depth-limited.
  std::vector<CiLine> ci_lines(const Expr& e, size_t root) {
    constexpr int kMaxIncludeDepth = 8;
    std::vector<CiLine> out;
    std::map<std::string, std::vector<CiLine>> templates;  // first file defining a template wins
    std::vector<std::string> extended;
    std::set<size_t> seen{root};
    std::vector<std::pair<size_t, int>> todo{{root, 0}};
    auto include = [&](const std::string& path, int depth) {
      const std::optional<size_t> f = project_file(path);
      if (!f || depth > kMaxIncludeDepth || !seen.insert(*f).second) return;
      // A file that is a CI file itself is read as one already.
      if (is_ci_file(files_[*f].path)) return;
      todo.push_back({*f, depth});
    };
    for (size_t next = 0; next < todo.size(); ++next) {
      auto [f, depth] = todo[next];
      std::map<std::string, std::vector<CiLine>> defined_here;
      for (auto& m : lines_of(e, f, f == root)) {
        switch (m.kind) {
          case FactKind::CiInclude:
            include(normalise_repo_path(m.value()), depth + 1);
            break;
          case FactKind::CiTemplate:
            defined_here[std::string(m.head())].push_back({f, m.as_command()});
            break;
          case FactKind::CiExtends:
            extended.emplace_back(m.value());
            break;
          default:
            for (const auto& inv : invocations(m.text))
              if (inv.runner == Runner::CiYaml)
                for (const auto& p : inv.scopes) include(p, depth + 1);
            out.push_back({f, std::move(m)});
        }
      }
      for (auto& [name, lines] : defined_here) templates.emplace(name, std::move(lines));
    }
    std::set<std::string> used;
    for (const auto& name : extended) {
      auto it = templates.find(name);
      if (it == templates.end() || !used.insert(name).second) continue;
      out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
  }

  // A CI file's commands, or a YAML fragment's (from its build-command facts).
  std::vector<Match> lines_of(const Expr& e, size_t f, bool ci_file) const {
    const auto& qm = facts_[f].query_matches;
    if (ci_file) return e.query < qm.size() ? qm[e.query] : std::vector<Match>{};
    std::vector<Match> lines;
    if (e.build_query >= qm.size()) return lines;
    for (const auto& m : qm[e.build_query]) {
      if (m.runner != Runner::CiYaml) continue;
      // A fragment's command without its (empty) scope; its GitLab directives as they are.
      Match line = m.kind == FactKind::Command ? m.as_command() : m;
      line.runner = Runner::None;
      lines.push_back(std::move(line));
    }
    return lines;
  }

  // The build commands an invocation reaches.
  std::vector<const BuildEntry*> reached(const Invocation& inv, const std::vector<BuildEntry>& entries,
                                         const std::map<Runner, std::string>& first_scope) {
    std::vector<std::string> scopes = inv.scopes;
    // `make` alone builds the first target; tox and pre-commit run everything.
    if (scopes.empty() && inv.runner == Runner::Make && first_scope.count(inv.runner))
      scopes.push_back(first_scope.at(inv.runner));
    auto named = [&](const std::vector<std::string>& names, const std::string& scope) {
      return std::find(names.begin(), names.end(), scope) != names.end();
    };
    bool any_named = std::any_of(entries.begin(), entries.end(),
                                 [&](const BuildEntry& b) { return named(scopes, b.scope); });
    if (!any_named && !inv.fallback.empty()) scopes = inv.fallback;
    // tox: the base [testenv] commands apply to a named env only when it has none of its own.
    std::set<std::string> own_commands;
    if (inv.runner == Runner::Tox)
      for (const auto& b : entries)
        if (b.scope != "*") own_commands.insert(b.scope);
    auto own = [&](const std::string& s) { return own_commands.count(s) > 0; };
    bool base_applies = scopes.empty() || !std::all_of(scopes.begin(), scopes.end(), own);
    std::vector<const BuildEntry*> out;
    for (const auto& b : entries) {
      bool in_scope = scopes.empty() || named(scopes, b.scope) ||
                      (inv.runner == Runner::Tox && b.scope == "*" && base_applies);
      if (in_scope) out.push_back(&b);
    }
    return out;
  }

  // CI commands matching the pattern directly, or through the make target / tox env / nox session /
  // hatch, pdm, poe or taskipy script / pre-commit hooks / shell script they invoke (one level
  // down, in the project's build files).
  void ci_runs(const Expr& e, std::optional<size_t> only, Eval& out) {
    std::map<Runner, std::string> first_scope;
    const auto build = build_commands(e, first_scope);
    auto visit = [&](size_t root) {
      for (const auto& [f, m] : ci_lines(e, root)) {
        // A tool that is installed (`pip install pytest`) is not run.
        if (RE2::PartialMatch(without_installs(m.text), *e.regex)) {
          out.hits.push_back({f, m});
          continue;
        }
        bool found = false;
        for (const auto& inv : invocations(m.text)) {
          auto it = build.find(inv.runner);
          if (it == build.end() || inv.runner == Runner::CiYaml) continue;
          for (const BuildEntry* b : reached(inv, it->second, first_scope)) {
            if (!RE2::PartialMatch(without_installs(b->command), *e.regex)) continue;
            Match hit = m;
            hit.text = m.text + " -> " + b->command;
            out.hits.push_back({f, hit});
            found = true;
            break;
          }
          if (found) break;
        }
      }
    };
    if (only)
      visit(*only);
    else
      for (size_t f : project_.files) {
        const auto& qm = facts_[f].query_matches;
        if (e.query < qm.size() && !qm[e.query].empty()) visit(f);
      }
  }

  // Requirements files and their `-r` / `-c` references, resolved to file indexes.
  struct IncludeGraph {
    std::map<size_t, std::vector<size_t>> requires_, constrains, required_by;
  };

  const IncludeGraph& include_graph(size_t query) {
    auto [it, fresh] = graphs_.try_emplace(query);
    if (!fresh) return it->second;
    IncludeGraph& g = it->second;
    for (size_t f = 0; f < facts_.size(); ++f) {
      const auto& qm = facts_[f].query_matches;
      if (query >= qm.size()) continue;
      for (const auto& m : qm[query]) {
        auto ref = include_ref(m);
        auto path = ref ? resolve_repo_path(files_[f].path, ref->second) : std::nullopt;
        auto target = path ? find_file(files_, *path) : std::nullopt;
        if (!target) continue;
        if (ref->first) {
          g.constrains[f].push_back(*target);
        } else {
          g.requires_[f].push_back(*target);
          g.required_by[*target].push_back(f);
        }
      }
    }
    return g;
  }

  // Packages pinned by the constraints that apply to requirements file `f`: pip applies every
  // `-c` of an install to all of it, so those of every file joined to `f` by `-r` (either way),
  // and of the files those constraints files pull in themselves.
  const std::set<std::string>& constraint_pins(size_t f, size_t query) {
    auto [it, fresh] = pins_.try_emplace(f);
    if (!fresh) return it->second;
    const IncludeGraph& g = include_graph(query);
    constexpr size_t kMaxFiles = 1000;
    auto walk = [&](std::vector<size_t> start, auto&& next) {
      std::set<size_t> seen(start.begin(), start.end());
      while (!start.empty() && seen.size() < kMaxFiles) {
        size_t x = start.back();
        start.pop_back();
        next(x, [&](size_t y) {
          if (seen.insert(y).second) start.push_back(y);
        });
      }
      return seen;
    };
    auto edges = [](const std::map<size_t, std::vector<size_t>>& m, size_t x, auto&& add) {
      auto e = m.find(x);
      if (e != m.end())
        for (size_t y : e->second) add(y);
    };
    std::set<size_t> install = walk({f}, [&](size_t x, auto&& add) {
      edges(g.requires_, x, add);
      edges(g.required_by, x, add);
    });
    std::vector<size_t> direct;
    for (size_t x : install) edges(g.constrains, x, [&](size_t y) { direct.push_back(y); });
    if (direct.empty()) return it->second;
    std::set<size_t> constraints = walk(direct, [&](size_t x, auto&& add) {
      edges(g.requires_, x, add);
      edges(g.constrains, x, add);
    });
    for (size_t c : constraints) {
      const auto& qm = facts_[c].query_matches;
      if (query >= qm.size()) continue;
      for (const auto& m : qm[query])
        if (m.kind == FactKind::RequirementPin) it->second.insert(std::string(m.value()));
    }
    return it->second;
  }

  // Files this expression reads whose format could not be parsed.
  std::vector<size_t> unreadable_inputs(const Expr& e) {
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

 private:
  static void append(std::vector<Hit>& a, const std::vector<Hit>& b) {
    a.insert(a.end(), b.begin(), b.end());
  }

  const RuleSet& rules_;
  const std::vector<FileEntry>& files_;
  const std::vector<FileFacts>& facts_;
  const Layout& layout_;
  const Project& project_;
  uint64_t large_threshold_;
  std::map<std::string, bool> condition_holds_;  // conditions asked only whether they hold
  const std::vector<std::string>* tags_ = nullptr;
  FileExistsCache* file_cache_;
  std::map<std::string, Eval> conditions_;
  std::map<size_t, IncludeGraph> graphs_;         // by query
  std::map<size_t, std::set<std::string>> pins_;  // by requirements file
};

Location location_of(const FileEntry& f, const Match& m) {
  return {f.path, m.line, m.column, m.cell, m.cell_line};
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

// Where a project-level finding points: the rule's anchors, then the files a reader opens first.
std::optional<size_t> anchor_file(const Rule& rule, const Project& project, const Layout& layout,
                                  const std::vector<FileEntry>& files) {
  static const std::vector<std::string> fallbacks = {"/README*", "/pyproject.toml", "/setup.py", "/setup.cfg",
                                                     "/requirements*.txt"};
  for (const auto* globs : {&rule.anchor, &fallbacks})
    for (const auto& g : *globs)
      for (size_t f : project.files)
        if (glob_match(g, layout.rel[f])) return f;
  // Otherwise a file of the project's own, before repository-wide ones (.ci/, .github/).
  for (size_t f : project.files) {
    const std::string& rel = layout.rel[f];
    bool own = project.root.empty() ? !rel.starts_with(".") : rel != files[f].path;
    if (own) return f;
  }
  if (!project.files.empty()) return project.files.front();
  return std::nullopt;
}

class ProjectChecker {
 public:
  ProjectChecker(const RuleSet& rules, const std::vector<FileEntry>& files, const Layout& layout,
                 const Project& project, Evaluator& ev, const CheckOptions& options,
                 const std::set<size_t>& only_files)
      : rules_(rules),
        files_(files),
        layout_(layout),
        project_(project),
        ev_(ev),
        options_(options),
        only_files_(only_files) {}

  void run(ProjectReport& report, std::vector<Finding>& findings, const Snapshot& snapshot) {
    for (const auto& [name, _] : rules_.conditions) {
      Expr c;
      c.op = Expr::Op::Condition;
      c.condition = name;
      report.conditions[name] = ev_.holds(c);
    }
    // The kind decides which practices can apply before any rule is evaluated.
    KindInput in;
    in.root = project_.root;
    in.conditions = report.conditions;
    const std::string prefix = project_.root.empty() ? "" : project_.root + "/";
    std::map<std::string, size_t> own;
    for (size_t f : project_.files) {
      const std::string& path = files_[f].path;
      if (path.compare(0, prefix.size(), prefix) != 0) continue;  // shared from a parent
      in.paths.push_back(path.substr(prefix.size()));
      own.emplace(in.paths.back(), f);
    }
    in.read = [&](const std::string& rel) -> std::optional<std::string> {
      auto it = own.find(rel);
      if (it == own.end() || files_[it->second].oversized) return std::nullopt;
      ReadResult r = snapshot.read(files_[it->second], kKindReadLimit);
      if (r.error) return std::nullopt;
      return std::move(r.bytes);
    };
    ProjectKind kind = project_kind(in);
    report.kind = kind_ = kind.kind;
    report.kind_reasons = std::move(kind.reasons);
    for (const auto& rule : rules_.rules) {
      if (!affected(rule)) continue;
      report.results.push_back(result_of(rule, findings));
    }
  }

 private:
  bool affected(const Rule& rule) {
    if (only_files_.empty() || rule.kind == RuleKind::Pattern) return true;
    for (size_t f : only_files_) {
      const std::string& rel = layout_.rel[f];
      if (touches(rule.check, rules_, rel) || (rule.applies && touches(*rule.applies, rules_, rel)))
        return true;
    }
    return false;
  }

  const RuleResult& result_of(const Rule& rule, std::vector<Finding>& findings) {
    auto done = results_.find(rule.id);
    if (done != results_.end()) return done->second;
    if (!in_progress_.insert(rule.id).second) {
      static const RuleResult cycle{"", Outcome::Error, "requires cycle", {}};
      return cycle;
    }
    RuleResult r = evaluate(rule, findings);
    r.rule_id = rule.id;
    return results_.emplace(rule.id, std::move(r)).first->second;
  }

  // Every rule is evaluated whatever the profile, so that practice statuses say what exists; a
  // rule outside the profile keeps its outcome in `observed` and makes no finding.
  RuleResult evaluate(const Rule& rule, std::vector<Finding>& findings) {
    // The kind decides which practices are asked for (requirement rules); a concrete problem in
    // a file (a pattern rule: an absolute path, a secret) is reported whatever the kind.
    if (rule.kind == RuleKind::Requirement && !applies_to_kind(kind_, rule.practice, rule.id, true))
      return {rule.id,
              Outcome::NotApplicable,
              "not applicable to a " + kind_ + " project",
              {},
              Outcome::NotApplicable};
    if (std::find(rule.profiles.begin(), rule.profiles.end(), options_.profile) == rule.profiles.end()) {
      std::vector<Finding> dropped;
      RuleResult seen = evaluate_in(rule, dropped, true);
      return {rule.id, Outcome::NotApplicable, "not part of the " + options_.profile + " profile",
              std::move(seen.evidence), seen.outcome};
    }
    RuleResult r = evaluate_in(rule, findings, false);
    r.observed = r.outcome;
    return r;
  }

  RuleResult evaluate_in(const Rule& rule, std::vector<Finding>& findings, bool observing) {
    if (rule.applies && !ev_.holds(*rule.applies) &&
        !asked_without_ml(kind_, project_.root, rule.practice, rule.id))
      return {rule.id, Outcome::NotApplicable, "does not apply to this project", {}};
    for (const auto& req : rule.requires_rules) {
      const Rule* dep = rules_.find(req);
      if (!dep) continue;
      const RuleResult& d = result_of(*dep, findings);
      const Outcome o = observing ? d.observed : d.outcome;
      if (o == Outcome::Fail || o == Outcome::Skipped || o == Outcome::Error)
        return {rule.id, Outcome::Skipped, "requires " + req + ", which did not pass", {}};
    }
    Eval check = ev_.eval(rule.check);
    if (rule.kind == RuleKind::Requirement) return requirement(rule, check, findings);
    return pattern(rule, check, findings);
  }

  RuleResult requirement(const Rule& rule, const Eval& check, std::vector<Finding>& findings) {
    RuleResult r{rule.id, Outcome::Pass, "", {}};
    if (check.holds) {
      for (const auto& h : check.hits) {
        if (r.evidence.size() >= kMaxEvidence) break;
        Location loc = h.file == kNoFile ? Location{"refs/tags/" + h.match.text, 0, 0, 0, 0}
                                         : location_of(files_[h.file], h.match);
        if (std::find(r.evidence.begin(), r.evidence.end(), loc) == r.evidence.end())
          r.evidence.push_back(loc);
      }
      return r;
    }
    auto unreadable = ev_.unreadable_inputs(rule.check);
    if (!unreadable.empty()) {
      r.outcome = Outcome::Error;
      r.reason = "could not read " + files_[unreadable.front()].path;
      return r;
    }
    r.outcome = Outcome::Fail;
    Finding f;
    f.rule_id = rule.id;
    f.severity = rule.severity;
    f.message = replace_all(rule.message, "{match}", "");
    f.project = project_name();
    f.project_level = true;
    f.subject = "project " + f.project;
    if (auto a = anchor_file(rule, project_, layout_, files_))
      f.where = {files_[*a].path, 1, 1, 0, 0};
    else
      f.where = {project_.root, 0, 0, 0, 0};
    findings.push_back(std::move(f));
    return r;
  }

  RuleResult pattern(const Rule& rule, const Eval& check, std::vector<Finding>& findings) {
    RuleResult r{rule.id, Outcome::Pass, "", {}};
    if (rule.unless && ev_.holds(*rule.unless)) {
      r.reason = "an exception in the rule holds for this project";
      return r;
    }
    std::set<std::tuple<size_t, int, int, std::string>> seen;
    std::map<size_t, bool> in_file_memo;
    for (const auto& h : check.hits) {
      if (h.file == kNoFile) continue;  // a tag has no line to point at
      if (!only_files_.empty() && !only_files_.count(h.file)) continue;
      if (!seen.insert({h.file, h.match.line, h.match.column, h.match.text}).second) continue;
      if (rule.in_file) {
        auto it = in_file_memo.find(h.file);
        if (it == in_file_memo.end())
          it = in_file_memo.emplace(h.file, ev_.holds(*rule.in_file, h.file)).first;
        if (!it->second) continue;
      }
      Finding f;
      f.rule_id = rule.id;
      f.severity = rule.severity;
      f.subject = h.match.text;
      f.message = replace_all(rule.message, "{match}", h.match.text);
      f.where = location_of(files_[h.file], h.match);
      f.project = project_name();
      if (r.evidence.size() < kMaxEvidence) r.evidence.push_back(f.where);
      findings.push_back(std::move(f));
      r.outcome = Outcome::Fail;
    }
    return r;
  }

  std::string project_name() const { return project_.root.empty() ? "." : project_.root; }

  const RuleSet& rules_;
  const std::vector<FileEntry>& files_;
  const Layout& layout_;
  const Project& project_;
  Evaluator& ev_;
  const CheckOptions& options_;
  const std::set<size_t>& only_files_;
  std::string kind_ = "application";
  std::map<std::string, RuleResult> results_;
  std::set<std::string> in_progress_;
};

// Python queries that only decide whether something exists (requirement checks, conditions,
// `unless`) need one match per project, not all of them: they are the expensive ones (a
// tree-sitter parse), so once a project has a match, later files skip them.
std::vector<bool> existence_only_queries(const RuleSet& rules) {
  std::vector<bool> full(rules.queries.size(), false);
  auto mark = [&](const Expr& e) {
    auto qs = queries_of(e, rules);
    for (size_t q = 0; q < qs.size(); ++q)
      if (qs[q]) full[q] = true;
  };
  for (const auto& r : rules.rules) {
    if (r.kind != RuleKind::Pattern) continue;
    mark(r.check);
    if (r.in_file) mark(*r.in_file);
  }
  std::vector<bool> out(rules.queries.size(), false);
  for (size_t q = 0; q < out.size(); ++q) {
    QueryKind k = rules.queries[q].kind;
    out[q] = !full[q] &&
             (k == QueryKind::PythonImport || k == QueryKind::PythonCall || k == QueryKind::PythonString ||
              k == QueryKind::PythonDef || k == QueryKind::PythonClass || k == QueryKind::PythonAssign ||
              k == QueryKind::PythonQuery);
  }
  return out;
}

// Files pulled in by `-r` / `-c` from requirements files are requirements files whatever their
// names (`-r base.in`, `-c constraints.txt`): read here as such, following includes up to a depth,
// each file once per set of queries (so include cycles end). `-r` files answer the dependency
// queries that apply to the file including them; `-c` files only list their pins, since
// constraints install nothing. Uncached: such files are few and small.
void analyse_included(const Snapshot& snapshot, const RuleSet& rules, const Layout& layout,
                      const std::vector<bool>& used, const CheckOptions& options,
                      std::vector<FileFacts>& facts) {
  const size_t inc = rules.includes_query;
  if (inc >= used.size() || !used[inc]) return;
  constexpr int kMaxDepth = 8;
  constexpr size_t kMaxIncluded = 1000;
  const auto& files = snapshot.files();
  std::vector<std::pair<size_t, int>> queue;  // file, depth
  for (size_t i = 0; i < files.size(); ++i)
    if (inc < facts[i].query_matches.size() && !facts[i].query_matches[inc].empty()) queue.push_back({i, 0});
  std::map<size_t, std::set<size_t>> answered;  // included file -> queries answered for it
  for (size_t next = 0; next < queue.size() && answered.size() < kMaxIncluded; ++next) {
    auto [from, depth] = queue[next];
    if (depth >= kMaxDepth || inc >= facts[from].query_matches.size()) continue;
    const std::vector<Match> refs = facts[from].query_matches[inc];
    for (const auto& m : refs) {
      auto ref = include_ref(m);
      auto path = ref ? resolve_repo_path(files[from].path, ref->second) : std::nullopt;
      auto found = path ? find_file(files, *path) : std::nullopt;
      if (!found) continue;
      const size_t to = *found;
      const FileEntry& fe = files[to];
      if (manifest_kind(fe.path) == ManifestKind::Requirements) continue;  // read as one already
      std::set<size_t>& done = answered[to];
      std::vector<size_t> needed;
      if (!done.count(inc)) needed.push_back(inc);
      if (!ref->first)
        for (size_t q = 0; q < rules.queries.size(); ++q) {
          QueryKind k = rules.queries[q].kind;
          if (used[q] && !done.count(q) &&
              (k == QueryKind::DependencyDeclared || k == QueryKind::DependencyUnpinned) &&
              query_applies_to(rules.queries[q], layout.rel[from]))
            needed.push_back(q);
        }
      if (needed.empty()) continue;
      // Oversized files are noted by the first pass, which lists every text file.
      if (fe.oversized || fe.lfs_pointer) continue;
      ReadResult rr = snapshot.read(fe, options.max_file_size);
      if (rr.error) {
        facts[to].diagnostics.push_back(
            {{fe.path, 0, 0}, "cannot read: " + *rr.error + " (pulled in by " + files[from].path + ")"});
        done.insert(needed.begin(), needed.end());
        continue;
      }
      FileFacts more = analyse_file(fe, rr.bytes, rules.queries, needed, nullptr, true);
      facts[to].diagnostics.insert(facts[to].diagnostics.end(), more.diagnostics.begin(),
                                   more.diagnostics.end());
      auto& qm = facts[to].query_matches;
      for (size_t q : needed) {
        if (!more.query_matches[q].empty()) qm.list(q) = std::move(more.query_matches.list(q));
        done.insert(q);
      }
      queue.push_back({to, depth + 1});
    }
  }
}

// Analyses every file some query needs. Files go in fixed-size chunks in path order, each chunk
// in parallel; results land at the file's index and short-circuit decisions are only taken
// between chunks, so the outcome does not depend on thread scheduling.
void analyse_files(const Snapshot& snapshot, const RuleSet& rules, const Layout& layout,
                   const std::vector<bool>& global_needed, const std::set<size_t>& only_files,
                   const CheckOptions& options, std::vector<FileFacts>& facts, CheckResult& result) {
  // Chunks start small so that a project's first matches end the search early, then grow.
  constexpr size_t kFirstChunk = 16, kMaxChunk = 4096;
  const auto& files = snapshot.files();
  const size_t nq = rules.queries.size();
  facts.assign(files.size(), FileFacts{});
  // Only queries some rule (through its checks or conditions) still refers to are answered:
  // rules dropped by the selection cost nothing.
  std::vector<bool> used(nq, false);
  auto use = [&](const Expr& e) {
    auto qs = queries_of(e, rules);
    for (size_t q = 0; q < nq; ++q)
      if (qs[q]) used[q] = true;
  };
  for (const auto& r : rules.rules) {
    // Rules outside the profile are evaluated too: practice statuses do not depend on it.
    use(r.check);
    if (r.applies) use(*r.applies);
    if (r.unless) use(*r.unless);
    if (r.in_file) use(*r.in_file);
  }
  // The project kind reads these conditions whether or not a rule refers to them.
  for (const auto& name : kind_conditions()) {
    auto it = rules.conditions.find(name);
    if (it != rules.conditions.end()) use(it->second);
  }
  if (rules.suppression_query < nq) used[rules.suppression_query] = true;
  // Dependency questions follow requirements files' `-r` / `-c` includes.
  if (rules.includes_query < nq)
    for (size_t q = 0; q < nq; ++q)
      if (used[q] && (rules.queries[q].kind == QueryKind::DependencyDeclared ||
                      rules.queries[q].kind == QueryKind::DependencyUnpinned)) {
        used[rules.includes_query] = true;
        break;
      }
  // Queries with the same kind and file globs apply to the same files: decide once per group.
  std::map<std::string, size_t> group_ids;
  std::vector<size_t> group_of(nq);
  std::vector<size_t> group_rep;
  for (size_t q = 0; q < nq; ++q) {
    std::string key = std::to_string(static_cast<int>(rules.queries[q].kind));
    for (const auto& g : rules.queries[q].globs) key += "|" + std::to_string(g.size()) + ":" + g;
    auto [it, fresh] = group_ids.emplace(key, group_rep.size());
    if (fresh) group_rep.push_back(q);
    group_of[q] = it->second;
  }
  // Queries only pattern rules' filters ask (`in_file`: this file also ...; `unless`: the project
  // also ...) are answered after the first pass, and only where the rule's check matched: a
  // filter such as "evaluates on test data somewhere" would otherwise parse every file that
  // mentions "test".
  std::vector<bool> filter_only(nq, false);
  {
    std::vector<bool> elsewhere(nq, false), in_filters(nq, false);
    auto mark = [&](const Expr& e, std::vector<bool>& into) {
      auto qs = queries_of(e, rules);
      for (size_t q = 0; q < nq; ++q)
        if (qs[q]) into[q] = true;
    };
    for (const auto& r : rules.rules) {
      const bool pattern = r.kind == RuleKind::Pattern;
      mark(r.check, elsewhere);
      if (r.applies) mark(*r.applies, elsewhere);
      if (r.unless) mark(*r.unless, pattern ? in_filters : elsewhere);
      if (r.in_file) mark(*r.in_file, pattern ? in_filters : elsewhere);
    }
    for (size_t q = 0; q < nq; ++q) filter_only[q] = in_filters[q] && !elsewhere[q];
  }
  // The queries file i may need, listed chunk by chunk: a list per file for the whole repository
  // at once was most of a large scan's peak heap (100k files x ~100 queries).
  std::vector<char> applies(group_rep.size());
  auto relevant_to = [&](size_t i, std::vector<size_t>& out) {
    bool all = only_files.empty() || only_files.count(i);
    for (size_t g = 0; g < group_rep.size(); ++g)
      applies[g] = query_applies_to(rules.queries[group_rep[g]], layout.rel[i]);
    for (size_t q = 0; q < nq; ++q)
      if (used[q] && !filter_only[q] && (all || global_needed[q]) && applies[group_of[q]]) out.push_back(q);
  };
  std::vector<std::vector<size_t>> file_projects(files.size());
  for (size_t p = 0; p < layout.projects.size(); ++p)
    for (size_t f : layout.projects[p].files) file_projects[f].push_back(p);
  const std::vector<bool> deferred = existence_only_queries(rules);
  // The expressions that decide project-level outcomes. A deferred query stays open for a
  // project while some expression using it is undecided there; once every such expression holds
  // (they only grow as matches are added, unless they contain `not`), its files skip the query.
  struct Owner {
    const Expr* expr;
    bool monotone;
    std::vector<char> decided;  // per project
  };
  std::vector<Owner> owners;
  std::vector<std::vector<size_t>> owners_of(nq);
  auto has_not = [&](const Expr& e) {
    std::function<bool(const Expr&, int)> walk = [&](const Expr& x, int depth) -> bool {
      if (depth > 64 || x.op == Expr::Op::Not) return true;
      if (x.op == Expr::Op::Condition) {
        auto it = rules.conditions.find(x.condition);
        return it != rules.conditions.end() && walk(it->second, depth + 1);
      }
      return std::any_of(x.children.begin(), x.children.end(),
                         [&](const Expr& c) { return walk(c, depth + 1); });
    };
    return walk(e, 0);
  };
  // An owner's queries stop at condition references: each condition is an owner itself, so
  // `all: [ml_code, python_import: fastapi]` keeps only the fastapi query open once ml_code holds.
  std::function<void(const Expr&, size_t, int)> own = [&](const Expr& e, size_t o, int depth) {
    if (depth > 64) return;
    if (e.op == Expr::Op::Query && deferred[e.query]) owners_of[e.query].push_back(o);
    for (const auto& c : e.children) own(c, o, depth + 1);
  };
  auto add_owner = [&](const Expr& e) {
    owners.push_back({&e, !has_not(e), std::vector<char>(layout.projects.size(), 0)});
    own(e, owners.size() - 1, 0);
  };
  for (const auto& r : rules.rules) {
    if (r.kind == RuleKind::Requirement) add_owner(r.check);
    if (r.applies) add_owner(*r.applies);
    if (r.unless) add_owner(*r.unless);
  }
  for (const auto& [name, e] : rules.conditions) add_owner(e);
  std::vector<FileExistsCache> file_caches(layout.projects.size());
  auto open_for = [&](size_t q, size_t p) {
    if (owners_of[q].empty()) return true;
    return std::any_of(owners_of[q].begin(), owners_of[q].end(),
                       [&](size_t o) { return !owners[o].decided[p]; });
  };

  const PrefilterIndex prefilters(rules.queries);
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::atomic<size_t> analysed{0}, hits{0};
  std::vector<std::vector<Diagnostic>> notes(files.size());
  std::vector<std::vector<size_t>> todo(files.size());  // freed once the file's chunk is analysed
  std::vector<size_t> asked(nq, 0);                     // files asked each query (for debugging)
  // Reads and analyses file i for `needed`, through the cache; the answers land in `into`.
  auto analyse_cached = [&](size_t i, const std::vector<size_t>& needed, FileFacts& into) {
    const FileEntry& fe = files[i];
    if (fe.oversized) {
      notes[i].push_back({{fe.path, 0, 0},
                          "skipped: larger than the " + std::to_string(options.max_file_size) +
                              "-byte read limit (max-file-size)"});
      return;
    }
    if (fe.lfs_pointer) return;  // the content lives in LFS, not here
    std::string key;
    if (options.cache && !fe.cache_key.empty()) {
      key = fe.cache_key + ":" + hex64(fnv1a64(layout.rel[i]));
      if (auto cached = options.cache->get(key, needed)) {
        into = std::move(*cached);
        ++hits;
        return;
      }
    }
    ReadResult rr = snapshot.read(fe, options.max_file_size);
    if (rr.error) {
      notes[i].push_back({{fe.path, 0, 0}, "cannot read: " + *rr.error});
      return;
    }
    into = analyse_file(fe, rr.bytes, rules.queries, needed, &prefilters);
    ++analysed;
    if (!key.empty()) options.cache->put(key, into, needed);
  };
  auto analyse_one = [&](size_t i) {
    if (!todo[i].empty()) analyse_cached(i, todo[i], facts[i]);
  };
  // Runs `fn` over the indexes in [begin, end) on the worker threads; results land by index.
  auto parallel = [&](size_t begin, size_t end, size_t busy, const std::function<void(size_t)>& fn) {
    std::atomic<size_t> next{begin};
    auto worker = [&] {
      for (size_t i = next++; i < end; i = next++) fn(i);
    };
    unsigned n = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(1, busy)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
  };

  size_t chunk = kFirstChunk;
  for (size_t start = 0; start < files.size(); start += chunk, chunk = std::min(chunk * 2, kMaxChunk)) {
    const size_t end = std::min(files.size(), start + chunk);
    std::vector<size_t> relevant;
    for (size_t i = start; i < end; ++i) {
      relevant.clear();
      relevant_to(i, relevant);
      for (size_t q : relevant) {
        bool open = !deferred[q] || std::any_of(file_projects[i].begin(), file_projects[i].end(),
                                                [&](size_t p) { return open_for(q, p); });
        if (open) todo[i].push_back(q);
      }
    }
    size_t busy = 0;
    for (size_t i = start; i < end; ++i) busy += todo[i].empty() ? 0 : 1;
    parallel(start, end, busy, analyse_one);
    for (size_t i = start; i < end; ++i) {
      for (size_t q : todo[i]) ++asked[q];
      std::vector<size_t>().swap(todo[i]);
    }
    if (end == files.size()) break;
    // Owners only change when matches arrive: after the first chunk (which also settles what
    // file names alone decide), re-evaluate only the projects this chunk found something in.
    std::vector<char> grew(layout.projects.size(), start == 0 ? 1 : 0);
    for (size_t i = start; i < end; ++i) {
      if (!facts[i].query_matches.empty())
        for (size_t p : file_projects[i]) grew[p] = 1;
    }
    for (size_t p = 0; p < layout.projects.size(); ++p) {
      if (!grew[p]) continue;
      Evaluator ev(rules, files, facts, layout, layout.projects[p], options.large_file_threshold,
                   &file_caches[p]);
      ev.set_tags(&snapshot.tags());
      for (auto& o : owners)
        if (o.monotone && !o.decided[p] && ev.holds(*o.expr)) o.decided[p] = 1;
    }
  }
  analyse_included(snapshot, rules, layout, used, options, facts);
  // Second pass: filter-only queries. `in_file` ones for the files where the rule's check
  // matched; `unless` ones for every file of a project where it matched anywhere.
  std::vector<std::vector<size_t>> second(files.size());
  {
    auto matched = [&](size_t i, const std::vector<size_t>& qs) {
      const auto& qm = facts[i].query_matches;
      return std::any_of(qs.begin(), qs.end(), [&](size_t q) { return q < qm.size() && !qm[q].empty(); });
    };
    auto filter_queries = [&](const Expr& e) {
      std::vector<size_t> out;
      auto qs = queries_of(e, rules);
      for (size_t q = 0; q < nq; ++q)
        if (qs[q] && filter_only[q]) out.push_back(q);
      return out;
    };
    auto ask = [&](size_t i, const std::vector<size_t>& qs) {
      for (size_t q : qs)
        if (query_applies_to(rules.queries[q], layout.rel[i])) second[i].push_back(q);
    };
    for (const auto& r : rules.rules) {
      if (r.kind != RuleKind::Pattern || (!r.in_file && !r.unless)) continue;
      std::vector<size_t> check_qs;
      {
        auto qs = queries_of(r.check, rules);
        for (size_t q = 0; q < nq; ++q)
          if (qs[q]) check_qs.push_back(q);
      }
      const auto in_file_qs = r.in_file ? filter_queries(*r.in_file) : std::vector<size_t>{};
      const auto unless_qs = r.unless ? filter_queries(*r.unless) : std::vector<size_t>{};
      if (in_file_qs.empty() && unless_qs.empty()) continue;
      std::vector<char> project_hit(layout.projects.size(), 0);
      for (size_t i = 0; i < files.size(); ++i) {
        // Findings outside --files are dropped, so their filters need no answer.
        if (!only_files.empty() && !only_files.count(i)) continue;
        if (!matched(i, check_qs)) continue;
        ask(i, in_file_qs);
        for (size_t p : file_projects[i]) project_hit[p] = 1;
      }
      if (!unless_qs.empty())
        for (size_t p = 0; p < layout.projects.size(); ++p)
          if (project_hit[p])
            for (size_t f : layout.projects[p].files) ask(f, unless_qs);
    }
  }
  size_t busy = 0;
  for (auto& s : second) {
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
    busy += s.empty() ? 0 : 1;
  }
  std::vector<FileFacts> more(files.size());
  parallel(0, files.size(), busy, [&](size_t i) {
    if (!second[i].empty()) analyse_cached(i, second[i], more[i]);
  });
  for (size_t i = 0; i < files.size(); ++i) {
    if (second[i].empty()) continue;
    auto& qm = facts[i].query_matches;
    for (size_t q : second[i])
      if (!more[i].query_matches[q].empty()) qm.list(q) = std::move(more[i].query_matches.list(q));
    // A file only filters asked about was not analysed before: its notes count.
    facts[i].diagnostics.insert(facts[i].diagnostics.end(), more[i].diagnostics.begin(),
                                more[i].diagnostics.end());
  }
  if (std::getenv("MLOPS_LINT_DEBUG_QUERIES")) {
    std::vector<size_t> counts = asked;
    for (const auto& t : second)
      for (size_t q : t) ++counts[q];
    for (size_t q = 0; q < nq; ++q)
      std::fprintf(stderr, "query %zu (%s): %zu files, deferred %d\n", q,
                   rules.queries[q].fingerprint().c_str(), counts[q], static_cast<int>(deferred[q]));
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (rules.suppression_query < facts[i].query_matches.size() &&
        !facts[i].query_matches[rules.suppression_query].empty())
      result.suppression_comments[files[i].path] = facts[i].query_matches[rules.suppression_query];
    result.diagnostics.insert(result.diagnostics.end(), notes[i].begin(), notes[i].end());
    result.diagnostics.insert(result.diagnostics.end(), facts[i].diagnostics.begin(),
                              facts[i].diagnostics.end());
  }
  result.files_analysed = analysed;
  result.cache_hits = hits;
}

// The last word on secrets, in one place so no rule can forget it: every text of the result
// that leaves the engine (messages, subjects, paths, reasons, suppression reasons) is masked by
// every secret pattern, whatever rule or file it came from, before fingerprints hash subjects.
// The analyser has already masked each file's own secrets wherever its facts quote them.
void mask_result_secrets(CheckResult& r, const RuleSet& rules) {
  const SecretScanner scanner(rules.queries);
  auto m = [&](std::string& text) {
    if (!scanner.find(text).empty()) text = scanner.mask(text);
  };
  for (auto& f : r.findings) {
    for (std::string* t : {&f.message, &f.subject, &f.where.path, &f.project, &f.justification}) m(*t);
  }
  for (auto& d : r.diagnostics) {
    m(d.message);
    m(d.where.path);
  }
  for (auto& p : r.projects) {
    m(p.root);
    for (auto& res : p.results) {
      m(res.reason);
      for (auto& e : res.evidence) m(e.path);
    }
    for (auto& ps : p.practices)
      for (auto& e : ps.evidence) m(e.path);
  }
  // Suppressions are looked up by path: keyed the same way as the findings' masked paths.
  std::map<std::string, std::vector<Match>> comments;
  for (auto& [path, matches] : r.suppression_comments) {
    std::string key = path;
    m(key);
    for (auto& c : matches) m(c.text);
    auto& slot = comments[key];
    slot.insert(slot.end(), matches.begin(), matches.end());
  }
  r.suppression_comments = std::move(comments);
}

void assign_fingerprints(std::vector<Finding>& findings) {
  std::map<std::string, int> occurrences;
  for (auto& f : findings) {
    std::string base = f.rule_id + "\x1f" + f.where.path + "\x1f" + f.subject;
    int n = occurrences[base]++;
    f.fingerprint = hex64(fnv1a64(base + "\x1f" + std::to_string(n)));
  }
}

}  // namespace

std::string ruleset_signature(const RuleSet& rules) {
  uint64_t h = fnv1a64(MLOPS_LINT_VERSION);
  for (const auto& q : rules.queries) h = fnv1a64(q.fingerprint() + "\n", h);
  return hex64(h);
}

// A practice's status says whether it exists, from every rule's observed outcome (whatever the
// profile; docs/practices.md):
// - it exists when a requirement rule passes, or, for a practice only pattern rules look at
//   (privacy, notebook hygiene), when one of them finds nothing: "no unseeded split" says
//   nothing when a requirement (a split) is there to ask;
// - it is `partial` when it exists with findings against it: a pattern rule matched (unpinned
//   lines among pins, an unsafe model load in a deployment, a secret where no personal data is)
//   or another requirement of the practice failed (a README without usage). Info-level
//   requirements (hints such as a model card) never lower an existing practice. A practice whose
//   only pattern rules all match (a raw 12 MB model, the one rule of large_files_managed) is
//   missing;
// - `missing` when it applies and no evidence exists; `not_applicable` when no rule applies.
void summarise_practices(ProjectReport& project, const RuleSet& rules) {
  project.practices.clear();
  for (const auto& slug : known_practices()) {
    PracticeStatus ps{slug, "not_applicable", {}, {}};
    bool requirement_fail = false, info_fail = false, requirement_pass = false, pattern_pass = false;
    bool pattern_fail = false, has_requirement = false;
    for (const auto& r : project.results) {
      const Rule* rule = rules.find(r.rule_id);
      if (!rule || rule->practice != slug) continue;
      ps.rules.push_back(r.rule_id);
      const bool requirement = rule->kind == RuleKind::Requirement;
      const Outcome o = r.observed;
      has_requirement = has_requirement || requirement;
      if (o == Outcome::NotApplicable) continue;
      if (o == Outcome::Fail || o == Outcome::Skipped || o == Outcome::Error) {
        if (!requirement)
          pattern_fail = true;
        else
          (rule->severity == Severity::Info && o != Outcome::Error ? info_fail : requirement_fail) = true;
      } else if (o == Outcome::Pass) {
        (requirement ? requirement_pass : pattern_pass) = true;
        if (requirement)
          for (const auto& e : r.evidence)
            if (ps.evidence.size() < kMaxEvidence) ps.evidence.push_back(e);
      }
    }
    if (requirement_pass)
      ps.status = requirement_fail || pattern_fail ? "partial" : "present";
    else if (!has_requirement && pattern_pass)
      ps.status = pattern_fail ? "partial" : "present";
    else if (requirement_fail || info_fail || pattern_fail)
      ps.status = "missing";
    // A practice the project's kind cannot have stays not_applicable, even with pattern findings.
    if (!applies_to_kind(project.kind, slug, "", true)) ps.status = "not_applicable";
    project.practices.push_back(std::move(ps));
  }
}

CheckResult run_check(const Snapshot& snapshot, const RuleSet& rules, const CheckOptions& options) {
  CheckResult result;
  const auto& files = snapshot.files();
  result.files_listed = files.size();
  result.diagnostics = snapshot.diagnostics();
  Layout layout = detect_projects(files);

  std::set<size_t> only_files;
  for (const auto& p : options.only_files)
    if (auto f = find_file(files, p)) only_files.insert(*f);

  // With --files, other files only need the queries that project-level outcomes depend on.
  std::vector<bool> global_needed(rules.queries.size(), true);
  if (!options.only_files.empty()) {
    std::fill(global_needed.begin(), global_needed.end(), false);
    auto add = [&](const Expr& e) {
      auto qs = queries_of(e, rules);
      for (size_t q = 0; q < qs.size(); ++q)
        if (qs[q]) global_needed[q] = true;
    };
    // Cross-file comparisons read the other side (the locks) whatever files are checked.
    std::function<void(const Expr&, int)> other_side = [&](const Expr& e, int depth) {
      if (depth > 64) return;
      if (e.op == Expr::Op::Unlocked || e.op == Expr::Op::Unpinned) global_needed[e.build_query] = true;
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
      if (r.unless) add(*r.unless);
      if (r.kind == RuleKind::Requirement) {
        bool affected = false;
        for (size_t f : only_files)
          affected = affected || touches(r.check, rules, layout.rel[f]) ||
                     (r.applies && touches(*r.applies, rules, layout.rel[f]));
        if (affected) add(r.check);
      }
    }
  }

  // Includes are followed from every requirements file, whatever files are checked.
  if (rules.includes_query < global_needed.size()) global_needed[rules.includes_query] = true;
  std::vector<FileFacts> facts;
  analyse_files(snapshot, rules, layout, global_needed, only_files, options, facts, result);

  for (const auto& project : layout.projects) {
    // Each file_exists list is matched against the project's files once, whatever asks for it.
    FileExistsCache file_cache;
    Evaluator ev(rules, files, facts, layout, project, options.large_file_threshold, &file_cache);
    ev.set_tags(&snapshot.tags());
    ProjectReport report;
    report.root = project.root.empty() ? "." : project.root;
    ProjectChecker checker(rules, files, layout, project, ev, options, only_files);
    checker.run(report, result.findings, snapshot);
    summarise_practices(report, rules);
    result.projects.push_back(std::move(report));
  }
  std::sort(result.projects.begin(), result.projects.end(),
            [](const ProjectReport& a, const ProjectReport& b) { return a.root < b.root; });
  std::sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.where, a.rule_id, a.project, a.subject) <
           std::tie(b.where, b.rule_id, b.project, b.subject);
  });
  // A shared file seen by several projects yields one finding per project: keep the first.
  result.findings.erase(std::unique(result.findings.begin(), result.findings.end(),
                                    [](const Finding& a, const Finding& b) {
                                      return a.rule_id == b.rule_id && a.where == b.where &&
                                             a.subject == b.subject && !a.project_level && !b.project_level;
                                    }),
                        result.findings.end());
  mask_result_secrets(result, rules);
  assign_fingerprints(result.findings);
  std::sort(result.diagnostics.begin(), result.diagnostics.end());
  result.diagnostics.erase(std::unique(result.diagnostics.begin(), result.diagnostics.end()),
                           result.diagnostics.end());
  return result;
}

}  // namespace mlops
