// Repository-confined path joining (see repo_path.h).
#include "util/repo_path.h"

#include <vector>

namespace mlops {

std::string join_repo_path(std::string_view base_dir, std::string_view path) {
  if (path.empty() || path[0] == '/' || path[0] == '~' || (!base_dir.empty() && base_dir[0] == '/'))
    return {};
  for (std::string_view s : {base_dir, path})
    for (char c : s)
      if (c == '$' || c == '`' || c == '*' || c == '?' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
        return {};
  std::vector<std::string_view> parts;
  auto push_segments = [&](std::string_view s) {
    for (size_t start = 0; start <= s.size();) {
      size_t slash = s.find('/', start);
      if (slash == std::string_view::npos) slash = s.size();
      std::string_view seg = s.substr(start, slash - start);
      if (seg == "..") {
        if (parts.empty()) return false;  // escapes the repository root
        parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.push_back(seg);
      }
      start = slash + 1;
    }
    return true;
  };
  if (!push_segments(base_dir) || !push_segments(path) || parts.empty()) return {};
  std::string out;
  for (std::string_view seg : parts) {
    if (!out.empty()) out += '/';
    out += seg;
  }
  return out;
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace mlops
