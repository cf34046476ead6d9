// `dataflow: {question, files, prefilter}`: the findings of one data-flow question over a Python
// file or a notebook as a whole (analysers/dataflow.h; docs/dataflow.md):
//   fit_before_split          preprocessing fitted on the whole data that is later split (at the fit)
//   test_split_not_evaluated  a split's test part never reaches an evaluation (at the split)
//   test_split_fitted         a split's test part reaches a fit (at the fit)
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

Expr parse_dataflow(PredicateParser& p, const YAML::Node& v) {
  if (!v.IsMap()) {
    p.error(v, "dataflow takes a map: question, files, prefilter");
    return {};
  }
  p.check_options(v);
  FileQuery q;
  q.kind = QueryKind::Dataflow;
  p.files(v, q);
  const std::string question = v["question"] ? p.scalar(v["question"], "question").value_or("") : "";
  if (question == "fit_before_split") {
    q.question = DataflowQuestion::FitBeforeSplit;
  } else if (question == "test_split_not_evaluated") {
    q.question = DataflowQuestion::TestSplitNotEvaluated;
  } else if (question == "test_split_fitted") {
    q.question = DataflowQuestion::TestSplitFitted;
  } else {
    p.error(v["question"] ? v["question"] : v,
            "dataflow needs a question: fit_before_split, test_split_not_evaluated or test_split_fitted");
    return {};
  }
  // Every question follows the parts of a train/test split: a file that never names one is not parsed.
  q.prefilter = {"train_test_split"};
  q.prefilter_words = true;
  if (v["prefilter"]) {
    q.prefilter = p.strings(v["prefilter"], "prefilter");
    q.prefilter_words = false;
  }
  return p.query(std::move(q), v);
}

}  // namespace mlops
