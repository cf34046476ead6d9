// `fix --scaffold`: starting points for missing practices, written as new files.
#pragma once

#include <string>
#include <vector>

namespace mlops::cli {

struct FixScaffoldArgs {
  std::vector<std::string> scaffold;  // rule ids, or "missing"
  std::string path = ".";
  std::string ci;  // github, gitlab; empty: from the git remote
  bool dry_run = false;
};

// `fix --scaffold ID...|missing [PATH]`: runs the check, plans the practice scaffolds
// (fix/scaffold.h) and writes each new file atomically, never over an existing one. Prints what
// was written or skipped and what is still to fill in. Exit 0 when every file was written or
// skipped, 2 on errors (unknown id, unreadable path, a refused write).
int run_fix_scaffold_command(FixScaffoldArgs a);

}  // namespace mlops::cli
