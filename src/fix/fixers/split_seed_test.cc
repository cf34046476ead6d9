// Tests of the split-seed fixer (DAT004) on in-memory files: where the keyword goes, which seed
// it names, when it declines; and the fixer behind the rule through run_check + attach_fixes.
#include <gtest/gtest.h>

#include "fix/edits.h"
#include "fix/fixer.h"
#include "fix/fixes.h"
#include "repo/memory_snapshot.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"

namespace mlops {

std::optional<Fix> fix_split_seed(const FixContext&, const Finding&);

namespace {

// Runs the fixer on `path` holding `text`, at the `nth` occurrence of `marker` (the call's
// first byte), and returns the fixed text, or nullopt when it declines.
std::optional<std::string> fixed(const std::string& text, std::string_view marker,
                                 const std::map<std::string, std::string>& options = {},
                                 const std::string& path = "train.py", int nth = 0) {
  MemorySnapshot snapshot(std::map<std::string, std::string>{{path, text}});
  CheckResult result;
  RuleSet rules;
  FixContext context(snapshot, result, rules);
  context.set_options(&options);
  size_t at = text.find(marker);
  for (int i = 0; i < nth && at != std::string::npos; ++i) at = text.find(marker, at + 1);
  EXPECT_NE(at, std::string::npos) << marker;
  Finding f;
  f.rule_id = "DAT004";
  f.where.path = path;
  TextEdit pos = make_edit(path, text, at, at, "");
  f.where.line = pos.start_line;
  f.where.column = pos.start_column;
  auto fix = fix_split_seed(context, f);
  if (!fix) return std::nullopt;
  EXPECT_EQ(fix->applicability, Applicability::Unsafe);
  EXPECT_FALSE(fix->message.empty());
  std::sort(fix->edits.begin(), fix->edits.end());
  return apply_edits(text, fix->edits);
}

const std::string kImports = "from sklearn.model_selection import KFold, ShuffleSplit, train_test_split\n";

TEST(SplitSeedFixer, OneLineCalls) {
  EXPECT_EQ(fixed(kImports + "a = train_test_split(X, y, test_size=0.2)\n", "train_test_split("),
            kImports + "a = train_test_split(X, y, test_size=0.2, random_state=42)\n");
  EXPECT_EQ(fixed(kImports + "s = ShuffleSplit()\n", "ShuffleSplit()"),
            kImports + "s = ShuffleSplit(random_state=42)\n");
  EXPECT_EQ(fixed(kImports + "s = ShuffleSplit(  )\n", "ShuffleSplit("),
            kImports + "s = ShuffleSplit(random_state=42  )\n");
  EXPECT_EQ(fixed(kImports + "s = train_test_split(X, y,)\n", "train_test_split("),
            kImports + "s = train_test_split(X, y, random_state=42,)\n");
  // `KFold(...).split(X)` starts two calls at one byte: the splitter's gets the seed.
  EXPECT_EQ(fixed(kImports + "for tr, te in KFold(5, shuffle=True).split(X): pass\n", "KFold("),
            kImports + "for tr, te in KFold(5, shuffle=True, random_state=42).split(X): pass\n");
}

TEST(SplitSeedFixer, ImportedUnderAnotherName) {
  EXPECT_EQ(fixed("from sklearn.model_selection import train_test_split as tts\na = tts(X)\n", "tts(X"),
            "from sklearn.model_selection import train_test_split as tts\na = tts(X, random_state=42)\n");
  EXPECT_EQ(fixed("import sklearn.model_selection as ms\na = ms.KFold(shuffle=True)\n", "ms.KFold("),
            "import sklearn.model_selection as ms\na = ms.KFold(shuffle=True, random_state=42)\n");
  EXPECT_EQ(fixed("from mylib import split as tts\na = tts(X)\n", "tts(X"), std::nullopt);
}

TEST(SplitSeedFixer, TheRuleOptionSetsTheLiteral) {
  EXPECT_EQ(fixed(kImports + "s = ShuffleSplit()\n", "ShuffleSplit(", {{"seed", "7"}}),
            kImports + "s = ShuffleSplit(random_state=7)\n");
  // An option that is not an integer literal is not pasted into code.
  EXPECT_EQ(fixed(kImports + "s = ShuffleSplit()\n", "ShuffleSplit(", {{"seed", "cfg.seed"}}), std::nullopt);
}

TEST(SplitSeedFixer, MultiLineCalls) {
  // One argument per line, no trailing comma: a comma after the last one, the seed on its own
  // line with the same indentation, comments kept where they were.
  EXPECT_EQ(
      fixed(kImports + "a = train_test_split(\n    X,  # features\n    # labels\n    y\n)\n",
            "train_test_split("),
      kImports + "a = train_test_split(\n    X,  # features\n    # labels\n    y,\n    random_state=42\n)\n");
  EXPECT_EQ(fixed(kImports + "a = train_test_split(\n\tX,\n\ty  # labels\n)\n", "train_test_split("),
            kImports + "a = train_test_split(\n\tX,\n\ty,  # labels\n\trandom_state=42\n)\n");
  // Trailing comma kept.
  EXPECT_EQ(fixed(kImports + "f = KFold(\n    n_splits=5,\n    shuffle=True,  # why\n)\n", "KFold("),
            kImports + "f = KFold(\n    n_splits=5,\n    shuffle=True,  # why\n    random_state=42,\n)\n");
  // Closing parenthesis on the last argument's line: appended there.
  EXPECT_EQ(fixed(kImports + "a = train_test_split(X,\n                     y)\n", "train_test_split("),
            kImports + "a = train_test_split(X,\n                     y, random_state=42)\n");
  // Several arguments on the last line: appended after the last one.
  EXPECT_EQ(fixed(kImports + "a = train_test_split(\n    X, y\n)\n", "train_test_split("),
            kImports + "a = train_test_split(\n    X, y, random_state=42\n)\n");
  // A multi-line last argument on its own line.
  EXPECT_EQ(
      fixed(kImports + "a = train_test_split(\n    X,\n    stratify=pick(\n        y),\n)\n",
            "train_test_split("),
      kImports + "a = train_test_split(\n    X,\n    stratify=pick(\n        y),\n    random_state=42,\n)\n");
}

TEST(SplitSeedFixer, CrlfStaysCrlf) {
  std::string text =
      "from sklearn.model_selection import train_test_split\r\na = train_test_split(\r\n    X,\r\n)\r\n";
  EXPECT_EQ(fixed(text, "train_test_split(\r\n"),
            "from sklearn.model_selection import train_test_split\r\na = train_test_split(\r\n    X,\r\n    "
            "random_state=42,\r\n)\r\n");
}

TEST(SplitSeedFixer, UsesTheProjectSeedInScope) {
  // A module constant assigned before a module-level call.
  EXPECT_EQ(fixed(kImports + "SEED = 7\ns = ShuffleSplit()\n", "ShuffleSplit("),
            kImports + "SEED = 7\ns = ShuffleSplit(random_state=SEED)\n");
  // ... but not one assigned after it (the call would raise NameError).
  EXPECT_EQ(fixed(kImports + "s = ShuffleSplit()\nSEED = 7\n", "ShuffleSplit("),
            kImports + "s = ShuffleSplit(random_state=42)\nSEED = 7\n");
  // Inside a function any module-level constant is in scope when the function runs.
  EXPECT_EQ(fixed(kImports + "def f():\n    return ShuffleSplit()\nrandom_state = 3\n", "ShuffleSplit("),
            kImports + "def f():\n    return ShuffleSplit(random_state=random_state)\nrandom_state = 3\n");
  // Not a constant reassigned, not a non-integer, not a count of seeds, not a shadowed one.
  EXPECT_EQ(fixed(kImports + "SEED = 1\nSEED = 2\ns = ShuffleSplit()\n", "ShuffleSplit("),
            kImports + "SEED = 1\nSEED = 2\ns = ShuffleSplit(random_state=42)\n");
  EXPECT_EQ(fixed(kImports + "SEED = cfg.seed\nN_SEEDS = 3\ns = ShuffleSplit()\n", "ShuffleSplit("),
            kImports + "SEED = cfg.seed\nN_SEEDS = 3\ns = ShuffleSplit(random_state=42)\n");
  EXPECT_EQ(
      fixed(kImports + "SEED = 1\ndef f():\n    SEED = None\n    return ShuffleSplit()\n", "ShuffleSplit("),
      kImports + "SEED = 1\ndef f():\n    SEED = None\n    return ShuffleSplit(random_state=42)\n");
  // A default value runs at module level: the function's own parameters are not bound there.
  EXPECT_EQ(fixed(kImports + "def f(seed=1, cv=ShuffleSplit()):\n    pass\n", "ShuffleSplit("),
            kImports + "def f(seed=1, cv=ShuffleSplit(random_state=42)):\n    pass\n");
  // A seed parameter of the enclosing function comes first.
  EXPECT_EQ(fixed(kImports + "SEED = 1\ndef f(X, seed=None):\n    return train_test_split(X)\n",
                  "train_test_split(X"),
            kImports + "SEED = 1\ndef f(X, seed=None):\n    return train_test_split(X, random_state=seed)\n");
}

TEST(SplitSeedFixer, DeclinesWhatItCannotSeedSafely) {
  // **kwargs may hold the seed; the keyword is already there (a stale finding).
  EXPECT_EQ(fixed(kImports + "a = train_test_split(X, **opts)\n", "train_test_split("), std::nullopt);
  EXPECT_EQ(fixed(kImports + "a = train_test_split(X, random_state=0)\n", "train_test_split("), std::nullopt);
  // Positional arguments that reach the seed's position (old signatures), or *args.
  EXPECT_EQ(fixed(kImports + "s = ShuffleSplit(10, 0.2, None, 0)\n", "ShuffleSplit("), std::nullopt);
  EXPECT_EQ(fixed(kImports + "s = ShuffleSplit(10, 0.2, None)\n", "ShuffleSplit("),
            kImports + "s = ShuffleSplit(10, 0.2, None, random_state=42)\n");
  EXPECT_EQ(fixed(kImports + "s = KFold(*args)\n", "KFold("), std::nullopt);
  EXPECT_EQ(fixed(kImports + "a = train_test_split(*arrays)\n", "train_test_split("),
            kImports + "a = train_test_split(*arrays, random_state=42)\n");
  // Not a splitter, not a call, a generator argument, a file that does not parse, a notebook.
  EXPECT_EQ(fixed(kImports + "a = print(X)\n", "print("), std::nullopt);
  EXPECT_EQ(fixed(kImports + "a = X\n", "X\n"), std::nullopt);
  EXPECT_EQ(fixed(kImports + "a = train_test_split(x for x in X)\n", "train_test_split("), std::nullopt);
  EXPECT_EQ(fixed(kImports + "a = train_test_split(X\ndef (:\n", "train_test_split("), std::nullopt);
  EXPECT_EQ(fixed(kImports + "a = train_test_split(X)\n", "train_test_split(", {}, "train.ipynb"),
            std::nullopt);
}

TEST(SplitSeedFixer, TorchRandomSplit) {
  const std::string from = "from torch.utils.data import random_split\n";
  EXPECT_EQ(fixed("import torch\n" + from + "a, b = random_split(ds, [8, 2])\n", "random_split(ds"),
            "import torch\n" + from +
                "a, b = random_split(ds, [8, 2], generator=torch.Generator().manual_seed(42))\n");
  EXPECT_EQ(
      fixed("import torch.utils.data\nimport torch.nn as nn\na = torch.utils.data.random_split(ds, [8, 2])\n",
            "torch.utils.data.random_split("),
      "import torch.utils.data\nimport torch.nn as nn\na = torch.utils.data.random_split(ds, [8, 2], "
      "generator=torch.Generator().manual_seed(42))\n");
  // torch not bound as a module name: the fix imports it.
  EXPECT_EQ(fixed(from + "SEED = 5\na = random_split(ds, [8, 2])\n", "random_split(ds"),
            "import torch\n" + from +
                "SEED = 5\na = random_split(ds, [8, 2], generator=torch.Generator().manual_seed(SEED))\n");
  // A generator passed by position; a seed parameter that may be None (manual_seed(None) raises).
  EXPECT_EQ(fixed("import torch\n" + from + "a = random_split(ds, [8, 2], g)\n", "random_split(ds"),
            std::nullopt);
  EXPECT_EQ(fixed("import torch\n" + from + "def f(ds, seed=None):\n    return random_split(ds, [8, 2])\n",
                  "random_split(ds"),
            std::nullopt);
  EXPECT_EQ(
      fixed("import torch\n" + from + "def f(ds, seed: int = 3):\n    return random_split(ds, [8, 2])\n",
            "random_split(ds"),
      "import torch\n" + from +
          "def f(ds, seed: int = 3):\n    return random_split(ds, [8, 2], "
          "generator=torch.Generator().manual_seed(seed))\n");
}

// Through the rule: run_check finds the split, attach_fixes attaches the fix, and after applying
// it the rule no longer fires (so a second --fix changes nothing).
TEST(SplitSeedFixer, AttachedToTheRuleAndIdempotent) {
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules({}, errors);  // the built-in rules
  ASSERT_TRUE(errors.empty());
  std::string text =
      kImports + "X, y = [1, 2, 3, 4], [0, 1, 0, 1]\nparts = train_test_split(X, y, test_size=0.5)\n";
  MemorySnapshot snapshot(std::map<std::string, std::string>{{"train.py", text}});
  auto check = [&](const Snapshot& s) {
    CheckOptions opts;
    opts.jobs = 1;
    CheckResult r = run_check(s, rules, opts);
    std::erase_if(r.findings, [](const Finding& f) { return f.rule_id != "DAT004"; });
    attach_fixes(r, s, rules);
    return r;
  };
  CheckResult before = check(snapshot);
  ASSERT_EQ(before.findings.size(), 1u);
  ASSERT_TRUE(before.findings[0].fix);
  EXPECT_EQ(before.findings[0].fix->applicability, Applicability::Unsafe);
  FixRun safe_only = run_fixes(snapshot, false, check);
  EXPECT_TRUE(safe_only.fixed.empty());
  FixRun run = run_fixes(snapshot, true, check);
  ASSERT_EQ(run.fixed.count("train.py"), 1u);
  EXPECT_NE(run.fixed["train.py"].find("test_size=0.5, random_state=42)"), std::string::npos);
  EXPECT_TRUE(run.result.findings.empty());
}

}  // namespace
}  // namespace mlops
