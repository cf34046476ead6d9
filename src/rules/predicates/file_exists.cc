// `file_exists: globs`: a file of the project matches (answered from the listing alone).
#include <yaml-cpp/yaml.h>

#include "rules/evaluation.h"
#include "rules/predicate.h"
#include "rules/rule_codec.h"
#include "util/glob.h"

namespace mlops {
namespace {

class FileExists final : public ProjectPredicate {
 public:
  explicit FileExists(std::vector<std::string> globs) : globs_(std::move(globs)) {}
  std::string_view predicate_name() const override { return "file_exists"; }
  void encode(RuleWriter& out) const override { out.strings(globs_); }

  Eval evaluate(ProjectView& p, std::optional<size_t> only) const override {
    Eval out;
    auto hit = [&](size_t f) { out.hits.push_back({f, {1, 0, 0, 0, p.files()[f].path}}); };
    if (only) {
      if (matches_globs(globs_, p.rel(*only))) hit(*only);
    } else {
      for (size_t f : p.files_matching(this, globs_)) hit(f);
    }
    out.holds = !out.hits.empty();
    return out;
  }

  bool touches(const RuleSet&, const std::string& rel) const override {
    return globs_.empty() || matches_globs(globs_, rel);
  }

 private:
  std::vector<std::string> globs_;
};

}  // namespace

std::shared_ptr<const ProjectPredicate> decode_file_exists(RuleReader& in, const RuleSet&) {
  return std::make_shared<FileExists>(in.strings());
}

Expr parse_file_exists(PredicateParser& p, const YAML::Node& v) {
  return project_expr(std::make_shared<FileExists>(p.strings(v, "file_exists")));
}

}  // namespace mlops
