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

}  // namespace mlops
