// Rule documentation pages, generated from the rule files (docs/rules/<ID>.md and an index).
#pragma once
#include <map>
#include <string>

#include "rules/rule.h"

namespace mlops {

// Page name -> Markdown: "README.md" (the index) and "<ID>.md" for every rule.
std::map<std::string, std::string> rule_doc_pages(const RuleSet& rules);

}  // namespace mlops
