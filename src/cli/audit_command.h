// `audit` (score many repositories, optionally into a store), `report` (render a store with
// trends) and `merge` (combine audit JSON from sharded runs): the commands over many repositories.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mlops::cli {

struct AuditArgs {
  std::vector<std::string> paths;
  std::string list;
  std::string format = "table";
  std::string output;
  std::string profile = "team";
  size_t history = 0;
  std::string since;  // YYYY-MM-DD
  unsigned jobs = 0;
  bool no_cache = false;
  std::string store;
  std::string shard;  // I/N
  bool quiet = false;
  bool no_findings = false;
};

int run_audit_command(const AuditArgs& a);
int run_report_command(const std::string& store_path, const std::string& format, const std::string& output);
int run_merge_command(const std::vector<std::string>& inputs, const std::string& format,
                      const std::string& output);

}  // namespace mlops::cli
