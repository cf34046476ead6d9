// `git_tag: pattern`: a git tag on the scanned commit or an ancestor matches (model versions
// registered as tags). A repository fact: true of no single file.
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include "rules/evaluation.h"
#include "rules/predicate.h"
#include "rules/rule_codec.h"

namespace mlops {
namespace {

class GitTag final : public ProjectPredicate {
 public:
  explicit GitTag(Regex pattern) : pattern_(std::move(pattern)) {}
  std::string_view predicate_name() const override { return "git_tag"; }
  void encode(RuleWriter& out) const override { out.regex(pattern_); }

  Eval evaluate(ProjectView& p, std::optional<size_t> only) const override {
    Eval out;
    if (only || !p.tags()) return out;
    for (const auto& tag : *p.tags())
      if (RE2::PartialMatch(tag, *pattern_)) out.hits.push_back({kNoFile, {0, 0, 0, 0, tag}});
    out.holds = !out.hits.empty();
    return out;
  }

 private:
  Regex pattern_;
};

}  // namespace

std::shared_ptr<const ProjectPredicate> decode_git_tag(RuleReader& in, const RuleSet&) {
  Regex pattern = in.regex();
  if (!pattern) return nullptr;
  return std::make_shared<GitTag>(std::move(pattern));
}

Expr parse_git_tag(PredicateParser& p, const YAML::Node& v) {
  auto pattern = p.scalar(v, "git_tag");
  if (!pattern || pattern->empty()) {
    p.error(v, "git_tag needs a pattern");
    return {};
  }
  return project_expr(std::make_shared<GitTag>(p.regex(v, *pattern, *pattern)));
}

}  // namespace mlops
