// Tags as repository facts: the tags that mark a commit or one of its ancestors (a release or a
// registered model version that the scanned code descends from).
#pragma once
#include <git2.h>

#include <string>
#include <vector>

namespace mlops {

// Hard cap on tags looked at: each costs an ancestry check.
inline constexpr size_t kMaxTagsConsidered = 5000;

// Names (without refs/tags/), sorted, of tags whose target commit is `commit` or an ancestor.
std::vector<std::string> tags_reachable_from(git_repository* repo, const git_oid& commit);

// The same for each commit of a first-parent chain, newest first (each commit an ancestor of the
// one before it): a tag reachable from a commit is reachable from every newer one, so each tag
// costs a binary search over the chain instead of an ancestry check per commit.
std::vector<std::vector<std::string>> tags_along_first_parents(git_repository* repo,
                                                               const std::vector<git_oid>& chain);

}  // namespace mlops
