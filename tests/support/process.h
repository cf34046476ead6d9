// Running command lines in tests: exit status, stdout and stderr, each captured.
#pragma once
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace mlops::test_support {

struct CommandResult {
  int status = -1;  // the exit status; -1 when the command did not exit normally
  std::string out;  // stdout (and stderr, when the command sends it there with 2>&1)
  std::string err;  // stderr the command did not redirect itself
};

// Single-quotes a word for /bin/sh (the tests' paths and arguments hold no single quote).
inline std::string quote(const std::string& s) {
  return "'" + s + "'";
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `cmd` through /bin/sh. Its own redirections apply inside a group, so `cmd 2>&1` still
// puts stderr into `out`; what it leaves on stderr lands in `err`.
inline CommandResult run_shell(const std::string& cmd) {
  static TempDir scratch;
  static std::atomic<int> n{0};
  std::filesystem::path err = scratch.path() / ("stderr-" + std::to_string(n++));
  std::string full = "{ " + cmd + "\n} 2>" + quote(err.string());
  CommandResult r;
  FILE* p = popen(full.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), got);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.err = read_file(err);
  return r;
}

}  // namespace mlops::test_support
