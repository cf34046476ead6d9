// `notebook: {out_of_order: true}`, `{outputs_over: SIZE}` or `{error_outputs: true}`: a notebook
// whose executed cells ran out of document order, that carries committed outputs of at least that
// size, or whose cells were saved with tracebacks.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_notebook(PredicateParser& p, const YAML::Node& v) {
  if (!v.IsMap() || v.size() != 1 ||
      !(v["out_of_order"] || v["outputs_over"] || v["error_outputs"] || v["files"])) {
    p.error(v, "notebook takes one of: out_of_order: true, outputs_over: SIZE, error_outputs: true");
    return {};
  }
  p.check_options(v);
  FileQuery q;
  if (v["out_of_order"]) {
    q.kind = QueryKind::NotebookOutOfOrder;
    q.prefilter = {"execution_count", "prompt_number"};
  } else if (v["outputs_over"]) {
    q.kind = QueryKind::NotebookOutputs;
    q.min_output_bytes = p.size(v["outputs_over"]);
    q.prefilter = {"output_type"};
  } else if (v["error_outputs"]) {
    q.kind = QueryKind::NotebookErrors;
    q.prefilter = {"ename"};  // every error output names its exception
  }
  return p.query(std::move(q), v);
}

}  // namespace mlops
