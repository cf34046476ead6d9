// `tool_files: jupyter_checkpoints`: files a tool writes beside the project's own are in the
// repository (committed, or on disk and not ignored). The listing sets them aside
// (Snapshot::set_aside()) so that no per-file predicate reads them; this predicate is the one
// that does. It holds with a single hit, at the first such file in path order, whose text
// counts them: one finding per project, however many copies there are.
#include <yaml-cpp/yaml.h>

#include "rules/evaluation.h"
#include "rules/predicate.h"
#include "rules/rule_codec.h"

namespace mlops {
namespace {

struct ToolKind {
  const char* name;  // as rules spell it
  AsideKind kind;
  const char* where;  // how a hit names the files
};
constexpr ToolKind kKinds[] = {
    {"jupyter_checkpoints", AsideKind::kJupyterCheckpoint, "under .ipynb_checkpoints/"},
};

class ToolFiles final : public ProjectPredicate {
 public:
  explicit ToolFiles(const ToolKind& kind) : kind_(kind) {}
  std::string_view predicate_name() const override { return "tool_files"; }
  void encode(RuleWriter& out) const override { out.str(kind_.name); }

  Eval evaluate(ProjectView& p, std::optional<size_t> only) const override {
    Eval out;
    if (only) return out;  // no analysed file holds one
    const AsideFile* first = nullptr;
    size_t count = 0;
    for (const AsideFile* a : p.set_aside()) {
      if (a->kind != kind_.kind) continue;
      if (first == nullptr) first = a;
      ++count;
    }
    if (first == nullptr) return out;
    Match m;
    m.line = 1;
    m.column = 1;
    m.text = std::to_string(count) + (count == 1 ? " file " : " files ") + kind_.where;
    out.hits.push_back({kNoFile, std::move(m), first->path});
    out.holds = true;
    return out;
  }

  // Set-aside files are never the analysed files --files names.
  bool touches(const RuleSet&, const std::string&) const override { return false; }

 private:
  const ToolKind& kind_;
};

}  // namespace

std::shared_ptr<const ProjectPredicate> decode_tool_files(RuleReader& in, const RuleSet&) {
  const std::string name = in.str();
  for (const ToolKind& k : kKinds)
    if (name == k.name) return std::make_shared<ToolFiles>(k);
  return nullptr;
}

Expr parse_tool_files(PredicateParser& p, const YAML::Node& v) {
  auto name = p.scalar(v, "tool_files");
  if (!name) return {};
  for (const ToolKind& k : kKinds)
    if (*name == k.name) return project_expr(std::make_shared<ToolFiles>(k));
  std::string known;
  for (const ToolKind& k : kKinds) known += std::string(known.empty() ? "" : ", ") + k.name;
  p.error(v, "tool_files: unknown kind '" + *name + "' (known: " + known + ")");
  return {};
}

}  // namespace mlops
