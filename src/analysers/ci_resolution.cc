// CI resolution: CI lines with their includes and templates, matched directly or through the
// build commands they invoke.
#include "analysers/ci_resolution.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "analysers/ci_config.h"

namespace mlops {
namespace {

// A command line's parse: what it runs with installs dropped, and what it invokes.
struct ParsedCommand {
  std::string without_installs;
  std::vector<Invocation> invocations;
};

// Parses depend only on the text, and the same lines come back for every ci_runs pattern, at
// every settle of the query plan and at every commit of an audit's history: each thread keeps
// them (references stay valid while the map grows; it is only cleared between resolutions).
std::unordered_map<std::string, ParsedCommand>& parse_memo() {
  thread_local std::unordered_map<std::string, ParsedCommand> memo;
  return memo;
}
constexpr size_t kMaxParseMemo = 50000;

const ParsedCommand& parsed(const std::string& text) {
  auto& memo = parse_memo();
  auto it = memo.find(text);
  if (it != memo.end()) return it->second;
  return memo.emplace(text, ParsedCommand{without_installs(text), invocations(text)}).first->second;
}

// A build file's command, by the runner that runs its scope.
struct BuildEntry {
  std::string scope, command;
};

class Resolver {
 public:
  explicit Resolver(const CiFacts& facts) : facts_(facts) {}

  // The project's build commands by runner. Scripts and YAML fragments are scoped by their path.
  void collect_build_commands() {
    for (size_t f : facts_.files()) {
      for (const auto& m : facts_.build_commands(f)) {
        // A YAML fragment's GitLab directives are read by ci_lines(), not run by a runner.
        if (m.kind != FactKind::Command) continue;
        std::string scope(m.head());
        if (m.runner == Runner::Script || m.runner == Runner::CiYaml) scope = facts_.path(f);
        if (!first_scope_.count(m.runner)) first_scope_[m.runner] = scope;
        build_[m.runner].push_back({scope, std::string(m.value())});
      }
    }
  }

  // The CI commands of file `root`, with the YAML files it names expanded in place: their
  // commands are CI commands too, and GitLab templates one file defines run through jobs of
  // another that extend them. Cycle-safe and depth-limited.
  std::vector<CiRun> ci_lines(size_t root) const {
    constexpr int kMaxIncludeDepth = 8;
    std::vector<CiRun> out;
    std::map<std::string, std::vector<CiRun>> templates;  // first file defining a template wins
    std::vector<std::string> extended;
    std::set<size_t> seen{root};
    std::vector<std::pair<size_t, int>> todo{{root, 0}};
    auto include = [&](const std::string& path, int depth) {
      const std::optional<size_t> f = facts_.project_file(path);
      if (!f || depth > kMaxIncludeDepth || !seen.insert(*f).second) return;
      // A file that is a CI file itself is read as one already.
      if (is_ci_file(facts_.path(*f))) return;
      todo.push_back({*f, depth});
    };
    for (size_t next = 0; next < todo.size(); ++next) {
      auto [f, depth] = todo[next];
      std::map<std::string, std::vector<CiRun>> defined_here;
      for (auto& m : lines_of(f, f == root)) {
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
            for (const auto& inv : parsed(m.text).invocations)
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

  // The build commands an invocation reaches.
  std::vector<const BuildEntry*> reached(const Invocation& inv,
                                         const std::vector<BuildEntry>& entries) const {
    std::vector<std::string> scopes = inv.scopes;
    // `make` alone builds the first target; tox and pre-commit run everything.
    if (scopes.empty() && inv.runner == Runner::Make && first_scope_.count(inv.runner))
      scopes.push_back(first_scope_.at(inv.runner));
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

  void match(size_t root, const RE2& pattern, std::vector<CiRun>& out) const {
    for (const auto& [f, m] : ci_lines(root)) {
      // A tool that is installed (`pip install pytest`) is not run.
      const ParsedCommand& line = parsed(m.text);
      if (RE2::PartialMatch(line.without_installs, pattern)) {
        out.push_back({f, m});
        continue;
      }
      bool found = false;
      for (const auto& inv : line.invocations) {
        auto it = build_.find(inv.runner);
        if (it == build_.end() || inv.runner == Runner::CiYaml) continue;
        for (const BuildEntry* b : reached(inv, it->second)) {
          if (!RE2::PartialMatch(parsed(b->command).without_installs, pattern)) continue;
          Match hit = m;
          hit.text = m.text + " -> " + b->command;
          out.push_back({f, hit});
          found = true;
          break;
        }
        if (found) break;
      }
    }
  }

 private:
  // A CI file's commands, or a YAML fragment's (from its build-command facts).
  std::vector<Match> lines_of(size_t f, bool ci_file) const {
    if (ci_file) return facts_.ci_commands(f);
    // DVC runs a stage's command in the directory of its dvc.yaml (and in the stage's `wdir`
    // below it, which the file's facts hold as `cd WDIR && ...`: the command parser follows one
    // cd from the other): the commands of a dvc.yaml in a subdirectory start there, so that the
    // scripts they name are found.
    const std::string& path = facts_.path(f);
    constexpr std::string_view kDvc = "/dvc.yaml";
    const std::string dir = path.ends_with(kDvc) ? path.substr(0, path.size() - kDvc.size()) : "";
    std::vector<Match> lines;
    for (const auto& m : facts_.build_commands(f)) {
      if (m.runner != Runner::CiYaml) continue;
      // A fragment's command without its (empty) scope; its GitLab directives as they are.
      Match line = m.kind == FactKind::Command ? m.as_command() : m;
      line.runner = Runner::None;
      if (!dir.empty() && m.kind == FactKind::Command) line.text = "cd " + dir + " && " + line.text;
      lines.push_back(std::move(line));
    }
    return lines;
  }

  const CiFacts& facts_;
  std::map<Runner, std::vector<BuildEntry>> build_;
  std::map<Runner, std::string> first_scope_;
};

}  // namespace

std::vector<CiRun> ci_runs_matching(const CiFacts& facts, const RE2& pattern, std::optional<size_t> only) {
  if (parse_memo().size() > kMaxParseMemo) parse_memo().clear();  // bounded; nothing refers into it now
  Resolver resolver(facts);
  resolver.collect_build_commands();
  std::vector<CiRun> out;
  if (only) {
    resolver.match(*only, pattern, out);
  } else {
    for (size_t f : facts.files())
      if (!facts.ci_commands(f).empty()) resolver.match(f, pattern, out);
  }
  return out;
}

}  // namespace mlops
