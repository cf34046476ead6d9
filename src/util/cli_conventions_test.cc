// Suggestions for typos and the colour decision.
#include "util/cli_conventions.h"

#include <gtest/gtest.h>

namespace mlops {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("format", "format"), 0u);
  EXPECT_EQ(edit_distance("fromat", "format"), 1u);  // one swap
  EXPECT_EQ(edit_distance("chekc", "check"), 1u);
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);
  EXPECT_EQ(edit_distance("abc", "ca"), 3u);
  EXPECT_EQ(edit_distance("formt", "format"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(ClosestMatch, SuggestsTheNearestFlag) {
  std::vector<std::string> flags = {"--format", "--output", "--fail-on", "--files", "--select"};
  EXPECT_EQ(closest_match("--fromat", flags), "--format");
  EXPECT_EQ(closest_match("--slect", flags), "--select");
  EXPECT_EQ(closest_match("--file", flags), "--files");
  EXPECT_EQ(closest_match("-format", flags), "--format");
}

TEST(ClosestMatch, NothingWhenNoCandidateIsClose) {
  std::vector<std::string> flags = {"--format", "--output"};
  EXPECT_EQ(closest_match("--zzzzzzzz", flags), std::nullopt);
  EXPECT_EQ(closest_match("--", flags), std::nullopt);
  EXPECT_EQ(closest_match("x", {}), std::nullopt);
  EXPECT_EQ(closest_match("chek", {"check", "rules", "explain"}), "check");
  EXPECT_EQ(closest_match("frobnicate", {"check", "rules", "explain"}), std::nullopt);
}

TEST(ColourEnabled, FlagWinsThenNoColorThenForceColor) {
  EXPECT_TRUE(colour_enabled("always", false, "1", nullptr));
  EXPECT_FALSE(colour_enabled("never", true, nullptr, "1"));
  EXPECT_FALSE(colour_enabled("auto", true, "1", nullptr));
  EXPECT_TRUE(colour_enabled("auto", true, "", nullptr));  // empty NO_COLOR is unset
  EXPECT_TRUE(colour_enabled("auto", false, nullptr, "1"));
  EXPECT_FALSE(colour_enabled("auto", false, nullptr, ""));
  EXPECT_FALSE(colour_enabled("auto", false, "1", "1"));
  EXPECT_TRUE(colour_enabled("auto", true, nullptr, nullptr));
  EXPECT_FALSE(colour_enabled("auto", false, nullptr, nullptr));
}

}  // namespace
}  // namespace mlops
