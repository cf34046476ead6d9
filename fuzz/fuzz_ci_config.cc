// Fuzzes the text-based build and CI readers: Makefile, tox.ini, Jenkinsfile, and the command
// splitter that resolves `make X` / `tox -e Y` / `pre-commit run`.
#include <string_view>

#include "analysers/ci_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mlops::makefile_targets(text);
  mlops::tox_envs(text);
  mlops::jenkinsfile_commands(text);
  mlops::invocations(text);
  return 0;
}
