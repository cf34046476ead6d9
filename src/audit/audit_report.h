// Renderings of an audit: terminal table, JSON, CSV, Markdown and a self-contained HTML page.
#pragma once
#include <string>
#include <vector>

#include "audit/audit.h"

namespace mlops {

const std::vector<std::string>& audit_formats();
// Empty for an unknown format.
std::string render_audit(const std::string& format, const std::vector<RepoAudit>& repos,
                         const std::string& profile);

// Reads the `repos` of an audit JSON report (as written by render_audit "json"), for `merge`.
bool parse_audit_json(const std::string& text, std::vector<RepoAudit>& out, std::string& error);

// Keeps every N-th repository of the sorted list, starting at the I-th (1-based): shards are
// disjoint and together cover the list, whatever order the paths were given in.
std::vector<std::string> shard_repositories(std::vector<std::string> repos, size_t index, size_t count);

}  // namespace mlops
