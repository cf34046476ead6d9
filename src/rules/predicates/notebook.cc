// `notebook: {out_of_order: true}` or `{outputs_over: SIZE}`: a notebook whose executed cells ran
// out of document order, or that carries committed outputs of at least that size.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_notebook(PredicateParser& p, const YAML::Node& v) {
  if (!v.IsMap() || v.size() != 1 || !(v["out_of_order"] || v["outputs_over"] || v["files"])) {
    p.error(v, "notebook takes one of: out_of_order: true, outputs_over: SIZE");
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
  }
  return p.query(std::move(q), v);
}

}  // namespace mlops
