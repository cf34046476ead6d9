// Where something is: a repository-relative path ('/'-separated) and a 1-based line and column.
#pragma once
#include <compare>
#include <string>

namespace mlops {

struct Location {
  std::string path;  // relative to the scanned root; empty only for repository-wide diagnostics
  int line = 0;      // 1-based; 0 when the location is the whole file
  int column = 0;    // 1-based; 0 when unknown
  int cell = 0;      // notebook code cell (1-based) when the file is a notebook, else 0
  int cell_line = 0;
  // Evidence of a project found in shared repository infrastructure outside the project's root
  // (a root CI workflow, the root README, a root dags/ directory), not in the project itself.
  bool shared = false;

  auto operator<=>(const Location&) const = default;
};

// A problem reading the input (unparseable YAML, oversized file, ...): data, not an exception.
struct Diagnostic {
  Location where;
  std::string message;

  auto operator<=>(const Diagnostic&) const = default;
};

}  // namespace mlops
