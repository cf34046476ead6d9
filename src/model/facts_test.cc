// Tests of the sparse per-query match lists: reads of absent queries, filling, size and equality.
#include "model/facts.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

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

TEST(TypedFacts, HeadAndValueAreSeparateFields) {
  Match m = fact(FactKind::Command, 4, "pytest -q", "test", Runner::Make);
  EXPECT_EQ(m.line, 4);
  EXPECT_EQ(m.head(), "test");
  EXPECT_EQ(m.value(), "pytest -q");
  EXPECT_EQ(m.runner, Runner::Make);
  // No byte of either field is a separator: any bytes survive, and the split stays exact.
  Match odd = fact(FactKind::CiTemplate, 1, std::string("a\x1f\0b", 4), std::string(".t\x1e", 3));
  EXPECT_EQ(odd.head(), std::string(".t\x1e", 3));
  EXPECT_EQ(odd.value(), std::string("a\x1f\0b", 4));
  Match cmd = odd.as_command();
  EXPECT_EQ(cmd.kind, FactKind::Command);
  EXPECT_EQ(cmd.text, std::string("a\x1f\0b", 4));
  EXPECT_TRUE(cmd.head().empty());
  Match plain;
  plain.text = "import torch";
  EXPECT_EQ(plain.kind, FactKind::Snippet);
  EXPECT_EQ(plain.value(), "import torch");
}

TEST(TypedFacts, TheTypeFieldsFitInPaddingMatchDidNotUse) {
  // A large scan holds millions of matches: the fact fields may not grow Match.
  struct Before {
    int line, column, cell, cell_line;
    std::string text;
    int scope;
  };
  EXPECT_EQ(sizeof(Match), sizeof(Before));
}

TEST(TypedFacts, EveryKindHasAName) {
  std::set<std::string> names;
  for (int k = 0; k <= static_cast<int>(kLastFactKind); ++k)
    names.insert(fact_kind_name(static_cast<FactKind>(k)));
  EXPECT_EQ(names.size(), static_cast<size_t>(kLastFactKind) + 1);
  EXPECT_EQ(names.count("?"), 0u);
}

}  // namespace
}  // namespace mlops
