// The built-in rule files, embedded at build time (see cmake/EmbedRules.cmake): each one's YAML
// document packed by src/rules/embed/pack_rules.cc (util/yaml_pack.h), so that start-up does not
// scan YAML text.
#pragma once
#include <string_view>
#include <vector>

namespace mlops::rules {

struct EmbeddedFile {
  const char* path;
  std::string_view packed;  // unpack_yaml gives the file's document
};

const std::vector<EmbeddedFile>& embedded_rule_files();

}  // namespace mlops::rules
