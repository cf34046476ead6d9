// `init`: a starter configuration chosen from what the repository does, and on request the
// pre-commit hook and a CI job.
#pragma once

#include <string>

namespace mlops::cli {

struct InitArgs {
  std::string path = ".";
  bool force = false;
  bool pre_commit = false;
  std::string ci;  // github or gitlab
};

int run_init_command(const InitArgs& a);

}  // namespace mlops::cli
