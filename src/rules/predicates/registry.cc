// The predicate registry: one line per predicate (its name, the keys of its map form, its
// parser). A predicate's code lives in its own file beside this one.
#include <algorithm>

#include "rules/predicate.h"

namespace mlops {

// Declarations of the predicates' parsers (each defined in rules/predicates/<name>.cc).
Expr parse_all(PredicateParser&, const YAML::Node&);
Expr parse_any(PredicateParser&, const YAML::Node&);
Expr parse_before(PredicateParser&, const YAML::Node&);
Expr parse_ci_runs(PredicateParser&, const YAML::Node&);
Expr parse_condition(PredicateParser&, const YAML::Node&);
Expr parse_content(PredicateParser&, const YAML::Node&);
Expr parse_dataflow(PredicateParser&, const YAML::Node&);
Expr parse_dependency(PredicateParser&, const YAML::Node&);
Expr parse_dockerfile(PredicateParser&, const YAML::Node&);
Expr parse_file_exists(PredicateParser&, const YAML::Node&);
Expr parse_git_tag(PredicateParser&, const YAML::Node&);
Expr parse_inside(PredicateParser&, const YAML::Node&);
Expr parse_large_file(PredicateParser&, const YAML::Node&);
Expr parse_locked_dependency(PredicateParser&, const YAML::Node&);
Expr parse_not(PredicateParser&, const YAML::Node&);
Expr parse_not_inside(PredicateParser&, const YAML::Node&);
Expr parse_notebook(PredicateParser&, const YAML::Node&);
Expr parse_python_assign(PredicateParser&, const YAML::Node&);
Expr parse_python_call(PredicateParser&, const YAML::Node&);
Expr parse_python_class(PredicateParser&, const YAML::Node&);
Expr parse_python_def(PredicateParser&, const YAML::Node&);
Expr parse_python_import(PredicateParser&, const YAML::Node&);
Expr parse_python_query(PredicateParser&, const YAML::Node&);
Expr parse_python_string(PredicateParser&, const YAML::Node&);
Expr parse_toml(PredicateParser&, const YAML::Node&);
Expr parse_tool_files(PredicateParser&, const YAML::Node&);
Expr parse_unlocked_dependency(PredicateParser&, const YAML::Node&);
Expr parse_unpinned_dependency(PredicateParser&, const YAML::Node&);
Expr parse_yaml(PredicateParser&, const YAML::Node&);
// ... and of the decoders of those answered over the project.
std::shared_ptr<const ProjectPredicate> decode_ci_runs(RuleReader&, const RuleSet&);
std::shared_ptr<const ProjectPredicate> decode_file_exists(RuleReader&, const RuleSet&);
std::shared_ptr<const ProjectPredicate> decode_git_tag(RuleReader&, const RuleSet&);
std::shared_ptr<const ProjectPredicate> decode_large_file(RuleReader&, const RuleSet&);
std::shared_ptr<const ProjectPredicate> decode_tool_files(RuleReader&, const RuleSet&);
std::shared_ptr<const ProjectPredicate> decode_unlocked_dependency(RuleReader&, const RuleSet&);
std::shared_ptr<const ProjectPredicate> decode_unpinned_dependency(RuleReader&, const RuleSet&);

const std::vector<PredicateInfo>& all_predicates() {
  static const std::vector<PredicateInfo> predicates = [] {
    std::vector<PredicateInfo> v = {
        // {name, options of its map form, parser[, decoder]},
        {"all", {}, parse_all},
        {"any", {}, parse_any},
        {"before", {}, parse_before},
        {"ci_runs", {"pattern"}, parse_ci_runs, decode_ci_runs},
        {"condition", {}, parse_condition},
        {"content", {"files", "pattern", "prefilter"}, parse_content},
        {"dataflow",
         {"question", "sources", "sinks", "propagators", "unless_keywords", "files", "prefilter"},
         parse_dataflow},
        {"dependency", {"name", "files", "versioned"}, parse_dependency},
        {"dockerfile", {"instruction", "pattern", "files", "unpinned_base_image"}, parse_dockerfile},
        {"file_exists", {}, parse_file_exists, decode_file_exists},
        {"git_tag", {}, parse_git_tag, decode_git_tag},
        {"inside", {"check", "file", "function", "directory", "project"}, parse_inside},
        {"large_file", {"files", "min_size"}, parse_large_file, decode_large_file},
        {"locked_dependency", {"name", "files"}, parse_locked_dependency},
        {"not", {}, parse_not},
        {"not_inside", {"check", "file", "function", "directory", "project"}, parse_not_inside},
        {"notebook", {"out_of_order", "outputs_over", "error_outputs"}, parse_notebook},
        {"python_assign", {"name", "value", "files", "prefilter"}, parse_python_assign},
        {"python_call",
         {"name", "has_keyword", "lacks_keyword", "keyword_values", "keyword_not_values", "files", "text",
          "prefilter"},
         parse_python_call},
        {"python_class", {"name", "base", "files", "prefilter"}, parse_python_class},
        {"python_def", {"name", "files", "with_calls", "test"}, parse_python_def},
        {"python_import", {"module", "files", "top_level"}, parse_python_import},
        {"python_query", {"query", "capture", "prefilter", "files"}, parse_python_query},
        {"python_string",
         {"files", "pattern", "prefilter", "skip_env_arguments", "skip_comparisons", "skip_suffixes"},
         parse_python_string},
        {"toml", {"files", "path", "equals", "matches", "prefilter"}, parse_toml},
        {"tool_files", {}, parse_tool_files, decode_tool_files},
        {"unlocked_dependency", {"files"}, parse_unlocked_dependency, decode_unlocked_dependency},
        {"unpinned_dependency", {"name", "files"}, parse_unpinned_dependency, decode_unpinned_dependency},
        {"yaml", {"files", "path", "equals", "matches", "prefilter", "kind", "lacks", "beside"}, parse_yaml},
    };
    std::sort(v.begin(), v.end(),
              [](const PredicateInfo& a, const PredicateInfo& b) { return a.name < b.name; });
    return v;
  }();
  return predicates;
}

}  // namespace mlops
