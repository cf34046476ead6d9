// Fuzzes requirements.txt parsing: requirements, `-r` / `-c` includes and their path resolution.
#include <string_view>

#include "analysers/manifests.h"
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mlops::read_requirements(text);
  for (const auto& inc : mlops::read_requirement_includes(text)) {
    auto path = mlops::resolve_repo_path("svc/requirements.txt", inc.ref);
    // A resolved path never climbs out of the repository nor is absolute.
    if (path && (path->starts_with("/") || path->starts_with("../") || *path == "..")) __builtin_trap();
  }
  mlops::fuzz::analyse_as("requirements-dev.txt", data, size);
  mlops::fuzz::analyse_as("Pipfile.lock", data, size);
  return 0;
}
