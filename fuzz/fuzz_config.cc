// Fuzzes configuration parsing (.mlops-lint.yaml and [tool.mlops-lint]); repositories are untrusted.
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  mlops::parse_yaml_config(".mlops-lint.yaml", text, "/nonexistent-root");
  bool found = false;
  mlops::parse_pyproject_config("pyproject.toml", text, "/nonexistent-root", found);
  return 0;
}
