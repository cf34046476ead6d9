// The last steps on a check's result: the order of projects, findings and diagnostics, one
// finding per shared file, secrets masked, and the findings' fingerprints.
#include "engine/result.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "analysers/secrets.h"
#include "util/hash.h"

namespace mlops::engine {

namespace {

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

void finish_result(CheckResult& result, const RuleSet& rules) {
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
}

}  // namespace mlops::engine
