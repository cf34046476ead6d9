// Project layout detection: project roots from their marker files, each file assigned to the
// deepest project containing it, repository-wide files shared.
#include "engine/layout.h"
#include "util/repo_path.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>

namespace mlops::engine {

namespace {

// Files whose presence makes a directory an ML project root (a monorepo holds several).
constexpr const char* kProjectMarkers[] = {"pyproject.toml", "setup.py", "setup.cfg", "dvc.yaml",
                                           "MLproject"};
// Markers below these directories are test data, not projects.
constexpr const char* kNotProjectDirs[] = {"test",          "tests",       "testdata",
                                           "fixtures",      "corpus",      "node_modules",
                                           "site-packages", "third_party", "vendor"};

std::string base_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A README and a requirements file make an example's root (beside another project); not in
// these directories, whose README and requirements serve the documentation build or CI.
constexpr const char* kNotExampleDirs[] = {"doc", "docs", "documentation", "ci", "requirements"};

bool is_readme(const std::string& base) {
  if (base.size() < 6) return false;
  std::string head = base.substr(0, 6);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head == "readme" && (base.size() == 6 || base[6] == '.');
}

bool is_requirements(const std::string& base) {
  return (base.starts_with("requirements") && base.ends_with(".txt")) || base == "environment.yml" ||
         base == "environment.yaml";
}

bool in_excluded_dir(const std::string& dir) {
  size_t start = 0;
  while (start <= dir.size() && !dir.empty()) {
    size_t end = dir.find('/', start);
    std::string seg = dir.substr(start, end == std::string::npos ? std::string::npos : end - start);
    for (const char* x : kNotProjectDirs)
      if (seg == x) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

}  // namespace

// The index of the snapshot file at `path` (snapshot files are sorted by path).
std::optional<size_t> find_file(const std::vector<FileEntry>& files, std::string_view path) {
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const FileEntry& fe, std::string_view key) { return fe.path < key; });
  if (it == files.end() || it->path != path) return std::nullopt;
  return static_cast<size_t>(it - files.begin());
}

// Assigns each file to its deepest project root; files outside every sub-project are shared.
Layout detect_projects(const std::vector<FileEntry>& files) {
  std::vector<std::string> roots;
  bool root_is_project = false;
  bool root_declares = false;                // a manifest or requirements file at the top
  std::map<std::string, int> example_parts;  // directory -> 1 README, 2 requirements
  for (const auto& f : files) {
    std::string base = base_of(f.path);
    if (is_requirements(base) && f.path == base) root_declares = true;
    if (is_readme(base) || is_requirements(base)) {
      std::string dir = dir_of(f.path);
      if (!dir.empty() && !in_excluded_dir(dir) &&
          std::none_of(std::begin(kNotExampleDirs), std::end(kNotExampleDirs),
                       [&](const char* x) { return base_of(dir) == x; }))
        example_parts[dir] |= is_readme(base) ? 1 : 2;
    }
    if (std::none_of(std::begin(kProjectMarkers), std::end(kProjectMarkers),
                     [&](const char* m) { return base == m; }))
      continue;
    std::string dir = dir_of(f.path);
    // A manifest in src/ (Kedro <= 0.18 keeps setup.py and requirements.txt there) belongs to the
    // project around it: its README, configuration and CI sit one level up.
    if (dir == "src" || dir.ends_with("/src")) dir = dir_of(dir);
    if (dir.empty())
      root_is_project = root_declares = true;
    else if (!in_excluded_dir(dir))
      roots.push_back(dir);
  }
  // Independent examples: a directory with its own README and requirements is a project when
  // a sibling directory is one too (examples/a and examples/b; week_1 and week_2). A single
  // such directory (a serving/ component beside the training code) stays in its project.
  std::vector<std::string> examples;
  for (const auto& [dir, parts] : example_parts)
    if (parts == 3) examples.push_back(dir);
  std::map<std::string, int> per_parent;
  std::set<std::string> candidates(roots.begin(), roots.end());
  candidates.insert(examples.begin(), examples.end());
  for (const auto& d : candidates) ++per_parent[dir_of(d)];
  for (const auto& d : examples)
    if (per_parent[dir_of(d)] >= 2) roots.push_back(d);
  std::sort(roots.begin(), roots.end());
  roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
  if (roots.empty()) root_is_project = true;
  // Code in directories outside every sub-project (a script folder, an example without its own
  // pyproject) belongs to a root project of its own; only top-level files and dot-directories
  // (README, CI, hooks) are repository-wide infrastructure shared by the sub-projects.
  if (!root_is_project) {
    for (const auto& f : files) {
      const std::string& path = f.path;
      if (path.find('/') == std::string::npos || path.starts_with(".")) continue;
      bool owned = std::any_of(roots.begin(), roots.end(), [&](const std::string& r) {
        return path.size() > r.size() && path.compare(0, r.size(), r) == 0 && path[r.size()] == '/';
      });
      if (!owned) {
        root_is_project = true;
        break;
      }
    }
    // One manifest below a root that declares nothing of its own (no manifest, no requirements),
    // and code beside it (training scripts beside the `web-service/` they feed, a notebook
    // beside the Kedro project it became): the repository is one project, not two. A root with
    // its own requirements is a project beside the component (an API and its `frontend/`).
    if (root_is_project && !root_declares && roots.size() == 1) roots.clear();
  }

  Layout layout;
  layout.rel.resize(files.size());
  if (root_is_project) layout.projects.push_back({"", {}, {}});
  for (const auto& r : roots) layout.projects.push_back({r, {}, {}});
  const size_t first_sub = root_is_project ? 1 : 0;
  std::vector<size_t> owners(files.size(), layout.projects.size());  // deepest project, if any
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& path = files[i].path;
    // Deepest sub-project containing the file.
    size_t owner = layout.projects.size();
    size_t best_len = 0;
    for (size_t p = first_sub; p < layout.projects.size(); ++p) {
      const std::string& r = layout.projects[p].root;
      if (path.size() > r.size() && path.compare(0, r.size(), r) == 0 && path[r.size()] == '/' &&
          r.size() >= best_len) {
        owner = p;
        best_len = r.size();
      }
    }
    if (owner < layout.projects.size()) {
      owners[i] = owner;
      layout.projects[owner].files.push_back(i);
      layout.rel[i] = path.substr(best_len + 1);
      continue;
    }
    layout.rel[i] = path;
    if (root_is_project) {
      owners[i] = 0;
      layout.projects[0].files.push_back(i);
    }
    // Repository-wide infrastructure (CI, hooks, attributes) serves every sub-project; without a
    // root project, every file outside the sub-projects is shared.
    bool shared = !root_is_project || path.starts_with(".") || base_of(path) == "CODEOWNERS";
    if (shared)
      for (size_t p = first_sub; p < layout.projects.size(); ++p) layout.projects[p].files.push_back(i);
  }
  for (auto& p : layout.projects) std::sort(p.files.begin(), p.files.end());
  // Each sub-project's shared infrastructure: the files of the projects enclosing it.
  auto encloses = [](const std::string& outer, const std::string& inner) {
    return outer.empty() || (inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
                             inner[outer.size()] == '/');
  };
  for (auto& p : layout.projects) {
    if (p.root.empty()) continue;
    for (size_t i = 0; i < files.size(); ++i) {
      if (owners[i] >= layout.projects.size()) continue;
      const Project& o = layout.projects[owners[i]];
      if (&o == &p || !encloses(o.root, p.root)) continue;
      if (!std::binary_search(p.files.begin(), p.files.end(), i)) p.shared.push_back(i);
    }
  }
  return layout;
}

bool credited_from_shared(std::string_view practice, std::string_view rule_id) {
  // The model card describes one project's model: a root MODEL_CARD is not every sub-project's.
  if (rule_id == "DOC002") return false;
  static constexpr std::string_view kShared[] = {"ci",           "ci_runs_tests",   "linting",
                                                 "team_process", "data_validation", "pipeline_automation",
                                                 "documentation"};
  return std::find(std::begin(kShared), std::end(kShared), practice) != std::end(kShared);
}

bool credited_from_siblings(std::string_view practice) {
  return practice == "data_validation" || practice == "pipeline_automation";
}

}  // namespace mlops::engine
