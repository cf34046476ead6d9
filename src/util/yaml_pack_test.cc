#include "util/yaml_pack.h"

#include <gtest/gtest.h>

namespace mlops {
namespace {

// Structural equality with tags: what the rule loader reads of a node.
bool same(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type() || a.Tag() != b.Tag()) return false;
  switch (a.Type()) {
    case YAML::NodeType::Scalar:
      return a.Scalar() == b.Scalar();
    case YAML::NodeType::Sequence:
    case YAML::NodeType::Map: {
      if (a.size() != b.size()) return false;
      auto i = a.begin(), j = b.begin();
      for (; i != a.end(); ++i, ++j) {
        if (a.IsSequence() ? !same(*i, *j) : (!same(i->first, j->first) || !same(i->second, j->second)))
          return false;
      }
      return true;
    }
    default:
      return true;
  }
}

TEST(YamlPack, RoundTripKeepsTypesScalarsTagsAndOrder) {
  const char* text = R"(id: CFG001
zeta: 1
alpha: "quoted"
empty:
tilde: ~
list: [a, 'b', {c: d}]
block: |
  two
  lines
nested:
  - x: [1, 2]
    y: !custom tagged
  - - deep
anchors: &a {k: v}
alias: *a
)";
  YAML::Node doc = YAML::Load(text);
  std::optional<YAML::Node> back = unpack_yaml(pack_yaml(doc));
  ASSERT_TRUE(back);
  EXPECT_TRUE(same(doc, *back));
  // Key order is kept (the loader reports in the order written).
  auto it = back->begin();
  EXPECT_EQ(it->first.Scalar(), "id");
  EXPECT_EQ((++it)->first.Scalar(), "zeta");
  EXPECT_TRUE((*back)["empty"].IsNull());
  EXPECT_EQ((*back)["alpha"].Tag(), "!");
  EXPECT_EQ((*back)["nested"][0]["y"].Tag(), "!custom");
  EXPECT_EQ((*back)["alias"]["k"].Scalar(), "v");
  EXPECT_EQ((*back)["block"].Scalar(), "two\nlines\n");
}

TEST(YamlPack, CorruptInputIsRefused) {
  std::string packed = pack_yaml(YAML::Load("a: [b, c]"));
  EXPECT_FALSE(unpack_yaml(""));
  EXPECT_FALSE(unpack_yaml(packed.substr(0, packed.size() - 1)));
  EXPECT_FALSE(unpack_yaml(packed + "s"));
  EXPECT_FALSE(unpack_yaml("x"));
  // A 'q' record whose length runs past the input: 'q', NUL, nine 0xff bytes, NUL.
  std::string huge = "q";
  huge += '\0';
  huge.append(9, '\xff');
  huge += '\0';
  EXPECT_FALSE(unpack_yaml(huge));
}

}  // namespace
}  // namespace mlops
