// The requirements include graph and the constraints that apply to each requirements file.
#include "analysers/requirement_graph.h"

#include "analysers/manifests.h"

namespace mlops {

std::optional<std::pair<bool, std::string>> include_ref(const Match& m) {
  if (m.kind != FactKind::RequirementInclude && m.kind != FactKind::RequirementConstraint)
    return std::nullopt;
  return std::pair<bool, std::string>{m.kind == FactKind::RequirementConstraint, std::string(m.value())};
}

RequirementGraph::RequirementGraph(Source source) : source_(std::move(source)) {
  for (size_t f = 0; f < source_.files; ++f) {
    for (const auto& m : source_.facts(f)) {
      auto ref = include_ref(m);
      auto path = ref ? resolve_repo_path(source_.path(f), ref->second) : std::nullopt;
      auto target = path ? source_.find(*path) : std::nullopt;
      if (!target) continue;
      if (ref->first) {
        constrains_[f].push_back(*target);
      } else {
        requires_[f].push_back(*target);
        required_by_[*target].push_back(f);
      }
    }
  }
}

const std::set<std::string>& RequirementGraph::constraint_pins(size_t f) {
  auto [it, fresh] = pins_.try_emplace(f);
  if (!fresh) return it->second;
  constexpr size_t kMaxFiles = 1000;
  auto walk = [&](std::vector<size_t> start, auto&& next) {
    std::set<size_t> seen(start.begin(), start.end());
    while (!start.empty() && seen.size() < kMaxFiles) {
      size_t x = start.back();
      start.pop_back();
      next(x, [&](size_t y) {
        if (seen.insert(y).second) start.push_back(y);
      });
    }
    return seen;
  };
  auto edges = [](const std::map<size_t, std::vector<size_t>>& m, size_t x, auto&& add) {
    auto e = m.find(x);
    if (e != m.end())
      for (size_t y : e->second) add(y);
  };
  std::set<size_t> install = walk({f}, [&](size_t x, auto&& add) {
    edges(requires_, x, add);
    edges(required_by_, x, add);
  });
  std::vector<size_t> direct;
  for (size_t x : install) edges(constrains_, x, [&](size_t y) { direct.push_back(y); });
  if (direct.empty()) return it->second;
  std::set<size_t> constraints = walk(direct, [&](size_t x, auto&& add) {
    edges(requires_, x, add);
    edges(constrains_, x, add);
  });
  for (size_t c : constraints)
    for (const auto& m : source_.facts(c))
      if (m.kind == FactKind::RequirementPin) it->second.insert(std::string(m.value()));
  return it->second;
}

}  // namespace mlops
