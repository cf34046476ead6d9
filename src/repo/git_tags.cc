// Tags reachable from a commit, through libgit2.
#include "repo/git_tags.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>
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
  // The commits each chain commit adds to what its parent reaches (itself and the branches it
  // merges): walked once for the whole chain, where an ancestry check per tag and chain commit
  // (even a binary search over the chain) walks the history again and again.
  std::unordered_map<std::string, size_t> added_at;  // commit id -> oldest chain index reaching it
  bool walked = true;
  for (size_t i = 0; walked && i + 1 < chain.size(); ++i) {
    git_revwalk* walk = nullptr;
    walked = git_revwalk_new(&walk, repo) == 0 && git_revwalk_push(walk, &chain[i]) == 0 &&
             git_revwalk_hide(walk, &chain[i + 1]) == 0;
    git_oid oid;
    int rc = 0;
    while (walked && (rc = git_revwalk_next(&oid, walk)) == 0) added_at[git_oid_tostr_s(&oid)] = i;
    walked = walked && rc == GIT_ITEROVER;
    git_revwalk_free(walk);
  }
  for (const auto& [name, target] : list.tags) {
    // Reachable from chain[0..k) and from none older: find k.
    size_t k = 0;
    if (!walked) {
      // A walk failed (a shallow or damaged repository): ancestry checks, a binary search.
      size_t lo = 0, hi = chain.size();
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (reaches(repo, chain[mid], target))
          lo = mid + 1;
        else
          hi = mid;
      }
      k = lo;
    } else if (auto it = added_at.find(git_oid_tostr_s(&target)); it != added_at.end()) {
      k = it->second + 1;
    } else if (reaches(repo, chain.back(), target)) {
      k = chain.size();
    }
    for (size_t i = 0; i < k; ++i) out[i].push_back(name);
  }
  for (auto& tags : out) std::sort(tags.begin(), tags.end());
  return out;
}

}  // namespace mlops
