// Configuration files a hostile repository can write: alias bombs and deep TOML are refused with
// a diagnostic instead of exhausting memory or the stack.
#include "config/config.h"

#include <gtest/gtest.h>

#include <string>

namespace mlops {
namespace {

TEST(ConfigBounds, YamlAliasBombIsRefused) {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  bomb += "exclude: *a8\n";
  ConfigResult r = parse_yaml_config(".mlops-lint.yaml", bomb, "/tmp");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message,
            "YAML holds more than 1000000 nodes once its aliases are expanded; not read");
  EXPECT_TRUE(r.config.exclude.empty());
}

// Under the loader's limit but still far more values than a configuration holds.
TEST(ConfigBounds, TooManyValuesAreRefused) {
  std::string many = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 5; ++i) {
    many += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) many += (k ? ", *a" : "*a") + std::to_string(i - 1);
    many += "]\n";
  }
  ConfigResult r = parse_yaml_config(".mlops-lint.yaml", many, "/tmp");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "configuration holds more than 100000 values; not read");
}

TEST(ConfigBounds, DeepTomlInPyprojectIsInvalidNotACrash) {
  std::string key = "a";
  for (int i = 0; i < 50000; ++i) key += ".a";
  bool found = false;
  ConfigResult r =
      parse_pyproject_config("pyproject.toml", "[project]\nname = 'x'\n" + key + " = 1\n", "/tmp", found);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "invalid TOML: TOML nested deeper than 128 levels; not parsed");
  EXPECT_EQ(r.errors[0].where.line, 3);
}

}  // namespace
}  // namespace mlops
