#include "util/yaml_load.h"

#include <gtest/gtest.h>

namespace mlops {

TEST(YamlLoad, LoadsMultiDocumentStreams) {
  YamlLoadResult r = load_yaml_documents("a: 1\n---\nkind: Rollout\n---\n- x\n");
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.documents.size(), 3u);
  EXPECT_EQ(r.documents[1]["kind"].as<std::string>(), "Rollout");
}

TEST(YamlLoad, ReportsSyntaxErrorsWithTheirLine) {
  YamlLoadResult r = load_yaml_documents("a: 1\nb: [unclosed\n");
  EXPECT_FALSE(r.error.empty());
  EXPECT_GE(r.line, 2);
  EXPECT_TRUE(r.documents.empty());
}

// Found by fuzz_yaml_queries: yaml-cpp's LoadAll loops forever (and allocates without bound) on
// these streams. They must come back as errors.
TEST(YamlLoad, StreamsThatHangYamlCppAreErrors) {
  for (const char* text : {", x", "&a, *a,", "!t ,", "a: 1\n---\n, x", "\"x\"\n, y", "%YAML 1.2\n---\n,"}) {
    YamlLoadResult r = load_yaml_documents(text);
    EXPECT_FALSE(r.error.empty()) << text;
    EXPECT_TRUE(r.documents.empty()) << text;
  }
}

// A "billion laughs": nine levels of nine aliases load as shared nodes, and any walk that follows
// them visits 9^9 nodes. Refused before loading.
TEST(YamlLoad, RefusesAnAliasBomb) {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  YamlLoadResult r = load_yaml_documents(bomb);
  EXPECT_EQ(r.error, "YAML holds more than 1000000 nodes once its aliases are expanded; not read");
  EXPECT_TRUE(r.documents.empty());
}

TEST(YamlLoad, KeepsOrdinaryAliases) {
  YamlLoadResult ok = load_yaml_documents("defaults: &d {image: python}\njob1: *d\njob2: *d\n");
  ASSERT_TRUE(ok.error.empty()) << ok.error;
  EXPECT_EQ(ok.documents[0]["job2"]["image"].as<std::string>(), "python");
}

TEST(YamlLoad, RefusesDeepNesting) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += std::string(static_cast<size_t>(i) * 2, ' ') + "k:\n";
  deep += std::string(200, ' ') + "v: 1\n";
  YamlLoadResult r = load_yaml_documents(deep);
  EXPECT_EQ(r.error, "YAML nested deeper than 64 levels; not read");
  std::string shallow;
  for (int i = 0; i < 20; ++i) shallow += std::string(static_cast<size_t>(i) * 2, ' ') + "k:\n";
  shallow += std::string(40, ' ') + "v: 1\n";
  EXPECT_TRUE(load_yaml_documents(shallow).error.empty());
}

}  // namespace mlops
