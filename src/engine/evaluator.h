// Expression evaluation: whether a rule's expression holds for a project (or one of its files),
// and the hits that make it hold, over the facts the analysis gathered. Internal to the engine.
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "analysers/ci_config.h"
#include "analysers/file_analyser.h"
#include "analysers/manifests.h"
#include "engine/layout.h"
#include "engine/query_plan.h"
#include "model/facts.h"
#include "rules/rule.h"
#include "util/glob.h"

namespace mlops::engine {

// A requirements file's include fact (-r FILE or -c FILE): (is -c, FILE).
std::optional<std::pair<bool, std::string>> include_ref(const Match& m);

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
std::string_view glob_extension(std::string_view g);
// The literal file name a glob's last segment names (`dvc.yaml`, `[!.]*/**/config.yaml`), or empty.
std::string_view literal_name(std::string_view g);

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

}  // namespace mlops::engine
