// Dependency queries: packages declared (or unpinned) in a manifest, pinned by a lock file, a
// lock's whole contents, and a requirements file's includes, constraints and pins.
#include <algorithm>

#include "analysers/answer.h"
#include "analysers/manifests.h"

namespace mlops {
namespace {

// `names` empty: any package.
bool wanted(const FileQuery& q, const std::string& name) {
  return q.names.empty() || std::find(q.names.begin(), q.names.end(), name) != q.names.end();
}

// A constraints file may pin thousands of packages: more than kMaxMatchesPerQuery, still bounded.
constexpr size_t kMaxRequirementFacts = 20000;

}  // namespace

void answer_declared(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  if (q.main_only && manifest_kind(parsed.file().path) == ManifestKind::Pyproject)
    if (auto* t = parsed.toml(); t && !pyproject_name(*t).empty())
      out.push_back(fact(FactKind::ProjectName, 0, pyproject_name(*t)));
  for (const auto& d : parsed.deps())
    if (wanted(q, d.name) && !(q.main_only && d.optional) && !(q.versioned_only && d.bare))
      push(out, {d.line, 1, 0, 0, snippet(d.spec)});
}

void answer_unpinned(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  if (is_packaging_metadata(parsed.kind())) {  // ranges are the norm there (manifests.h)
    for (const Dependency* d : unpinned_in_metadata(parsed.deps()))
      if (wanted(q, d->name)) push(out, {d->line, 1, 0, 0, snippet(d->spec)});
    return;
  }
  for (const auto& d : parsed.deps())
    if (!d.pinned && wanted(q, d.name)) push(out, {d.line, 1, 0, 0, snippet(d.spec)});
}

void answer_locked(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  for (const auto& d : parsed.locks())
    if (wanted(q, d.name)) push(out, {d.line, 1, 0, 0, snippet(d.spec)});
}

// Every name, however many: one match, not one per package (the match cap must not make a
// package look unlocked).
void answer_lock_contents(const FileQuery& /*q*/, ParsedFile& parsed, std::vector<Match>& out) {
  std::vector<std::string> names;
  for (const auto& d : parsed.locks()) names.push_back(d.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string text;
  for (const auto& n : names) text += n + "\n";
  if (!text.empty()) out.push_back({1, 1, 0, 0, std::move(text)});
}

void answer_requirement_includes(const FileQuery& /*q*/, ParsedFile& parsed, std::vector<Match>& out) {
  if (parsed.kind() != ManifestKind::Requirements) return;
  for (auto& inc : read_requirement_includes(parsed.bytes()))
    if (out.size() < kMaxRequirementFacts)
      out.push_back(fact(inc.constraint ? FactKind::RequirementConstraint : FactKind::RequirementInclude,
                         inc.line, inc.ref, {}, Runner::None, 1));
  for (const auto& d : parsed.deps())
    if (d.pinned && out.size() < kMaxRequirementFacts)
      out.push_back(fact(FactKind::RequirementPin, d.line, d.name, {}, Runner::None, 1));
}

}  // namespace mlops
