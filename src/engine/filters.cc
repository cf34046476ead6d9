// Inline suppressions, per-file ignores and baselines.
#include "engine/filters.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "analysers/secrets.h"
#include "engine/selection.h"
#include "util/escape.h"
#include "util/glob.h"

namespace mlops {
namespace {

struct Comment {
  int line = 0;
  std::vector<std::string> codes;
  std::string reason;
  std::set<std::string> used;
};

std::string trim(std::string s) {
  // Notebook sources are JSON strings: drop the `\n",` that ends each source line.
  for (const char* tail : {"\\n\",", "\\n\"", "\",", "\""})
    if (s.ends_with(tail)) {
      s.resize(s.size() - std::string_view(tail).size());
      break;
    }
  size_t a = s.find_first_not_of(" \t");
  size_t b = s.find_last_not_of(" \t");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

std::vector<Comment> parse_comments(const std::vector<Match>& matches) {
  static const RE2 re(kSuppressionPattern);
  std::vector<Comment> out;
  for (const auto& m : matches) {
    std::string codes, reason;
    if (!RE2::PartialMatch(m.text, re, &codes, &reason)) continue;
    Comment c;
    c.line = m.line;
    c.reason = trim(reason);
    size_t start = 0;
    while (start <= codes.size()) {
      size_t comma = codes.find(',', start);
      std::string code =
          trim(codes.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (!code.empty()) c.codes.push_back(code);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

void apply_suppressions(CheckResult& result, const RuleSet& rules, const SuppressionOptions& options) {
  std::map<std::string, std::vector<Comment>> comments;
  if (options.inline_ignores)
    for (const auto& [path, matches] : result.suppression_comments) comments[path] = parse_comments(matches);

  for (auto& f : result.findings) {
    for (const auto& [glob, codes] : options.per_file_ignores) {
      if (!glob_match(glob, f.where.path)) continue;
      if (std::any_of(codes.begin(), codes.end(),
                      [&](const std::string& c) { return selector_matches(c, f.rule_id); })) {
        f.suppressed = true;
        f.justification = "per-file-ignores in " + options.config_path;
      }
    }
    if (f.suppressed || f.project_level) continue;
    auto it = comments.find(f.where.path);
    if (it == comments.end()) continue;
    for (auto& c : it->second) {
      if (c.line != f.where.line && c.line + 1 != f.where.line) continue;
      // Explicit codes only: a blanket `ignore[]` or a family prefix suppresses nothing.
      if (std::find(c.codes.begin(), c.codes.end(), f.rule_id) == c.codes.end()) continue;
      f.suppressed = true;
      f.justification = c.reason.empty() ? "inline suppression (no reason given)" : c.reason;
      c.used.insert(f.rule_id);
      break;
    }
  }
  for (const auto& [path, list] : comments)
    for (const auto& c : list) {
      if (c.codes.empty())
        result.diagnostics.push_back(
            {{path, c.line, 0}, "suppression names no rule code; write mlops-lint: ignore[ID] reason"});
      if (c.reason.empty() && !c.codes.empty())
        result.diagnostics.push_back({{path, c.line, 0}, "suppression without a reason"});
      for (const auto& code : c.codes) {
        if (!rules.find(code))
          result.diagnostics.push_back({{path, c.line, 0}, "suppression names unknown rule " + code});
        else if (!c.used.count(code))
          result.diagnostics.push_back({{path, c.line, 0}, "unused suppression of " + code});
      }
    }
  std::sort(result.diagnostics.begin(), result.diagnostics.end());
}

namespace {

// The engine masked the findings with the rule set's patterns; the built-in ones again here,
// since a baseline is committed. JSON holds UTF-8 only: paths are stored sanitised, and findings
// are matched against entries by the same form.
std::string baseline_text(const std::string& text) {
  static const SecretScanner builtin_secrets(std::vector<FileQuery>{});
  return sanitize_utf8(builtin_secrets.mask(text));
}

}  // namespace

std::string baseline_json(const CheckResult& result) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const auto& f : result.findings) {
    if (f.suppressed) continue;
    entries.push_back({{"rule", f.rule_id},
                       {"path", baseline_text(f.where.path)},
                       {"fingerprint", f.fingerprint},
                       {"message", baseline_text(f.message)}});
  }
  nlohmann::ordered_json j = {{"mlops-lint-baseline", 1}, {"findings", entries}};
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

bool parse_baseline(const std::string& text, Baseline& out, std::string& error) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("mlops-lint-baseline") || !j["findings"].is_array()) {
    error = "not an mlops-lint baseline file";
    return false;
  }
  for (const auto& e : j["findings"]) {
    if (!e.is_object() || !e.value("rule", nlohmann::json()).is_string() ||
        !e.value("path", nlohmann::json()).is_string() ||
        !e.value("fingerprint", nlohmann::json()).is_string()) {
      error = "baseline entry without rule, path and fingerprint";
      return false;
    }
    out.entries.push_back({e["rule"], e["path"], e["fingerprint"], e.value("message", "")});
  }
  return true;
}

void apply_baseline(CheckResult& result, const Baseline& baseline, const std::string& baseline_path,
                    const std::vector<std::string>& checked_paths) {
  const std::set<std::string> checked(checked_paths.begin(), checked_paths.end());
  std::multiset<std::tuple<std::string, std::string, std::string>> known;
  for (const auto& e : baseline.entries) known.insert({e.rule, e.path, e.fingerprint});
  std::set<std::tuple<std::string, std::string, std::string>> matched;
  std::vector<Finding> kept;
  for (auto& f : result.findings) {
    // As written by baseline_json; the fingerprint still tells paths that sanitise alike apart.
    auto key = std::make_tuple(f.rule_id, baseline_text(f.where.path), f.fingerprint);
    if (known.count(key)) {
      matched.insert(key);
      ++result.baselined;
      continue;
    }
    kept.push_back(std::move(f));
  }
  result.findings = std::move(kept);
  size_t stale = 0;
  for (const auto& e : baseline.entries)
    if (!matched.count({e.rule, e.path, e.fingerprint}) && (checked.empty() || checked.count(e.path)))
      ++stale;
  if (stale > 0)
    result.diagnostics.push_back({{baseline_path, 0, 0},
                                  std::to_string(stale) + " baseline entr" +
                                      (stale == 1 ? "y no longer matches" : "ies no longer match") +
                                      " a finding; rewrite the baseline with --write-baseline to shrink it"});
}

}  // namespace mlops
