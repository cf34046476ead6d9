// `audit`, `report` and `merge` (see audit_command.h).
#include "cli/audit_command.h"

#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <ctime>
#include <exception>
#include <iostream>
#include <set>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "audit/store.h"
#include "cli/common.h"
#include "util/escape.h"
#include "util/read_file.h"

namespace mlops::cli {

namespace {

// `repo_roots`: the repositories this run read, which the output must not be redirected into.
int write_report(const std::string& text, const std::string& output,
                 const std::vector<std::string>& repo_roots = {}) {
  if (output.empty() || output == "-") {
    std::cout << text;
    return kExitClean;
  }
  return write_named_file(output, text, repo_roots) ? kExitClean : kExitError;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

int run_report_command(const std::string& store_path, const std::string& format, const std::string& output) {
  AuditStore store;
  std::string error;
  // Read-only: a mistyped path is "no such store", never a new empty one.
  if (!store.open(store_path, error, AuditStore::Mode::kReadOnly)) {
    std::cerr << "mlops-lint: " << store_path << ": " << error << "\n";
    return kExitError;
  }
  std::vector<RepoAudit> repos = store.trends(error);
  if (!error.empty()) {
    std::cerr << "mlops-lint: " << store_path << ": " << error << "\n";
    return kExitError;
  }
  std::string profile = store.latest_profile(error);
  if (!error.empty()) {
    std::cerr << "mlops-lint: " << store_path << ": " << error << "\n";
    return kExitError;
  }
  return write_report(render_audit(format, repos, profile), output);
}

int run_merge_command(const std::vector<std::string>& inputs, const std::string& format,
                      const std::string& output) {
  std::vector<RepoAudit> all;
  for (const auto& in : inputs) {
    FileRead text = read_file_capped(in, kMaxReportInput);
    std::string error = text.error;
    if (!text.ok() || !parse_audit_json(text.bytes, all, error)) {
      std::cerr << "mlops-lint: " << in << ": " << error << "\n";
      return kExitError;
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const RepoAudit& a, const RepoAudit& b) { return a.path < b.path; });
  return write_report(render_audit(format, all, "merged"), output);
}

int run_audit_command(const AuditArgs& a) {
  if (a.paths.empty() && a.list.empty()) {
    std::cerr << "mlops-lint: audit needs repository paths or --list FILE\n";
    return kExitError;
  }
  std::string error;
  std::vector<std::string> warnings;
  std::vector<AuditTarget> targets = discover_repositories(a.paths, a.list, warnings, error);
  if (!error.empty()) {
    std::cerr << "mlops-lint: " << error << "\n";
    return kExitError;
  }
  for (const auto& w : warnings) std::cerr << "mlops-lint: warning: " << w << "\n";
  if (!a.shard.empty()) {
    size_t slash = a.shard.find('/');
    size_t index = 0, count = 0;
    try {
      index = std::stoul(a.shard.substr(0, slash));
      count = slash == std::string::npos ? 0 : std::stoul(a.shard.substr(slash + 1));
    } catch (const std::exception&) {
    }
    if (count == 0 || index == 0 || index > count) {
      std::cerr << "mlops-lint: --shard wants I/N with 1 <= I <= N, e.g. 2/8\n";
      return kExitError;
    }
    std::vector<std::string> paths;
    for (const auto& t : targets) paths.push_back(t.path);
    std::vector<std::string> kept = shard_repositories(paths, index, count);
    std::set<std::string> keep(kept.begin(), kept.end());
    std::vector<AuditTarget> sharded;
    for (auto& t : targets)
      if (keep.count(t.path)) sharded.push_back(std::move(t));
    std::sort(sharded.begin(), sharded.end(),
              [](const AuditTarget& x, const AuditTarget& y) { return x.path < y.path; });
    targets = std::move(sharded);
  }
  AuditOptions opts;
  opts.profile = a.profile;
  opts.jobs = a.jobs;
  opts.history = a.history;
  opts.use_cache = !a.no_cache;
  if (!a.since.empty()) {
    std::tm tm{};
    if (!strptime(a.since.c_str(), "%Y-%m-%d", &tm)) {
      std::cerr << "mlops-lint: --since wants a date like 2026-01-31\n";
      return kExitError;
    }
    opts.since = static_cast<int64_t>(timegm(&tm));
    if (opts.history == 0) opts.history = 10000;  // every commit since the date
  }
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  if (::isatty(STDERR_FILENO) && !a.quiet) {
    // A progress bar for people watching, redrawn in place.
    opts.progress = [](size_t done, size_t total, const RepoAudit& r, double) {
      const size_t width = 30;
      size_t filled = total ? width * done / total : width;
      std::string name = r.name.size() > 40 ? r.name.substr(0, 39) + "~" : r.name;
      std::cerr << "\r\033[K[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done
                << "/" << total << " " << escape_terminal(name) << (done == total ? "\n" : "") << std::flush;
    };
  } else if (!a.quiet) {
    // In CI logs: a line per repository as it finishes, so a long audit shows it is moving.
    opts.progress = [](size_t done, size_t total, const RepoAudit& r, double seconds) {
      std::string score = !r.error.empty()       ? "error"
                          : r.scores.overall < 0 ? "-"
                                                 : std::to_string(r.scores.overall);
      std::cerr << fmt::format("[{}/{}] {} {} ({:.1f} s)\n", done, total, escape_terminal(r.name), score,
                               seconds)
                << std::flush;
    };
  }
  // The store is opened first: a damaged or locked one fails before the audit's work, not after.
  AuditStore store;
  if (!a.store.empty() && !store.open(a.store, error)) {
    std::cerr << "mlops-lint: " << a.store << ": " << error << "\n";
    return kExitError;
  }
  std::vector<RepoAudit> audits = run_audit(targets, rules, opts);
  if (!a.store.empty() && !store.record(audits, a.profile, utc_now(), error)) {
    std::cerr << "mlops-lint: " << a.store << ": " << error << "\n";
    return kExitError;
  }
  std::vector<std::string> roots;
  for (const auto& t : targets) roots.push_back(t.path);
  return write_report(render_audit(a.format, audits, a.profile, !a.no_findings), a.output, roots);
}

}  // namespace mlops::cli
