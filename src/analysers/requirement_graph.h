// Requirements files joined by `-r FILE` (requires) and `-c FILE` (constrains), resolved to
// snapshot files, and the packages the constraints that apply to a requirements file pin: pip
// applies every `-c` of an install to all of it.
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/facts.h"

namespace mlops {

// A requirements file's include fact (-r FILE or -c FILE): (is -c, FILE as written).
std::optional<std::pair<bool, std::string>> include_ref(const Match& m);

class RequirementGraph {
 public:
  struct Source {
    size_t files = 0;                                             // snapshot files
    std::function<const std::vector<Match>&(size_t)> facts;       // a file's RequirementIncludes facts
    std::function<const std::string&(size_t)> path;               // a file's repository path
    std::function<std::optional<size_t>(std::string_view)> find;  // the file at a repository path
  };
  explicit RequirementGraph(Source source);

  // Packages pinned by the constraints that apply to requirements file `f`: those of every file
  // joined to `f` by `-r` (either way), and of the files those constraints files pull in.
  const std::set<std::string>& constraint_pins(size_t f);

 private:
  Source source_;
  std::map<size_t, std::vector<size_t>> requires_, constrains_, required_by_;
  std::map<size_t, std::set<std::string>> pins_;  // by requirements file
};

}  // namespace mlops
