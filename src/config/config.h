// Project configuration: `.mlops-lint.yaml` or `[tool.mlops-lint]` in pyproject.toml at the
// scanned root. Unknown keys and wrong types are errors with file:line (exit 2).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/selection.h"
#include "model/location.h"
#include "util/size.h"

namespace mlops {

// The most a file read for analysis may weigh unless the command line (--max-file-size) says
// more: a repository's own config may lower the limit, never raise it above this.
constexpr uint64_t kHardMaxFileSize = 16ull << 20;

struct Config {
  std::string source;  // the file it came from; empty for defaults
  Selection selection;
  std::vector<std::string> exclude;  // path globs
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
  std::vector<Diagnostic> errors;    // the run cannot go on as configured (exit 2)
  std::vector<Diagnostic> warnings;  // shown; the run goes on (e.g. an unreadable pyproject.toml)
};

// `explicit_path` (from --config) wins and is read as given (the user chose it); otherwise the
// root is searched unless `discover` is false. Discovered files are read through the confined
// layer: a `.mlops-lint.yaml` that is a symlink leaving the root, a FIFO or too large is an error
// (it exists only to configure this tool, so running without it would silently change results);
// such a `pyproject.toml`, which mostly configures other tools, is a warning and defaults apply.
ConfigResult load_config(const std::string& root, const std::string& explicit_path, bool discover);

// Parses configuration text (for tests and for load_config). `path` is used in errors; `root`
// anchors rule directories.
ConfigResult parse_yaml_config(const std::string& path, const std::string& text, const std::string& root);
ConfigResult parse_pyproject_config(const std::string& path, const std::string& text, const std::string& root,
                                    bool& found);

}  // namespace mlops
