// Project configuration: `.mlops-lint.yaml` or `[tool.mlops-lint]` in pyproject.toml at the
// scanned root. Unknown keys and wrong types are errors with file:line (exit 2).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/selection.h"
#include "model/location.h"
#include "util/size.h"

namespace mlops {

struct Config {
  std::string source;  // the file it came from; empty for defaults
  Selection selection;
  std::vector<std::string> exclude;    // path globs
  std::string profile = "team";
  std::vector<std::string> rule_dirs;  // absolute, checked to lie inside the scanned root
  uint64_t max_file_size = 10ull * 1024 * 1024;
  uint64_t large_file_threshold = 10ull * 1024 * 1024;
  std::optional<std::string> fail_on;  // error, warning, info, never
  // glob -> rule codes: for files that cannot hold suppression comments (notebooks, JSON, locks)
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
  std::map<std::string, std::string> origins;  // key -> "FILE:line" that set it (--show-settings)
};

struct ConfigResult {
  Config config;
  std::vector<Diagnostic> errors;
};

// `explicit_path` (from --config) wins; otherwise the root is searched unless `discover` is false.
ConfigResult load_config(const std::string& root, const std::string& explicit_path, bool discover);

// Parses configuration text (for tests and for load_config). `path` is used in errors; `root`
// anchors rule directories.
ConfigResult parse_yaml_config(const std::string& path, const std::string& text, const std::string& root);
ConfigResult parse_pyproject_config(const std::string& path, const std::string& text,
                                    const std::string& root, bool& found);

}  // namespace mlops
