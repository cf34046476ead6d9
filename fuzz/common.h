// Shared by the fuzz targets: runs every query of a small rule set over one file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysers/file_analyser.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"

namespace mlops::fuzz {

inline const RuleSet& builtin_rules() {
  static const RuleSet rules = [] {
    std::vector<Diagnostic> errors;
    return load_rules({}, errors);
  }();
  return rules;
}

// Analyses `data` as a file named `path` with every built-in query that applies to it.
inline void analyse_as(const std::string& path, const uint8_t* data, size_t size) {
  const RuleSet& rules = builtin_rules();
  FileEntry entry;
  entry.path = path;
  entry.size = size;
  std::vector<size_t> relevant;
  for (size_t q = 0; q < rules.queries.size(); ++q)
    if (query_applies_to(rules.queries[q], path)) relevant.push_back(q);
  analyse_file(entry, std::string_view(reinterpret_cast<const char*>(data), size), rules.queries, relevant);
}

}  // namespace mlops::fuzz
