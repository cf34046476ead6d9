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
  // The flags read as the other predicates' do: `out_of_order: false` would ask nothing, and a
  // misspelt value must not quietly switch the check on.
  if (v["out_of_order"] || v["error_outputs"]) {
    const char* key = v["out_of_order"] ? "out_of_order" : "error_outputs";
    if (!p.flag(v, key)) {  // a misspelling is already an error; a plain `false` is one here
      bool value = true;
      if (YAML::convert<bool>::decode(v[key], value) && !value)
        p.error(v[key], std::string(key) + " takes true (leave the key out to ask nothing)");
      return {};
    }
  }
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
