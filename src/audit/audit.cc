// Repository audits: HEAD of each repository (or a plain directory), and its history.
#include "audit/audit.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "engine/facts_cache.h"
#include "repo/git_tree_snapshot.h"
#include "repo/libgit2_scope.h"
#include "report/report.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

bool is_repository(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p / ".git", ec) || (fs::exists(p / "HEAD", ec) && fs::exists(p / "objects", ec));
}

std::string repo_name(const fs::path& p) {
  std::string name = fs::weakly_canonical(p).filename().string();
  if (name.ends_with(".git") && name.size() > 4) name.resize(name.size() - 4);
  return name;
}

void score(const CheckResult& result, RepoAudit& out) {
  out.practices = merged_practices(result);
  out.scores = compute_scores(out.practices);
  for (const auto& f : result.findings) {
    if (f.suppressed) continue;
    ++out.findings[f.severity];
    ++out.total_findings;
  }
}

RepoAudit audit_one(const std::string& path, const RuleSet& rules, const AuditOptions& options,
                    unsigned jobs) {
  RepoAudit out;
  out.path = path;
  out.name = repo_name(path);
  std::optional<FactsCache> cache;
  CheckOptions copts;
  copts.profile = options.profile;
  copts.jobs = jobs;
  if (options.use_cache) {
    cache.emplace(FactsCache::default_path(path), ruleset_signature(rules));
    cache->load();
    copts.cache = &*cache;
  }
  std::string error;
  std::vector<CommitInfo> commits;
  BlobSizes sizes;
  if (is_repository(path)) {
    commits = first_parent_history(path, std::max<size_t>(1, options.history), options.since, error);
    if (commits.empty()) {
      out.error = error.empty() ? "no commits" : error;
      return out;
    }
    out.commit = commits.front().id.substr(0, 12);
    auto snap = open_commit_snapshot(path, commits.front().id, {}, error, &sizes);
    if (!snap) {
      out.error = error;
      return out;
    }
    score(run_check(*snap, rules, copts), out);
  } else {
    auto snap = open_snapshot(path, {}, error);
    if (!snap) {
      out.error = error;
      return out;
    }
    score(run_check(*snap, rules, copts), out);
  }
  if (options.history > 0) {
    for (const auto& c : commits) {
      HistoryPoint h{c.id.substr(0, 12), c.date, -1, 0};
      if (&c == &commits.front() && out.commit == h.commit) {
        h.score = out.scores.overall;  // HEAD was just scored
        h.maturity = out.scores.maturity;
      } else if (auto snap = open_commit_snapshot(path, c.id, {}, error, &sizes)) {
        CheckResult r = run_check(*snap, rules, copts);
        Scores s = compute_scores(merged_practices(r));
        h.score = s.overall;
        h.maturity = s.maturity;
      }
      out.history.push_back(h);
    }
  }
  if (cache) {
    std::string ignored;
    cache->save(ignored);  // a cache that cannot be written only costs time next run
  }
  return out;
}

}  // namespace

std::vector<std::string> expand_repositories(const std::vector<std::string>& paths,
                                             const std::string& list_file, std::string& error) {
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
  std::vector<std::string> out;
  for (const auto& p : given) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      error = "cannot read " + p + ": not a directory";
      return {};
    }
    if (is_repository(p)) {
      out.push_back(p);
      continue;
    }
    // A directory of repositories stands for each of them (sorted: a stable order).
    std::vector<std::string> children;
    for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_directory() && is_repository(it->path())) children.push_back(it->path().string());
    std::sort(children.begin(), children.end());
    if (children.empty())
      out.push_back(p);  // a plain project directory
    else
      out.insert(out.end(), children.begin(), children.end());
  }
  return out;
}

std::vector<RepoAudit> run_audit(const std::vector<std::string>& repos, const RuleSet& rules,
                                 const AuditOptions& options) {
  std::vector<RepoAudit> out(repos.size());
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned workers =
      static_cast<unsigned>(std::min<size_t>(options.jobs ? options.jobs : cores, repos.size()));
  // One repository alone gets all cores for its files; several share them repository-wise.
  unsigned per_check = repos.size() == 1 ? (options.jobs ? options.jobs : cores) : 1;
  std::atomic<size_t> next{0};
  std::mutex progress_mu;
  size_t done = 0;
  auto worker = [&] {
    for (size_t i = next++; i < repos.size(); i = next++) {
      out[i] = audit_one(repos[i], rules, options, per_check);
      if (options.progress) {
        std::lock_guard lock(progress_mu);
        options.progress(++done, repos.size());
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

}  // namespace mlops
