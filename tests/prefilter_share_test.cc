// Guards the literal prefilters of built-in pattern rules: on files shaped like the benchmark's
// (ordinary library code that imports ML packages but rarely trains), a pattern rule's Python
// queries may let only a small share of files through to a tree-sitter parse. An over-broad
// literal (`test_` admits every `train_test_split` import) once made 97% of files parse.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "analysers/file_analyser.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"

namespace mlops {
namespace {

// The shapes bench/run.sh generates, in the same proportions: four import headers in turn,
// eighteen small helper functions, a split and a fit in 2% of the files, a path in 1%.
std::string bench_file(int i) {
  static const char* const kHeaders[] = {
      "import numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
      "from sklearn.linear_model import LogisticRegression\n",
      "import torch\nimport torch.nn as nn\nfrom torch.utils.data import DataLoader, random_split\n",
      "import os\nimport json\nimport logging\nfrom pathlib import Path\n",
      "import mlflow\nimport yaml\nfrom typing import Any, Dict\n"};
  std::string s =
      "\"\"\"Module " + std::to_string(i) + " of the synthetic project.\"\"\"\n" + kHeaders[i % 4] + "\n";
  for (int k = 0; k < 18; ++k) {
    std::string n = std::to_string(k);
    s += "\ndef step_" + std::to_string(i) + "_" + n + "(data, config):\n";
    s += "    \"\"\"Transforms the batch for stage " + n + ".\"\"\"\n";
    s += "    values = [x * " + std::to_string(k + 1) + " for x in data if x is not None]\n";
    s += "    total = sum(values) / max(len(values), 1)\n";
    s += "    logging.info(\"stage " + n + " mean %s\", total)\n";
    s += "    return {\"mean\": total, \"count\": len(values), \"name\": \"step_" + n + "\"}\n";
  }
  if (i % 50 == 0)
    s += "\nX_train, X_test = train_test_split(np.arange(10), test_size=0.2, random_state=0)\n"
         "LogisticRegression().fit(X_train.reshape(-1, 1), X_train > 4)\n";
  if (i % 97 == 0) s += "\nDATA = \"/home/alice/data/raw_" + std::to_string(i) + ".csv\"\n";
  return s;
}

// The Python queries an expression asks of every file, directly or through named conditions.
// The context of an inside / not_inside is asked only where its check matched (a second pass).
void python_queries(const Expr& e, const RuleSet& rules, std::set<size_t>& out, std::set<std::string>& seen) {
  if (e.op == Expr::Op::Query && parses_python(rules.queries[e.query].kind)) out.insert(e.query);
  if (e.op == Expr::Op::Condition && seen.insert(e.condition).second) {
    auto it = rules.conditions.find(e.condition);
    if (it != rules.conditions.end()) python_queries(it->second, rules, out, seen);
  }
  if (e.op == Expr::Op::Inside) {
    python_queries(e.children.at(0), rules, out, seen);
    return;
  }
  for (const auto& c : e.children) python_queries(c, rules, out, seen);
}

// The bench-shaped files and the built-in rules, and the share of those files a set of queries
// lets through to a parse.
struct BenchFiles {
  static constexpr int kFiles = 1000;
  static constexpr double kMaxShare = 0.05;
  std::vector<std::string> files;
  RuleSet rules;

  BenchFiles() {
    for (int i = 0; i < kFiles; ++i) files.push_back(bench_file(i));
    std::vector<Diagnostic> errors;
    rules = load_rules({}, errors);
    EXPECT_TRUE(errors.empty());
  }

  // `skip_imports`: leave out import queries (answered from the header, see below).
  double share(const std::set<size_t>& qs, bool skip_imports) const {
    int admitted = 0;
    for (int i = 0; i < kFiles; ++i) {
      const std::string path = "pkg/file" + std::to_string(i) + ".py";
      for (size_t q : qs)
        if (!(skip_imports && rules.queries[q].kind == QueryKind::PythonImport) &&
            query_applies_to(rules.queries[q], path) && prefilter_admits(rules.queries[q], files[i])) {
          ++admitted;
          break;
        }
    }
    return static_cast<double>(admitted) / kFiles;
  }

  // The queries that admit too much, to name in a failure.
  std::string culprits(const std::set<size_t>& qs) const {
    std::string out;
    for (size_t q : qs)
      if (share({q}, true) > kMaxShare) out += "\n  query " + rules.queries[q].fingerprint();
    return out;
  }
};

TEST(Prefilters, PatternRulesParseFewOrdinaryFiles) {
  // Half the bench files import scikit-learn or torch; 2% split and fit. A pattern rule's check
  // is asked of every file, so its literals must single out the calls it looks for.
  const BenchFiles b;
  for (const auto& r : b.rules.rules) {
    if (r.kind != RuleKind::Pattern) continue;
    std::set<size_t> qs;
    std::set<std::string> seen;
    python_queries(r.check, b.rules, qs, seen);
    const double share = b.share(qs, false);
    EXPECT_LE(share, BenchFiles::kMaxShare)
        << r.id << "'s check lets " << share * BenchFiles::kFiles << " of " << BenchFiles::kFiles
        << " ordinary files through to a parse: make its prefilter literals specific (whole names, "
           "`prefilter_calls`, word-bounded)";
  }
}

// Requirement rules and named conditions are asked of files until one matches: when the
// practice is missing (or a condition fails), every file their literals admit is parsed. The
// same bound holds for their costly queries, imports aside (an `import torch` is what the
// conditions look for, and the import scanner reads it from the header).
TEST(Prefilters, RequirementsAndConditionsParseFewOrdinaryFiles) {
  const BenchFiles b;
  std::set<std::string> conditions;
  for (const auto& [name, expr] : b.rules.conditions) conditions.insert(name);
  for (const auto& r : b.rules.rules) {
    if (r.kind != RuleKind::Requirement) continue;
    std::set<size_t> qs;
    std::set<std::string> seen = conditions;  // each condition is measured on its own below
    python_queries(r.check, b.rules, qs, seen);
    EXPECT_LE(b.share(qs, true), BenchFiles::kMaxShare)
        << r.id << "'s check lets " << b.share(qs, true) * BenchFiles::kFiles << " of " << BenchFiles::kFiles
        << " ordinary files through to a parse" << b.culprits(qs);
  }
  for (const auto& [name, expr] : b.rules.conditions) {
    std::set<size_t> qs;
    std::set<std::string> seen = {name};
    python_queries(expr, b.rules, qs, seen);
    EXPECT_LE(b.share(qs, true), BenchFiles::kMaxShare)
        << "condition " << name << " lets " << b.share(qs, true) * BenchFiles::kFiles << " of "
        << BenchFiles::kFiles << " ordinary files through to a parse" << b.culprits(qs);
  }
}

}  // namespace
}  // namespace mlops
