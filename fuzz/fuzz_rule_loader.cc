// Fuzzes the rule loader: rule files come from user (and, via config, repository) directories.
#include <string>

#include "rules/rule_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlops::RuleLoader loader;
  loader.add({"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)});
  loader.finish();
  return 0;
}
