// check_toml_depth: refuses what would overflow toml++'s stack, passes real TOML untouched.
#include "util/toml_guard.h"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <string>

namespace mlops {
namespace {

std::string repeat(std::string_view s, size_t n, std::string_view sep = "") {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += sep;
    out += s;
  }
  return out;
}

TEST(TomlGuard, PassesOrdinaryPyproject) {
  const std::string text = R"([project]
name = "x"
version = "1.0"   # a.b.c in a comment
dependencies = ["numpy>=1.2", "torch==2.1.0"]
"quoted.key.with.dots" = 1
pi = 3.14159
when = 1979-05-27T07:32:00Z

[tool.mlops-lint]
select = ["ALL"]
severity = { TRK001 = "error", nested = { a.b = [[1, 2], [3, {c = 4}]] } }
text = """
[not.a.header] = {{{{ [[[[ """
lit = '''a.b.c [ { '''

[[tool.poetry.source]]
name = "pypi"
)";
  EXPECT_FALSE(check_toml_depth(text).has_value());
  EXPECT_NO_THROW(toml::parse(text));
}

TEST(TomlGuard, RefusesLongDottedKey) {
  // 50,000 segments crashed toml++ (stack overflow): refused before parsing.
  std::string text = "[project]\nname = 'x'\n" + repeat("a", 50000, ".") + " = 1\n";
  auto e = check_toml_depth(text);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line, 3);
  EXPECT_EQ(e->message, "TOML nested deeper than 128 levels; not parsed");
}

TEST(TomlGuard, RefusesDeepHeaderAndCountsItWithKeys) {
  EXPECT_TRUE(check_toml_depth("[" + repeat("a", 129, ".") + "]\n").has_value());
  EXPECT_FALSE(check_toml_depth("[" + repeat("a", 128, ".") + "]\n").has_value());
  // Header segments and the key's segments add up.
  EXPECT_TRUE(
      check_toml_depth("[" + repeat("a", 100, ".") + "]\n" + repeat("b", 29, ".") + " = 1\n").has_value());
  EXPECT_FALSE(
      check_toml_depth("[" + repeat("a", 100, ".") + "]\n" + repeat("b", 27, ".") + " = 1\n").has_value());
}

TEST(TomlGuard, RefusesDeepArraysAndInlineTables) {
  EXPECT_TRUE(check_toml_depth("x = " + repeat("[", 200) + repeat("]", 200) + "\n").has_value());
  EXPECT_TRUE(check_toml_depth("x = " + repeat("{a = ", 200) + "1" + repeat("}", 200) + "\n").has_value());
  // Arrays spread over lines stay open across newlines.
  EXPECT_TRUE(check_toml_depth("x = " + repeat("[\n", 200) + repeat("]\n", 200)).has_value());
  std::string ok = "x = " + repeat("[", 100) + repeat("]", 100) + "\n";
  EXPECT_FALSE(check_toml_depth(ok).has_value());
  EXPECT_NO_THROW(toml::parse(ok));
}

TEST(TomlGuard, StringsAndCommentsDoNotCount) {
  std::string text = "x = \"" + repeat("[a.", 500) + "\"\ny = '" + repeat("{", 500) + "'\n# " +
                     repeat("[", 500) + "\nz = \"\"\"\n" + repeat("a.b.", 300) + "\n\"\"\"\n";
  EXPECT_FALSE(check_toml_depth(text).has_value());
  EXPECT_NO_THROW(toml::parse(text));
  // A quoted key segment holding dots is one segment.
  EXPECT_FALSE(check_toml_depth("\"" + repeat("a", 300, ".") + "\" = 1\n").has_value());
}

TEST(TomlGuard, UnterminatedInputEnds) {
  EXPECT_FALSE(check_toml_depth("x = \"abc").has_value());
  EXPECT_FALSE(check_toml_depth("x = '''abc").has_value());
  EXPECT_FALSE(check_toml_depth("[a.b").has_value());
  EXPECT_FALSE(check_toml_depth("x = \"\\").has_value());
  EXPECT_FALSE(check_toml_depth("").has_value());
}

}  // namespace
}  // namespace mlops
