// Markdown pages for rules: what `explain` prints, for the web.
#include "report/rule_docs.h"

#include <fmt/format.h>

#include "fix/fixer.h"

namespace mlops {
namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string fenced(const std::string& code) {
  std::string body = code;
  if (!body.empty() && body.back() != '\n') body += '\n';
  return "```\n" + body + "```\n";
}

std::string page(const Rule& r) {
  std::string out = fmt::format("# {} {}\n\n{}\n\n", r.id, r.name, r.summary);
  out += "| | |\n|---|---|\n";
  out += fmt::format("| severity | {} |\n| practice | `{}` |\n| category | {} |\n", to_string(r.severity),
                     r.practice, r.category);
  out += fmt::format("| kind | {} |\n",
                     r.kind == RuleKind::Requirement
                         ? "requirement (one finding per project when the practice is missing)"
                         : "pattern (one finding per match, at file:line)");
  out += fmt::format("| profiles | {} |\n", join(r.profiles, ", "));
  if (!r.requires_rules.empty()) out += fmt::format("| requires | {} |\n", join(r.requires_rules, ", "));
  out += "\n## Why\n\n" + r.rationale;
  if (!r.rationale.empty() && r.rationale.back() != '\n') out += "\n";
  if (!r.bad_example.empty()) out += "\n## Example that fires\n\n" + fenced(r.bad_example);
  if (!r.good_example.empty()) out += "\n## Example that passes\n\n" + fenced(r.good_example);
  out += "\n## How to fix\n\n" + r.remediation;
  if (!r.remediation.empty() && r.remediation.back() != '\n') out += "\n";
  if (const FixerInfo* fixer = rule_fixer(r)) {
    bool safe = fixer->applicability == Applicability::Safe;
    out += "\n### Automatic fix\n\n**" + std::string(safe ? "Safe" : "Unsafe") + " fix** (`" +
           std::string(fixer->name) + "`): " + std::string(fixer->summary) + ". " +
           (safe ? "`mlops-lint check --fix` applies it"
                 : "`mlops-lint check --fix --unsafe-fixes` applies it (it can change behaviour)") +
           "; `--diff` previews it.\n";
  }
  out += fmt::format(
      "\nSuppress one occurrence with a comment `mlops-lint: ignore[{}] reason` on the line or the line "
      "before; turn the rule off with `ignore: [{}]` in the configuration.\n",
      r.id, r.id);
  if (!r.references.empty()) {
    out += "\n## References\n\n";
    for (const auto& ref : r.references) out += "- " + ref + "\n";
  }
  out += fmt::format(
      "\n---\nGenerated from `{}` by `mlops-lint generate-docs`; edit the rule file, not this page.\n",
      r.source);
  return out;
}

}  // namespace

std::map<std::string, std::string> rule_doc_pages(const RuleSet& rules) {
  std::map<std::string, std::string> pages;
  std::string index = "# Rules\n\nGenerated from `rules/*.yaml` by `mlops-lint generate-docs`.\n\n";
  index += "| id | name | severity | practice | kind | summary |\n|---|---|---|---|---|---|\n";
  for (const auto& r : rules.rules) {
    pages[r.id + ".md"] = page(r);
    index +=
        fmt::format("| [{}]({}.md) | {} | {} | `{}` | {} | {} |\n", r.id, r.id, r.name, to_string(r.severity),
                    r.practice, r.kind == RuleKind::Requirement ? "requirement" : "pattern", r.summary);
  }
  pages["README.md"] = index;
  return pages;
}

}  // namespace mlops
