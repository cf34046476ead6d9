// Tests of the Python-source lookups the fixers share: calls by position, imports, where a new
// import goes, seed names, module constants, parameters and locals, plain string literals.
#include "fix/fixers/python_source.h"

#include <gtest/gtest.h>

namespace mlops {
namespace {

std::shared_ptr<const PySource> parse(std::string_view text) {
  auto src = PySource::parse(text);
  EXPECT_TRUE(src) << text;
  return src;
}

// The first node of `type` whose text is `text`.
std::optional<TSNode> find(const PySource& src, TSNode n, std::string_view type, std::string_view text) {
  if (is_type(n, type) && src.text(n) == text) return n;
  for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i)
    if (auto f = find(src, ts_node_named_child(n, i), type, text)) return f;
  return std::nullopt;
}

TEST(PythonSource, RefusesFilesThatDoNotParseOrAreTooBig) {
  EXPECT_FALSE(PySource::parse("def f(:\n  pass\n"));
  EXPECT_FALSE(PySource::parse(std::string(kMaxFixPythonBytes + 1, '#')));
  EXPECT_TRUE(PySource::parse("x = 1\n"));
  EXPECT_TRUE(PySource::parse(""));
  // Nesting deeper than any code a fixer handles: walks up such a tree would cost its depth
  // squared.
  std::string deep = "x = f(" + std::string(2000, '[') + std::string(2000, ']') + ")\n";
  EXPECT_FALSE(PySource::parse(deep));
  std::string shallow = "x = f(" + std::string(50, '[') + std::string(50, ']') + ")\n";
  EXPECT_TRUE(PySource::parse(shallow));
}

TEST(PythonSource, CallsAtAnOffsetInnermostFirst) {
  std::string text = "folds = KFold(shuffle=True).split(X)\n";
  auto src = parse(text);
  auto calls = src->calls_at(text.find("KFold"));
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(src->text(calls[0]), "KFold(shuffle=True)");
  EXPECT_EQ(src->text(calls[1]), "KFold(shuffle=True).split(X)");
  EXPECT_TRUE(src->calls_at(text.find("shuffle")).empty());
  EXPECT_TRUE(src->calls_at(0).empty());
  EXPECT_TRUE(src->calls_at(text.size() + 5).empty());
}

TEST(PythonSource, ModuleNamesBoundByImports) {
  auto src = parse("import torch as th\nimport os.path\nimport torchvision\n");
  EXPECT_EQ(src->module_name_for("torch"), "th");
  EXPECT_EQ(src->module_name_for("os"), "os");
  EXPECT_EQ(src->module_name_for("numpy"), std::nullopt);
  auto sub = parse("from torch.utils.data import random_split\nimport torch.utils.data\n");
  EXPECT_EQ(sub->module_name_for("torch"), "torch");
  // Only imports that end before `before` count (a module-level use needs the import above it).
  std::string late = "x = 1\nimport os\n";
  auto l = parse(late);
  EXPECT_EQ(l->module_name_for("os", late.find("import")), std::nullopt);
  EXPECT_EQ(l->module_name_for("os"), "os");
  // An import inside a function binds nothing at module level.
  EXPECT_EQ(parse("def f():\n    import os\n")->module_name_for("os"), std::nullopt);
}

TEST(PythonSource, ImportInsertionAfterDocstringAndFutureImports) {
  {
    std::string text = "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nX = 1\n";
    auto ins = parse(text)->import_insertion("import os");
    EXPECT_EQ(text.substr(0, ins.offset) + ins.text + text.substr(ins.offset),
              "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport os\n\nX = 1\n");
  }
  {
    // Before the first import, so it joins the import block.
    std::string text = "\"\"\"Doc.\"\"\"\n\n# deps\nimport wandb\n";
    auto ins = parse(text)->import_insertion("import os");
    EXPECT_EQ(text.substr(0, ins.offset) + ins.text + text.substr(ins.offset),
              "\"\"\"Doc.\"\"\"\n\n# deps\nimport os\nimport wandb\n");
  }
  {
    // No docstring: above the first statement, below a shebang and header comments; CRLF kept.
    std::string text = "#!/usr/bin/env python\r\n# header\r\nKEY = 1\r\n";
    auto ins = parse(text)->import_insertion("import os");
    EXPECT_EQ(text.substr(0, ins.offset) + ins.text + text.substr(ins.offset),
              "#!/usr/bin/env python\r\n# header\r\nimport os\r\nKEY = 1\r\n");
  }
  {
    // Only a docstring, without a final line break.
    std::string text = "'''Doc.'''";
    auto ins = parse(text)->import_insertion("import os");
    EXPECT_EQ(text.substr(0, ins.offset) + ins.text + text.substr(ins.offset), "'''Doc.'''\nimport os");
  }
  {
    // A statement on the docstring's line: after the docstring's line, never inside it.
    std::string text = "'''Doc.'''; X = 1\n";
    auto ins = parse(text)->import_insertion("import os");
    EXPECT_EQ(text.substr(0, ins.offset) + ins.text + text.substr(ins.offset),
              "'''Doc.'''; X = 1\nimport os\n");
  }
  {
    // A byte order mark stays first.
    std::string text = "\xEF\xBB\xBFimport wandb\n";
    auto ins = parse(text)->import_insertion("import os");
    EXPECT_EQ(text.substr(0, ins.offset) + ins.text + text.substr(ins.offset),
              "\xEF\xBB\xBFimport os\nimport wandb\n");
  }
  {
    std::string text = "# nothing but a comment";
    auto ins = parse(text)->import_insertion("import os");
    EXPECT_EQ(text.substr(0, ins.offset) + ins.text + text.substr(ins.offset),
              "# nothing but a comment\nimport os\n");
  }
}

TEST(PythonSource, SeedNames) {
  for (std::string_view yes : {"SEED", "seed", "RANDOM_SEED", "random_state", "RANDOM_STATE", "global_seed"})
    EXPECT_TRUE(looks_like_seed_name(yes)) << yes;
  for (std::string_view no : {"N_SEEDS", "seeds", "num_seed", "n_seed", "state", "rng", "RANDOM"})
    EXPECT_FALSE(looks_like_seed_name(no)) << no;
}

TEST(PythonSource, ModuleIntConstants) {
  auto src = parse(
      "SEED = 1\nA = B = 3\nC: int = 5\nD = 2.5\nE = cfg.seed\nF = 1\nF = 2\nG = 7\n"
      "if True:\n    G = 8\n"
      "def f():\n    H = 1\n");
  std::vector<std::string> names;
  for (const auto& k : src->module_int_constants()) names.push_back(k.name);
  EXPECT_EQ(names, (std::vector<std::string>{"SEED", "A", "B", "C"}));
}

TEST(PythonSource, ParametersAndLocals) {
  std::string text =
      "def f(a, seed=0, *args, random_state: int = 1, typed: int, **kw):\n"
      "    SEED = 3\n"
      "    for i in range(2):\n"
      "        pass\n"
      "    def inner():\n"
      "        other = 1\n"
      "    obj.attr = 2\n";
  auto src = parse(text);
  auto fn = find(*src, src->root(), "function_definition", text.substr(0, text.size() - 1));
  ASSERT_TRUE(fn);
  std::vector<std::string> names;
  for (const auto& p : function_parameters(*src, *fn)) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "seed", "random_state", "typed"}));
  EXPECT_TRUE(assigns_locally(*src, *fn, "SEED"));
  EXPECT_TRUE(assigns_locally(*src, *fn, "i"));
  EXPECT_FALSE(assigns_locally(*src, *fn, "other"));  // the nested function's own
  EXPECT_FALSE(assigns_locally(*src, *fn, "attr"));
  EXPECT_FALSE(assigns_locally(*src, *fn, "seed"));  // a parameter, not an assignment

  auto call = find(*src, src->root(), "identifier", "other");
  ASSERT_TRUE(call);
  auto inner = enclosing_function(*call);
  ASSERT_TRUE(inner);
  EXPECT_TRUE(src->text(*inner).starts_with("def inner"));
  EXPECT_FALSE(enclosing_function(*fn));
}

TEST(PythonSource, PlainStringContents) {
  std::string text =
      "a = 'x1'\nb = r\"x2\"\nc = '''x3'''\nd = f'x4{a}'\ne = b'x5'\nf = 'x6\\n'\ng = 'x7' 'x8'\nh = ''\n";
  auto src = parse(text);
  auto contents = [&](std::string_view literal) -> std::optional<std::string> {
    auto n = find(*src, src->root(), "string", literal);
    if (!n) return "<not found>";
    auto c = plain_string_contents(*src, *n);
    return c ? std::optional<std::string>(std::string(*c)) : std::nullopt;
  };
  EXPECT_EQ(contents("'x1'"), "x1");
  EXPECT_EQ(contents("r\"x2\""), "x2");
  EXPECT_EQ(contents("'''x3'''"), "x3");
  EXPECT_EQ(contents("f'x4{a}'"), std::nullopt);
  EXPECT_EQ(contents("b'x5'"), std::nullopt);
  EXPECT_EQ(contents("'x6\\n'"), std::nullopt);
  EXPECT_EQ(contents("'x7'"), std::nullopt);  // part of a concatenation
  EXPECT_EQ(contents("''"), "");
}

}  // namespace
}  // namespace mlops
