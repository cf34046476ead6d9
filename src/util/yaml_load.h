// Loads every document of a YAML stream with yaml-cpp, guarding against its known hang: some
// invalid streams (a document that starts with ',', e.g. ", x" or "&a, b") make
// YAML::LoadAll produce empty documents forever without consuming input. Streams nested deeper
// than kMaxYamlDepth, or holding more than kMaxYamlExpandedNodes nodes once aliases are expanded
// (an alias bomb), are refused with an error: every walk of the documents is then bounded.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace mlops {

struct YamlLoadResult {
  std::vector<YAML::Node> documents;
  std::string error;  // empty on success
  int line = 0;       // 1-based line of the error
  int column = 0;
};

// `guard`: measure depth and expanded size in a first pass over the events (untrusted text).
// Text compiled into the binary (the built-in rules, tested at build) skips that second scan.
YamlLoadResult load_yaml_documents(std::string_view text, bool guard = true);

}  // namespace mlops
