// Key-path queries (yaml, toml): a path exists, equals a literal or matches a pattern, in every
// YAML document (optionally of a given `kind`, lacking some paths, with keys beside) or TOML table.
#include <algorithm>

#include "analysers/answer.h"
#include "util/glob.h"

namespace mlops {
namespace {

bool value_matches(const FileQuery& q, const std::string& scalar) {
  switch (q.op) {
    case ValueOp::Exists:
      return true;
    case ValueOp::Equals:
      return scalar == q.value;
    case ValueOp::Matches:
      return RE2::PartialMatch(scalar, *q.regex);
  }
  return false;
}

// The map that holds a yaml query's last key also holds every `beside` key with a matching
// value: a scalar, or a list of scalars read as one line (`args: [-m, pytest]` -> "-m pytest").
bool beside_holds(const FileQuery& q, const YAML::Node& map) {
  for (size_t i = 0; i < q.beside.size() && i < q.beside_regexes.size(); ++i) {
    const YAML::Node v = map[q.beside[i].first];
    std::string text;
    if (v && v.IsScalar()) {
      text = v.Scalar();
    } else if (v && v.IsSequence()) {
      for (const auto& item : v)
        if (item.IsScalar() && text.size() < 4096) text += (text.empty() ? "" : " ") + item.Scalar();
    } else {
      return false;
    }
    if (!RE2::PartialMatch(text, *q.beside_regexes[i])) return false;
  }
  return true;
}

// Walks a YAML document along the key path; aliases share nodes, so a budget bounds the walk.
void walk_yaml(const FileQuery& q, const YAML::Node& node, size_t depth, int line, std::vector<Match>& out,
               size_t& budget) {
  if (budget == 0 || out.size() >= kMaxMatchesPerQuery) return;
  --budget;
  if (depth == q.key_path.size()) {
    std::string scalar = node.IsScalar() ? node.Scalar() : std::string();
    if (q.op != ValueOp::Exists && !node.IsScalar()) return;
    if (value_matches(q, scalar)) {
      std::string text = q.key_path.empty() ? scalar : q.key_path.back();
      if (node.IsScalar()) text += ": " + scalar;
      push(out, {line, 0, 0, 0, snippet(text)});
    }
    return;
  }
  const std::string& seg = q.key_path[depth];
  if (node.IsMap()) {
    if (depth + 1 == q.key_path.size() && !beside_holds(q, node)) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      if (seg == "*" || glob_match_full(seg, it->first.Scalar()))
        walk_yaml(q, it->second, depth + 1, it->first.Mark().line + 1, out, budget);
    }
  } else if (node.IsSequence() && seg == "*") {
    for (const auto& item : node) walk_yaml(q, item, depth + 1, item.Mark().line + 1, out, budget);
  }
}

std::vector<std::string> split_key_path(const std::string& path) {
  std::vector<std::string> out(1);
  for (char c : path) {
    if (c == '.')
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

// Whether the key path (with `*` for any key or item) leads anywhere in the node.
bool yaml_path_exists(const YAML::Node& node, const std::vector<std::string>& path, size_t depth,
                      size_t& budget) {
  if (budget == 0) return false;
  --budget;
  if (depth == path.size()) return true;
  const std::string& seg = path[depth];
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      if (it->first.IsScalar() && (seg == "*" || glob_match_full(seg, it->first.Scalar())) &&
          yaml_path_exists(it->second, path, depth + 1, budget))
        return true;
  } else if (node.IsSequence() && seg == "*") {
    for (const auto& item : node)
      if (yaml_path_exists(item, path, depth + 1, budget)) return true;
  }
  return false;
}

void walk_toml(const FileQuery& q, const toml::node& node, size_t depth, std::vector<Match>& out) {
  if (out.size() >= kMaxMatchesPerQuery) return;
  int line = static_cast<int>(node.source().begin.line);
  if (depth == q.key_path.size()) {
    std::string scalar;
    if (auto s = node.value<std::string>())
      scalar = *s;
    else if (auto i = node.value<int64_t>())
      scalar = std::to_string(*i);
    else if (auto b = node.value<bool>())
      scalar = *b ? "true" : "false";
    else if (q.op != ValueOp::Exists)
      return;
    if (value_matches(q, scalar))
      push(out, {line, 0, 0, 0, snippet(q.key_path.empty() ? scalar : q.key_path.back())});
    return;
  }
  const std::string& seg = q.key_path[depth];
  if (const toml::table* t = node.as_table()) {
    for (const auto& [k, v] : *t)
      if (seg == "*" || glob_match_full(seg, k.str())) walk_toml(q, v, depth + 1, out);
  } else if (const toml::array* a = node.as_array(); a && seg == "*") {
    for (const auto& v : *a) walk_toml(q, v, depth + 1, out);
  }
}

}  // namespace

void answer_yaml(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  auto* docs = parsed.yaml();
  if (!docs) return;
  size_t budget = kMaxYamlNodesVisited;
  for (const auto& d : *docs) {
    if (!q.doc_kind.empty()) {
      // Kubernetes-style documents: only those of the requested kind.
      if (!d.IsMap()) continue;
      YAML::Node k = d["kind"];
      if (!k || !k.IsScalar() || !glob_match_full(q.doc_kind, k.Scalar())) continue;
    }
    if (std::any_of(q.doc_lacks.begin(), q.doc_lacks.end(), [&](const std::string& path) {
          return yaml_path_exists(d, split_key_path(path), 0, budget);
        }))
      continue;
    walk_yaml(q, d, 0, d.Mark().line + 1, out, budget);
  }
  if (budget == 0) parsed.diagnose(1, "YAML too large or too aliased to walk fully; results truncated");
}

void answer_toml(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  if (auto* t = parsed.toml()) walk_toml(q, *t, 0, out);
}

}  // namespace mlops
