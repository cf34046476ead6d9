// The commands about the rules themselves: `rules` (the list, as text or JSON), `explain ID`,
// `test-rules DIR` (a rule directory's fixtures) and `generate-docs DIR` (the documentation pages).
#pragma once

#include <string>

namespace mlops::cli {

int run_rules_command();
int run_rules_json_command();
// `explain ID`: the rule's whole documentation, as text or (`json`) as one object.
int run_explain_command(const std::string& id, bool json);
int run_test_rules_command(const std::string& dir);
int run_generate_docs_command(const std::string& out_dir);

}  // namespace mlops::cli
