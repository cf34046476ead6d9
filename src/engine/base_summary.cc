// The base commit's failing project rules, persisted as a small checksummed text file:
//   line 1: magic, line 2: the key, then "rule\tproject" lines, last line "sum " + FNV-1a of
//   everything before it. Any mismatch (magic, key, checksum, a malformed line) is a miss.
#include "engine/base_summary.h"

#include "util/atomic_write.h"
#include "util/hash.h"
#include "util/read_file.h"

namespace mlops {
namespace {

constexpr const char* kMagic = "mlops-lint base summary 1\n";
constexpr uint64_t kMaxSummarySize = 4ull << 20;  // a few rules per project: far below this

// Keys, rule ids and project roots are single lines without tabs in a well-formed file.
bool storable(const std::string& s) {
  return s.find('\n') == std::string::npos && s.find('\t') == std::string::npos;
}

}  // namespace

FailingRules failing_project_rules(const CheckResult& result) {
  FailingRules out;
  for (const auto& f : result.findings)
    if (f.project_level && !f.suppressed) out.insert({f.rule_id, f.project});
  return out;
}

CheckResult result_of_failures(const FailingRules& failing) {
  CheckResult r;
  for (const auto& [rule, project] : failing) {
    Finding f;
    f.rule_id = rule;
    f.project = project;
    f.project_level = true;
    r.findings.push_back(std::move(f));
  }
  return r;
}

std::string base_summary_path(const std::string& cache_path) {
  return cache_path + ".base";
}

std::optional<FailingRules> load_base_summary(const std::string& path, const std::string& key) {
  FileRead file = read_file_capped(path, kMaxSummarySize);
  if (!file.ok()) return std::nullopt;
  const std::string& text = file.bytes;
  size_t sum_at = text.rfind("sum ");
  if (sum_at == std::string::npos || (sum_at > 0 && text[sum_at - 1] != '\n')) return std::nullopt;
  std::string body = text.substr(0, sum_at);
  if (text.substr(sum_at) != "sum " + hex64(fnv1a64(body)) + "\n") return std::nullopt;
  const std::string head = std::string(kMagic) + key + "\n";
  if (body.compare(0, head.size(), head) != 0) return std::nullopt;
  FailingRules out;
  for (size_t at = head.size(); at < body.size();) {
    size_t nl = body.find('\n', at);
    if (nl == std::string::npos) return std::nullopt;
    std::string line = body.substr(at, nl - at);
    size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) return std::nullopt;
    out.insert({line.substr(0, tab), line.substr(tab + 1)});
    at = nl + 1;
  }
  return out;
}

bool save_base_summary(const std::string& path, const std::string& key, const FailingRules& failing,
                       std::string& error) {
  if (!storable(key)) {
    error = "summary key holds a line break";
    return false;
  }
  std::string body = std::string(kMagic) + key + "\n";
  for (const auto& [rule, project] : failing) {
    // A name that cannot be stored is not stored wrongly: no summary, the next run recomputes.
    if (!storable(rule) || !storable(project) || rule.empty()) {
      error = "a rule id or project root cannot be stored in the summary";
      return false;
    }
    body += rule + "\t" + project + "\n";
  }
  body += "sum " + hex64(fnv1a64(body)) + "\n";
  WriteOptions options;
  options.create_parents = true;
  options.new_file_mode = 0600;
  if (auto e = write_file_atomically(path, body, options)) {
    error = "cannot write the base summary: " + e->message;
    return false;
  }
  return true;
}

}  // namespace mlops
