// Fuzzes the text-based build and CI readers: Makefile, tox.ini, Jenkinsfile, shell scripts, the
// command splitter that resolves `make X` / `tox -e Y` / `nox -s Z` / `bash x.sh`, and the
// repository path normaliser.
#include <string_view>

#include "analysers/ci_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mlops::makefile_targets(text);
  mlops::tox_envs(text);
  mlops::jenkinsfile_commands(text);
  mlops::shell_script_commands(text);
  for (const auto& inv : mlops::invocations(text))
    for (const auto& p : inv.scopes)
      if (inv.runner == mlops::Runner::Script && (p.empty() || p[0] == '/' || p.starts_with("../")))
        __builtin_trap();
  mlops::normalise_repo_path(text);
  mlops::normalise_repo_path(text, "a/b");
  return 0;
}
