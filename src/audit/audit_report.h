// Renderings of an audit: terminal table, JSON, CSV, Markdown and a self-contained HTML page.
#pragma once
#include <string>
#include <vector>

#include "audit/audit.h"

namespace mlops {

const std::vector<std::string>& audit_formats();
// Empty for an unknown format.
std::string render_audit(const std::string& format, const std::vector<RepoAudit>& repos, const std::string& profile);

}  // namespace mlops
