// Scores: partial practices count half, the maturity says what blocks the next level, and a
// project that is not an ML project gets neither.
#include "engine/scores.h"

#include <gtest/gtest.h>

namespace mlops {
namespace {

PracticeStatus ps(const std::string& practice, const std::string& status) {
  return {practice, status, {}, {}};
}

TEST(Scores, PartialCountsHalf) {
  Scores s = compute_scores({ps("tests", "present"), ps("dependency_pinning", "partial")});
  EXPECT_TRUE(s.scored);
  EXPECT_EQ(s.overall, 75);
  for (const auto& a : s.areas) {
    if (a.area == "code") {
      EXPECT_EQ(a.score, 75);
    }
  }
}

TEST(Scores, MaturityReasonNamesTheBlockingPractices) {
  // Level 1 practices all present, a level 2 one partial: level 1, and the reason says why not 2.
  Scores s = compute_scores({ps("seeds", "present"), ps("documentation", "present"), ps("tests", "partial"),
                             ps("ci", "missing"), ps("deployment", "missing")});
  EXPECT_EQ(s.maturity, 1);
  EXPECT_EQ(s.maturity_name, "reproducible");
  EXPECT_NE(s.maturity_reason.find("level 2"), std::string::npos) << s.maturity_reason;
  EXPECT_NE(s.maturity_reason.find("tests (partial)"), std::string::npos) << s.maturity_reason;
  EXPECT_NE(s.maturity_reason.find("ci"), std::string::npos) << s.maturity_reason;
  // Level 3 practices do not block level 2.
  EXPECT_EQ(s.maturity_reason.find("deployment"), std::string::npos) << s.maturity_reason;

  Scores top = compute_scores({ps("seeds", "present"), ps("deployment", "present")});
  EXPECT_EQ(top.maturity, 3);
  EXPECT_TRUE(top.maturity_reason.empty());
}

TEST(Scores, NotAnMlProjectHasNoScore) {
  Scores s = compute_scores({ps("privacy", "present"), ps("large_files_managed", "present")}, false);
  EXPECT_FALSE(s.scored);
  EXPECT_EQ(s.score_reason, "not an ML project");
  EXPECT_EQ(s.overall, -1);
}

}  // namespace
}  // namespace mlops
