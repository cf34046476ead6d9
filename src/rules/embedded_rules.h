// The built-in rule files, embedded at build time (see cmake/EmbedRules.cmake).
#pragma once
#include <string_view>
#include <vector>

namespace mlops::rules {

struct EmbeddedFile {
  const char* path;
  std::string_view contents;
};

const std::vector<EmbeddedFile>& embedded_rule_files();

}  // namespace mlops::rules
