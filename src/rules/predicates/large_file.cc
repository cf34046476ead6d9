// `large_file: {files, min_size}`: a file at least that large is committed outside Git LFS.
#include <yaml-cpp/yaml.h>

#include "rules/evaluation.h"
#include "rules/predicate.h"
#include "rules/rule_codec.h"
#include "util/glob.h"

namespace mlops {
namespace {

class LargeFile final : public ProjectPredicate {
 public:
  LargeFile(std::vector<std::string> globs, uint64_t min_size)
      : globs_(std::move(globs)), min_size_(min_size) {}
  std::string_view predicate_name() const override { return "large_file"; }
  void encode(RuleWriter& out) const override {
    out.strings(globs_);
    out.u64(min_size_);
  }

  Eval evaluate(ProjectView& p, std::optional<size_t> only) const override {
    Eval out;
    const uint64_t min = min_size_ ? min_size_ : p.large_file_threshold();
    auto visit = [&](size_t f) {
      const FileEntry& fe = p.files()[f];
      if (fe.size < min || fe.lfs_pointer || fe.lfs_tracked) return;
      if (!globs_.empty() && !matches_globs(globs_, p.rel(f))) return;
      out.hits.push_back({f, {0, 0, 0, 0, fe.path + " (" + std::to_string(fe.size / 1024) + " KiB)"}});
    };
    if (only)
      visit(*only);
    else
      for (size_t f : p.project_files()) visit(f);
    out.holds = !out.hits.empty();
    return out;
  }

  bool touches(const RuleSet&, const std::string& rel) const override {
    return globs_.empty() || matches_globs(globs_, rel);
  }

 private:
  std::vector<std::string> globs_;
  uint64_t min_size_;  // 0: the configured threshold
};

}  // namespace

std::shared_ptr<const ProjectPredicate> decode_large_file(RuleReader& in, const RuleSet&) {
  std::vector<std::string> globs = in.strings();
  const uint64_t min_size = in.u64();
  return std::make_shared<LargeFile>(std::move(globs), min_size);
}

Expr parse_large_file(PredicateParser& p, const YAML::Node& v) {
  std::vector<std::string> globs;
  uint64_t min_size = 0;
  if (v.IsMap()) {
    p.check_options(v);
    if (v["files"]) globs = p.strings(v["files"], "files");
    if (v["min_size"]) min_size = p.size(v["min_size"]);
  } else if (!v.IsNull()) {
    p.error(v, "large_file takes a map with files and min_size");
  }
  return project_expr(std::make_shared<LargeFile>(std::move(globs), min_size));
}

}  // namespace mlops
