#include "util/strings.h"

#include <gtest/gtest.h>

namespace mlops {
namespace {

TEST(Strings, SplitCommasDropsEmptyParts) {
  EXPECT_EQ(split_commas("a,,b,"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(split_commas("py311"), (std::vector<std::string>{"py311"}));
  EXPECT_TRUE(split_commas("").empty());
  EXPECT_TRUE(split_commas(",").empty());
}

TEST(Strings, Trim) {
  EXPECT_EQ(trim("  a b \n"), "a b");
}

}  // namespace
}  // namespace mlops
