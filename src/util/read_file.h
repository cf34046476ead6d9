// Reading a whole local file (configs, rule files, baselines, fixtures) with a size cap, so a
// hostile or mistaken path cannot make the tool read gigabytes.
#pragma once
#include <cstdint>
#include <string>

namespace mlops {

struct FileRead {
  std::string bytes;
  std::string error;  // empty on success; otherwise what went wrong, ready to show
  bool ok() const { return error.empty(); }
};

// Files larger than `limit` are refused (error "larger than N MiB"), not truncated.
FileRead read_file_capped(const std::string& path, uint64_t limit);

}  // namespace mlops
