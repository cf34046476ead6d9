// Tags reachable from a commit, through libgit2.
#include "repo/git_tags.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace mlops {
namespace {

struct TagList {
  git_repository* repo;
  std::vector<std::pair<std::string, git_oid>> tags;  // name, peeled commit
};

int collect(const char* name, git_oid* oid, void* payload) {
  auto* list = static_cast<TagList*>(payload);
  if (list->tags.size() >= kMaxTagsConsidered) return 1;  // stop: enough
  git_object* obj = nullptr;
  if (git_object_lookup(&obj, list->repo, oid, GIT_OBJECT_ANY) != 0) return 0;
  git_object* commit = nullptr;
  if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) == 0) {
    const char* prefix = "refs/tags/";
    std::string n = std::strncmp(name, prefix, std::strlen(prefix)) == 0 ? name + std::strlen(prefix) : name;
    list->tags.push_back({std::move(n), *git_object_id(commit)});
    git_object_free(commit);
  }
  git_object_free(obj);  // tags on trees or blobs mark no commit
  return 0;
}

bool reaches(git_repository* repo, const git_oid& commit, const git_oid& target) {
  return git_oid_equal(&target, &commit) || git_graph_descendant_of(repo, &commit, &target) == 1;
}

}  // namespace

std::vector<std::string> tags_reachable_from(git_repository* repo, const git_oid& commit) {
  TagList list{repo, {}};
  git_tag_foreach(repo, collect, &list);
  std::vector<std::string> out;
  for (const auto& [name, target] : list.tags)
    if (reaches(repo, commit, target)) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<std::string>> tags_along_first_parents(git_repository* repo,
                                                               const std::vector<git_oid>& chain) {
  std::vector<std::vector<std::string>> out(chain.size());
  if (chain.empty()) return out;
  TagList list{repo, {}};
  git_tag_foreach(repo, collect, &list);
  for (const auto& [name, target] : list.tags) {
    // Reachable from chain[0..k) and from none older: find k.
    size_t lo = 0, hi = chain.size();
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (reaches(repo, chain[mid], target))
        lo = mid + 1;
      else
        hi = mid;
    }
    for (size_t i = 0; i < lo; ++i) out[i].push_back(name);
  }
  for (auto& tags : out) std::sort(tags.begin(), tags.end());
  return out;
}

}  // namespace mlops
