// Tests of the sparse per-query match lists: reads of absent queries, filling, size and equality.
#include "model/facts.h"

#include <gtest/gtest.h>

namespace mlops {
namespace {

Match at(int line) {
  Match m;
  m.line = line;
  return m;
}

TEST(QueryMatches, AbsentQueriesReadEmpty) {
  QueryMatches qm;
  EXPECT_TRUE(qm.empty());
  EXPECT_EQ(qm.size(), 0u);
  EXPECT_TRUE(qm[0].empty());
  EXPECT_TRUE(qm[170].empty());
  EXPECT_EQ(qm.size(), 0u);  // reading creates nothing
}

TEST(QueryMatches, FillsOutOfOrderAndKeepsEachList) {
  QueryMatches qm;
  qm.list(9).push_back(at(3));
  qm.list(2).push_back(at(1));
  qm.list(2).push_back(at(5));
  qm.list(4);  // asked, matched nothing
  EXPECT_EQ(qm.size(), 10u);
  ASSERT_EQ(qm[2].size(), 2u);
  EXPECT_EQ(qm[2][1].line, 5);
  ASSERT_EQ(qm[9].size(), 1u);
  EXPECT_EQ(qm[9][0].line, 3);
  EXPECT_TRUE(qm[4].empty());
  EXPECT_TRUE(qm[3].empty());
}

TEST(QueryMatches, SizeIgnoresEmptyListsAndTrimKeepsMatches) {
  QueryMatches qm;
  qm.list(1).push_back(at(1));
  qm.list(7);
  EXPECT_EQ(qm.size(), 2u);
  qm.trim();
  EXPECT_EQ(qm.size(), 2u);
  EXPECT_EQ(qm[1].size(), 1u);
  QueryMatches none;
  none.list(3);
  EXPECT_TRUE(none.empty());
}

TEST(QueryMatches, EqualityComparesMatchesNotStorage) {
  QueryMatches a, b;
  a.list(2).push_back(at(4));
  a.list(5);
  b.list(2).push_back(at(4));
  EXPECT_EQ(a, b);
  b.list(6).push_back(at(1));
  EXPECT_NE(a, b);
  a.list(6).push_back(at(2));
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace mlops
