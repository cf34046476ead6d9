// `dataflow: {question, files, prefilter}` or `dataflow: {sources, sinks, propagators,
// unless_keywords, files, prefilter}`: the findings of a data-flow analysis over a Python file or a
// notebook as a whole (analysers/dataflow.h; docs/dataflow.md). The questions:
//   fit_before_split          preprocessing fitted on the whole data that is later split (at the fit)
//   test_split_not_evaluated  a model is fitted on a split's train part and the test part is never
//                             evaluated (at the split)
//   test_split_fitted         a split's test part reaches a fit (at the fit)
//   evaluated_on_train_split  the train part is evaluated, the test part never is (at the evaluation)
//   test_split_steers_training  a split's test part validates a fit (eval_set=, validation_data=)
//                             and is scored at another call too (at the fit)
// With `sources` and `sinks` instead: a value a source call returns reaches a sink call's argument
// (at the sink), unless that call passes one of `unless_keywords` as written.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {

namespace {

// The last dotted part of each source glob, when it is a plain name: the word a file must hold.
std::vector<std::string> source_words(const std::vector<std::string>& sources) {
  std::vector<std::string> words;
  for (const auto& s : sources) {
    if (s.starts_with("!")) continue;
    std::string last = s.substr(s.rfind('.') == std::string::npos ? 0 : s.rfind('.') + 1);
    if (last.ends_with("()")) last.resize(last.size() - 2);
    if (last.empty() || last.find_first_of("*?[") != std::string::npos) return {};
    words.push_back(last);
  }
  return words;
}

}  // namespace

Expr parse_dataflow(PredicateParser& p, const YAML::Node& v) {
  if (!v.IsMap()) {
    p.error(v, "dataflow takes a map: question, or sources and sinks; files, prefilter");
    return {};
  }
  p.check_options(v);
  FileQuery q;
  q.kind = QueryKind::Dataflow;
  p.files(v, q);
  if (v["sources"] || v["sinks"]) {
    if (v["question"]) p.error(v["question"], "dataflow takes a question or sources and sinks, not both");
    if (!v["sources"] || !v["sinks"]) {
      p.error(v, "dataflow needs both sources and sinks");
      return {};
    }
    q.question = DataflowQuestion::SourceToSink;
    q.dataflow_sources = p.strings(v["sources"], "sources");
    q.dataflow_sinks = p.strings(v["sinks"], "sinks");
    if (v["propagators"]) q.dataflow_propagators = p.strings(v["propagators"], "propagators");
    if (v["unless_keywords"]) q.keyword_not_values = p.keyword_map(v["unless_keywords"], "unless_keywords");
    // A file that names no source call is not parsed; a glob there needs an explicit prefilter.
    q.prefilter = source_words(q.dataflow_sources);
    q.prefilter_calls = true;
    if (q.prefilter.empty() && !v["prefilter"])
      p.error(v["sources"],
              "a source ending in a glob needs a `prefilter`: without one every Python file is parsed");
  } else {
    const std::string question = v["question"] ? p.scalar(v["question"], "question").value_or("") : "";
    if (question == "fit_before_split") {
      q.question = DataflowQuestion::FitBeforeSplit;
    } else if (question == "test_split_not_evaluated") {
      q.question = DataflowQuestion::TestSplitNotEvaluated;
    } else if (question == "test_split_fitted") {
      q.question = DataflowQuestion::TestSplitFitted;
    } else if (question == "evaluated_on_train_split") {
      q.question = DataflowQuestion::EvaluatedOnTrainSplit;
    } else if (question == "test_split_steers_training") {
      q.question = DataflowQuestion::TestSplitSteersTraining;
    } else {
      p.error(v["question"] ? v["question"] : v,
              "dataflow needs a question (fit_before_split, test_split_not_evaluated, test_split_fitted, "
              "evaluated_on_train_split, test_split_steers_training) or sources and sinks");
      return {};
    }
    // Every question follows the parts of a train/test split: a file that never calls one (or
    // imports it under an alias) is not parsed; importing it is not enough.
    q.prefilter = {"train_test_split"};
    q.prefilter_calls = true;
  }
  if (v["prefilter"]) {
    q.prefilter = p.strings(v["prefilter"], "prefilter");
    q.prefilter_words = q.prefilter_calls = false;
  }
  return p.query(std::move(q), v);
}

}  // namespace mlops
