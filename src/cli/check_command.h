// `check`: its arguments and the run (configuration, rules, snapshot, fixes, baseline, reports).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mlops::cli {

struct CheckArgs {
  std::string path = ".";
  std::vector<std::string> positionals;  // PATH, or files (see resolve_positionals)
  std::vector<std::string> formats;
  std::vector<std::string> outputs;
  std::string config;
  bool no_config = false;
  std::vector<std::string> select, extend_select, ignore, files;
  std::string fail_on;
  bool exit_zero = false;
  unsigned jobs = 0;
  bool no_cache = false;
  bool quiet = false;
  bool statistics = false;
  std::string color = "auto";
  std::string profile;
  bool no_inline_ignores = false;
  std::string baseline, write_baseline;
  std::string max_file_size;  // --max-file-size: may exceed the hard limit a config cannot pass
  std::string diff_base;
  bool show_settings = false, show_files = false;
  bool fix = false, diff = false, unsafe_fixes = false;
  std::optional<std::string> add_suppressions;  // --add-suppressions REASON
};

// `check a.py b.py`, as pre-commit passes staged files: several positionals, or regular files,
// are --files of the repository around the working directory (the nearest directory above with
// a .git, else .); a single other positional is the PATH to check.
void resolve_positionals(CheckArgs& a);

// Exit 0 clean, 1 when a finding reaches --fail-on (or --diff has fixes), 2 on errors.
int run_check_command(const CheckArgs& a);

}  // namespace mlops::cli
