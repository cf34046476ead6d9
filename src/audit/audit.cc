// Repository audits: discovery and naming of repositories, HEAD of each (or a plain directory)
// and its history.
#include "audit/audit.h"

#include "engine/project_kind.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "analysers/file_analyser.h"
#include "engine/facts_cache.h"
#include "repo/git_tree_snapshot.h"
#include "repo/libgit2_scope.h"
#include "report/report.h"
#include "util/read_file.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

// A git config beyond this is not one a person wrote; its name is then the path.
constexpr uint64_t kMaxGitConfig = 1u << 20;
// Directory entries looked at while discovering: a folder of checkouts has far fewer, and the
// bound keeps a mistaken `audit /` from walking the whole disk.
constexpr size_t kMaxDiscoveryEntries = 200000;

bool is_repository(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p / ".git", ec) || (fs::exists(p / "HEAD", ec) && fs::is_directory(p / "objects", ec) &&
                                        fs::is_directory(p / "refs", ec));
}

std::string strip_git_suffix(std::string name) {
  if (name.ends_with(".git") && name.size() > 4) name.resize(name.size() - 4);
  return name;
}

std::string directory_name(const fs::path& p) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(p, ec);
  return strip_git_suffix((ec ? p : canonical).filename().string());
}

std::string config_path(const fs::path& repo) {
  std::error_code ec;
  fs::path dot_git = repo / ".git";
  if (fs::is_directory(dot_git, ec)) return (dot_git / "config").string();
  if (fs::is_regular_file(dot_git, ec)) {
    // A linked work tree or submodule: `gitdir: <dir>`, whose `commondir` holds the config.
    FileRead f = read_file_capped(dot_git.string(), 4096);
    if (!f.ok() || !f.bytes.starts_with("gitdir:")) return {};
    fs::path gitdir = trim(std::string_view(f.bytes).substr(7));
    if (gitdir.is_relative()) gitdir = repo / gitdir;
    FileRead common = read_file_capped((gitdir / "commondir").string(), 4096);
    if (common.ok()) {
      fs::path c = trim(common.bytes);
      return ((c.is_relative() ? gitdir / c : c) / "config").string();
    }
    return (gitdir / "config").string();
  }
  return (repo / "config").string();  // bare
}

void score_check(const CheckResult& result, const RepoKind& kind, Scores& scores,
                 std::vector<PracticeStatus>& practices) {
  practices = merged_practices(result);
  scores = compute_scores(practices);
  if (!kind.ml) {
    // No score for a repository without ML code: its 100 would say nothing (issue #14).
    scores.overall = -1;
    scores.maturity = 0;
    scores.maturity_name = "not an ML project";
    for (auto& a : scores.areas) a.score = -1;
  }
}

void collect_findings(const CheckResult& result, const RuleSet& rules, RepoAudit& out) {
  for (const auto& f : result.findings) {
    if (f.suppressed) continue;
    ++out.findings[f.severity];
    ++out.total_findings;
    AuditFinding a;
    a.rule_id = f.rule_id;
    a.severity = f.severity;
    a.message = f.message;
    if (const Rule* r = rules.find(f.rule_id)) {
      a.practice = r->practice;
      a.summary = r->summary;
    }
    if (f.where.cell > 0)
      a.location = format_location(f.where);
    else if (f.where.line > 0)
      a.location = f.where.path + ":" + std::to_string(f.where.line);
    else
      a.location = f.where.path;
    out.finding_list.push_back(std::move(a));
  }
  std::stable_sort(out.finding_list.begin(), out.finding_list.end(),
                   [](const AuditFinding& a, const AuditFinding& b) {
                     return a.practice < b.practice;  // findings come sorted by path and line already
                   });
}

HistoryPoint history_point(const CommitInfo& c, const Scores& s,
                           const std::vector<PracticeStatus>& practices) {
  HistoryPoint h;
  h.commit = c.id.substr(0, 12);
  h.date = c.date;
  h.time = c.time;
  h.score = s.overall;
  h.maturity = s.maturity;
  for (const auto& a : s.areas) h.areas[a.area] = a.score;
  for (const auto& p : practices) h.practices[p.practice] = p.status;
  return h;
}

RepoAudit audit_one(const AuditTarget& target, const RuleSet& rules, const std::string& ruleset,
                    const AuditOptions& options, unsigned jobs) {
  const std::string& path = target.path;
  RepoAudit out;
  out.path = path;
  out.name = target.name.empty() ? directory_name(path) : target.name;
  out.ruleset = ruleset;
  std::optional<FactsCache> cache;
  CheckOptions copts;
  copts.profile = options.profile;
  copts.jobs = jobs;
  // One literal index for HEAD and every commit of the history (its RE2 set costs a compile).
  const PrefilterIndex prefilters(rules.queries);
  copts.prefilters = &prefilters;
  if (options.use_cache) {
    cache.emplace(FactsCache::default_path(path), ruleset);
    cache->load();
    copts.cache = &*cache;
  } else if (options.history > 1 || options.since > 0) {
    // Without the cache file, a history still analyses each blob once: the commits share an
    // in-memory cache (keyed by blob id and path, as on disk), never loaded nor saved.
    cache.emplace(std::string(), ruleset);
    copts.cache = &*cache;
  }
  std::string error;
  std::vector<CommitInfo> commits;
  BlobSizes sizes;
  auto head_check = [&](const Snapshot& snap) {
    CheckResult result = run_check(snap, rules, copts);
    out.kind = repo_kind(result);
    score_check(result, out.kind, out.scores, out.practices);
    collect_findings(result, rules, out);
  };
  if (is_repository(path)) {
    commits = first_parent_history(path, std::max<size_t>(1, options.history), options.since, error);
    if (commits.empty()) {
      out.error = error.empty() ? "no commits" : error;
      return out;
    }
    out.commit = commits.front().id.substr(0, 12);
    auto snap = open_commit_snapshot(path, commits.front().id, {}, error, &sizes, &commits.front().tags);
    if (!snap) {
      out.error = error;
      return out;
    }
    head_check(*snap);
  } else {
    auto snap = open_snapshot(path, {}, error);
    if (!snap) {
      out.error = error;
      return out;
    }
    head_check(*snap);
  }
  // HEAD is always a point of the history (the store records it); older commits on request.
  for (const auto& c : commits) {
    if (&c == &commits.front()) {
      out.history.push_back(history_point(c, out.scores, out.practices));
    } else if (auto snap = open_commit_snapshot(path, c.id, {}, error, &sizes, &c.tags)) {
      CheckResult r = run_check(*snap, rules, copts);
      Scores s;
      std::vector<PracticeStatus> practices;
      score_check(r, repo_kind(r), s, practices);
      out.history.push_back(history_point(c, s, practices));
    }
  }
  mark_practice_changes(out.history);
  if (cache && options.use_cache) {
    std::string ignored;
    cache->save(ignored);  // a cache that cannot be written only costs time next run
  }
  return out;
}

struct Walk {
  std::vector<std::pair<fs::path, std::string>> found;  // path, path relative to the base
  std::vector<std::string>& warnings;
  size_t entries = 0;
};

void walk(const fs::path& dir, const std::string& rel, int depth, Walk& w) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    w.warnings.push_back("cannot read " + dir.string() + ": " + ec.message() + " (skipped)");
    return;
  }
  std::vector<std::pair<fs::path, std::string>> subdirs;
  for (fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      w.warnings.push_back("cannot list " + dir.string() + ": " + ec.message() + " (skipped the rest)");
      break;
    }
    if (++w.entries > kMaxDiscoveryEntries) {
      if (w.entries == kMaxDiscoveryEntries + 1)
        w.warnings.push_back("stopped looking for repositories after " +
                             std::to_string(kMaxDiscoveryEntries) + " directory entries");
      return;
    }
    std::error_code sec;
    fs::file_status st = it->symlink_status(sec);
    // Symlinks are not followed: a link to `/` or to a parent would make the walk endless.
    if (sec || fs::is_symlink(st) || !fs::is_directory(st)) continue;
    std::string name = it->path().filename().string();
    if (name == ".git") continue;
    subdirs.push_back({it->path(), rel.empty() ? name : rel + "/" + name});
  }
  std::sort(subdirs.begin(), subdirs.end());
  for (const auto& [p, r] : subdirs) {
    if (is_repository(p))
      w.found.push_back({p, r});  // a repository is one unit: not walked into
    else if (depth < kMaxDiscoveryDepth)
      walk(p, r, depth + 1, w);
  }
}

std::string target_name(const fs::path& p, const std::string& rel) {
  std::string remote = name_from_remote_url(origin_url(p.string()));
  if (!remote.empty()) return remote;
  return rel.empty() ? directory_name(p) : strip_git_suffix(rel);
}

}  // namespace

RepoKind repo_kind(const CheckResult& result) {
  RepoKind k;
  if (result.projects.empty()) return k;
  k.kind = result.projects.front().kind;
  k.ml = std::any_of(result.projects.begin(), result.projects.end(),
                     [](const ProjectReport& p) { return kind_is_scored(p.kind); });
  return k;
}

std::string name_from_remote_url(const std::string& url_in) {
  std::string url = trim(url_in);
  std::string path;
  size_t scheme = url.find("://");
  if (scheme != std::string::npos) {
    if (url.compare(0, scheme, "file") == 0) return {};  // a local path names no owner
    size_t slash = url.find('/', scheme + 3);
    if (slash == std::string::npos) return {};
    path = url.substr(slash + 1);  // the authority (user:token@host:port) is dropped
  } else {
    size_t colon = url.find(':'), slash = url.find('/');
    // scp-like `[user@]host:owner/name`; a local path has a slash before any colon.
    if (colon == std::string::npos || colon == 0 || (slash != std::string::npos && slash < colon)) return {};
    path = url.substr(colon + 1);
  }
  size_t cut = path.find_first_of("?#");
  if (cut != std::string::npos) path.resize(cut);
  while (!path.empty() && path.back() == '/') path.pop_back();
  while (!path.empty() && (path.front() == '/' || path.front() == '~')) path.erase(0, 1);
  path = strip_git_suffix(path);
  if (path.find('/') == std::string::npos || path.size() > 200) return {};
  for (char c : path)
    if (static_cast<unsigned char>(c) < 0x20 || c == ' ' || c == '\\') return {};
  if (path.find("//") != std::string::npos || path.find("..") != std::string::npos) return {};
  return path;
}

std::string origin_url(const std::string& repo_path) {
  std::string config = config_path(repo_path);
  if (config.empty()) return {};
  FileRead f = read_file_capped(config, kMaxGitConfig);
  if (!f.ok()) return {};
  std::istringstream in(f.bytes);
  std::string line;
  bool in_origin = false;
  while (std::getline(in, line)) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t[0] == '[') {
      in_origin = t == "[remote \"origin\"]";
      continue;
    }
    if (!in_origin) continue;
    size_t eq = t.find('=');
    if (eq == std::string::npos) continue;
    std::string key = trim(std::string_view(t).substr(0, eq));
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    if (key != "url") continue;
    std::string value = trim(std::string_view(t).substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    return value;
  }
  return {};
}

std::vector<AuditTarget> discover_repositories(const std::vector<std::string>& paths,
                                               const std::string& list_file,
                                               std::vector<std::string>& warnings, std::string& error) {
  std::vector<std::string> given = paths;
  if (!list_file.empty()) {
    std::ifstream in(list_file);
    if (!in) {
      error = "cannot read " + list_file;
      return {};
    }
    std::string line;
    while (std::getline(in, line)) {
      line.erase(0, line.find_first_not_of(" \t"));
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (!line.empty() && line[0] != '#') given.push_back(line);
    }
  }
  std::vector<AuditTarget> out;
  for (const auto& p : given) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      error = "cannot read " + p + ": not a directory";
      return {};
    }
    if (is_repository(p)) {
      out.push_back({p, target_name(p, "")});
      continue;
    }
    Walk w{{}, warnings};
    walk(p, "", 1, w);
    if (w.found.empty()) out.push_back({p, directory_name(p)});  // a plain project directory
    for (const auto& [repo, rel] : w.found) out.push_back({repo.string(), target_name(repo, rel)});
  }
  // Two clones of one remote keep apart by their paths.
  std::map<std::string, int> seen;
  for (const auto& t : out) ++seen[t.name];
  for (auto& t : out)
    if (seen[t.name] > 1) t.name += " (" + t.path + ")";
  return out;
}

std::vector<std::string> expand_repositories(const std::vector<std::string>& paths,
                                             const std::string& list_file, std::string& error) {
  std::vector<std::string> warnings, out;
  for (auto& t : discover_repositories(paths, list_file, warnings, error)) out.push_back(std::move(t.path));
  return out;
}

void mark_practice_changes(std::vector<HistoryPoint>& history) {
  for (size_t i = 0; i < history.size(); ++i) {
    HistoryPoint& h = history[i];
    h.appeared.clear();
    h.regressed.clear();
    if (i + 1 == history.size()) break;
    const auto& older = history[i + 1].practices;
    for (const auto& [slug, status] : h.practices) {
      auto it = older.find(slug);
      bool was_present = it != older.end() && it->second == "present";
      bool is_present = status == "present";
      if (is_present && !was_present && it != older.end()) h.appeared.push_back(slug);
      if (!is_present && was_present) h.regressed.push_back(slug);
    }
  }
}

std::vector<RepoAudit> run_audit(const std::vector<AuditTarget>& repos, const RuleSet& rules,
                                 const AuditOptions& options) {
  std::vector<RepoAudit> out(repos.size());
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned workers =
      static_cast<unsigned>(std::min<size_t>(options.jobs ? options.jobs : cores, repos.size()));
  // One repository alone gets all cores for its files; several share them repository-wise.
  unsigned per_check = repos.size() == 1 ? (options.jobs ? options.jobs : cores) : 1;
  const std::string ruleset = ruleset_signature(rules);
  std::atomic<size_t> next{0};
  std::mutex progress_mu;
  size_t done = 0;
  auto worker = [&] {
    for (size_t i = next++; i < repos.size(); i = next++) {
      auto start = std::chrono::steady_clock::now();
      out[i] = audit_one(repos[i], rules, ruleset, options, per_check);
      if (options.progress) {
        std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        std::lock_guard lock(progress_mu);
        options.progress(++done, repos.size(), out[i], took.count());
      }
    }
  };
  LibGit2Scope libgit2;  // until every worker is joined (see libgit2_scope.h)
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < workers; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return out;
}

std::vector<RepoAudit> run_audit(const std::vector<std::string>& repos, const RuleSet& rules,
                                 const AuditOptions& options) {
  std::vector<AuditTarget> targets;
  for (const auto& p : repos) targets.push_back({p, target_name(p, "")});
  return run_audit(targets, rules, options);
}

}  // namespace mlops
