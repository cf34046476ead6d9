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

TEST(Strings, TrimAndEscape) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(escape_markup("<a href=\"x\">&'\x01"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39; ");
}

}  // namespace
}  // namespace mlops
