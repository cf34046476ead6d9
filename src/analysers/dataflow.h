// Intra-file data flow over a Python parse (a .py file, or a notebook's code cells as one program
// in execution order): which names a value reaches through assignments, unpacking and calls that
// return their input transformed, and which calls consume it. A small, bounded form of semgrep's
// taint mode (sources, sinks, barriers, propagators) and CodeQL's local data flow, with statement
// order. docs/dataflow.md says what it tracks and what it leaves out.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysers/notebook.h"
#include "analysers/python_analyser.h"
#include "util/limits.h"

namespace mlops {

// Which part of a matching call's result a source labels.
enum class DfOutputs {
  Result,  // the value the call returns (and, unpacked, each of its parts)
  Even,    // unpacked positions 0, 2, 4...: train_test_split's train parts
  Odd,     // unpacked positions 1, 3, 5...: train_test_split's test parts
};

struct DfSource {
  std::string label;               // e.g. "data", "train", "test"
  std::vector<std::string> calls;  // qualified call names, globs as matches_names reads them
  DfOutputs outputs = DfOutputs::Result;
  // Also the result of any call of a plain name that is no sink, barrier, propagator or inert
  // call: the project's own functions (`df = load_data()`).
  bool plain_functions = false;
};

// Which argument of a sink call is watched.
// Any: every positional and keyword argument (not the receiver); Positionals: every positional
// one (a fit's `eval_set=` / `validation_data=` keywords are not training data).
// Keywords: every keyword argument (a fit's `validation_data=` scores what it is given).
enum class DfWatch { Any, Positionals, Receiver, Positional, Keywords };

struct DfSink {
  std::string name;  // e.g. "fit", "split", "eval"
  std::vector<std::string> calls;
  DfWatch watch = DfWatch::Any;
  int position = 0;  // Positional: 0-based
  // A watched argument is used up here: not an escape (an evaluation uses the test set; a fit
  // in the spec only for an order question does not account for it).
  bool consumes = true;
  // A call passing one of these keywords with this literal (as written) is not this sink
  // (`torch.load(f, weights_only=True)` unpickles nothing).
  std::vector<std::pair<std::string, std::string>> unless_keywords;
  // A fit: a held-out part passed beside the train part of the same split
  // (`LazyRegressor().fit(X_train, X_test, y_train, y_test)`, `net.fit(X_tr, y_tr, X_val, y_val)`)
  // is scored there, not trained on: it goes to DataflowSpec::scored_beside_train instead.
  bool trains = false;
  // DfWatch::Keywords: only these keyword arguments (empty: any).
  std::vector<std::string> keywords{};
};

// "A value that reached sink `first` (or one derived from it) later reaches sink `then`".
struct DfOrder {
  std::string first, then;
};

struct DataflowSpec {
  std::vector<DfSource> sources;
  std::vector<DfSink> sinks;
  std::vector<DfOrder> orders;
  // Calls whose result is a different thing from their inputs: it carries no label but a
  // source's own (train_test_split's parts are not the whole data any more).
  std::vector<std::string> barriers;
  // Calls whose result is derived from their arguments and receiver (see default_propagators).
  std::vector<std::string> propagators;
  // Calls that read a value without keeping or consuming it (len, print): neither a flow nor
  // an escape.
  std::vector<std::string> inert;
  // The sink (by name) that a held-out part given to a `trains` sink beside its train part reaches.
  std::string scored_beside_train;
  // Calls whose flows are `filled_in` when their result is written into a subscript
  // (`X[missing, j] = knn.predict(X[missing, :2])`: filling in values, not scoring a model on
  // the train part; a test part predicted so is still used).
  std::vector<std::string> filling_in;
  // Estimators built from steps (ColumnTransformer, Pipeline) and the steps that learn from the
  // rows they are fitted on: `ct.fit(X)` / `ct.fit_transform(X)` on a container holding such a
  // step is called `<container>(fitted-steps).fit` / `.fit_transform`, which sinks can name. A
  // pipeline's `fit` also trains its last step (often a model): only its `fit_transform`, which
  // a transformer-only pipeline has, is renamed so.
  std::vector<std::string> step_containers;      // fit and fit_transform renamed
  std::vector<std::string> transform_pipelines;  // fit_transform renamed
  std::vector<std::string> learning_steps;       // constructors of steps that learn
};

// pandas / numpy / sklearn transformations: `*.fit_transform`, `*.transform`, `pandas.concat`,
// `*.drop`, `*.copy`, `numpy.array`, `*.predict`, ...
const std::vector<std::string>& default_propagators();
// Builtins and display helpers: len, print, type, isinstance, display, ...
const std::vector<std::string>& default_inert();

// A place in the file: for a notebook the .ipynb line with the cell and the line in the cell
// (column 0), as python findings on notebooks are reported.
struct DfLocation {
  int line = 0, column = 0;
  int cell = 0, cell_line = 0;
};

struct DfFlow {
  std::string label;  // the source's
  std::string sink;   // the sink's name
  DfLocation source_at, sink_at;
  std::string source_text, sink_text;  // first line of each call
  std::vector<std::string> path;       // names the value went through, source first (bounded)
  uint64_t step = 0;                   // the sink statement's number in execution order
  int scope = 0;                       // first line of the enclosing function; 0 at module level
  size_t origin = 0;                   // index in DataflowResult::origins
  // The sink call's result is written into a subscript (spec.filling_in): filling in values
  // (imputing the train part's gaps) scores no model on that part.
  bool filled_in = false;
};

// A source site that produced a tracked value, and whether any of its values escaped: went
// where the analysis cannot follow (an unknown call, a return, an attribute, a loop, a
// comprehension), so "never reaches" cannot be claimed for it.
struct DfOrigin {
  std::string label;
  DfLocation at;
  std::string text;
  int scope = 0;
  bool escaped = false;
  uint32_t site = 0;  // origins of one call share a site (a split's train and test parts)
  uint64_t step = 0;  // the statement's number in execution order
  // A split of an earlier split's train part: that split's site (UINT32_MAX: none).
  uint32_t parent_site = UINT32_MAX;
  // A seeded call's whole text without whitespace, hashed (0: unseeded or too long): two seeded
  // splits of the same arguments written alike are the same split.
  uint64_t twin = 0;
};

struct DfOrderHit {
  size_t order = 0;  // index in spec.orders
  DfFlow first, then;
};

struct DataflowResult {
  std::vector<DfOrigin> origins;
  std::vector<DfFlow> flows;  // in execution order (module scope first, then each function)
  std::vector<DfOrderHit> order_hits;
  // A bound was hit (nodes, values, names, flows, an unreadable part): the result may miss
  // flows. `note` says which, for a diagnostic.
  bool truncated = false;
  std::string note;
  // Score or metric calls given data that is no split's part (a dataset's own test set): their
  // statement step and scope (as DfFlow's), at most 256.
  std::vector<std::pair<uint64_t, int>> other_scores;
};

// What the analysis reads: a .py file's parse, or a notebook with the parse of its `source`
// (document order; re-parsed in execution order when every code cell has an execution count
// and they order the cells differently).
struct DfCode {
  const PythonParse* parse = nullptr;
  const NotebookCode* notebook = nullptr;
};

DataflowResult analyse_dataflow(const DfCode& code, const DataflowSpec& spec);

// ---- The questions rules ask, one call each --------------------------------------------

// Qualified call-name globs the questions use; the defaults cover pandas, numpy and sklearn.
struct DfCalls {
  std::vector<std::string> data_sources;  // the whole data: pandas.read_*, numpy.load, sklearn.datasets.*
  std::vector<std::string> splits;        // sklearn.model_selection.train_test_split
  std::vector<std::string>
      preprocess_fits;                   // scalers, encoders, imputers, selectors, ... fit / fit_transform
  std::vector<std::string> evaluations;  // *.score, *.evaluate, *.predict*, sklearn.metrics.*
  std::vector<std::string> fits;         // *.fit, *.fit_transform, *.partial_fit, ...
  std::vector<std::string> model_fits;   // fits of a model: not preprocessing, decomposition, clustering
  std::vector<std::string> cross_validations;  // sklearn.model_selection.cross_val_score, cross_validate
  std::vector<std::string> propagators;        // default_propagators()
  // DataflowSpec::step_containers, transform_pipelines and learning_steps.
  std::vector<std::string> step_containers, transform_pipelines, learning_steps;
  static DfCalls defaults();
};

struct DfFinding {
  DfLocation at;       // where to report
  std::string text;    // that call's first line
  DfLocation related;  // the other end: the earlier fit, the source
  std::string related_text;
  std::vector<std::string> path;  // names the value went through
};

struct DfAnswer {
  std::vector<DfFinding> findings;
  bool truncated = false;
  std::string note;
};

// Each question runs the analysis once with one spec for all three (so each costs what all
// three do together); ml_questions answers the three from that one run.

// 1. Leakage: a value derived from the whole data reaches a preprocessing fit, and that value
// (or one derived from it) is later passed to a split. Reported at the fit.
DfAnswer fit_before_split(const DfCode& code, const DfCalls& calls = DfCalls::defaults());
// 2. A model (not a scaler, decomposition or clustering: DfCalls::model_fits) is fitted on a
// split's train part, but the test parts never reach an evaluation (and
// never escape) and the train part is not evaluated either (that is question 4). Reported at the
// split.
DfAnswer test_split_not_evaluated(const DfCode& code, const DfCalls& calls = DfCalls::defaults());
// 3. A split's test part reaches a fit (training on the test set), unless it was evaluated on
// first (refitting on all the data once the held-out score is known). Reported at the fit.
DfAnswer test_split_fitted(const DfCode& code, const DfCalls& calls = DfCalls::defaults());
// 4. A split's train part reaches an evaluation, and its test parts never do (nor escape): the
// only score reported is on training data. Reported at the evaluation.
DfAnswer evaluated_on_train_split(const DfCode& code, const DfCalls& calls = DfCalls::defaults());

struct DfAnswers {
  DfAnswer fit_before_split, test_split_not_evaluated, test_split_fitted, evaluated_on_train_split;
  DfAnswer test_split_steers_training;
};
DfAnswers ml_questions(const DfCode& code, const DfCalls& calls = DfCalls::defaults());

// ---- Sources to sinks, as a rule states them ---------------------------------------------

// "A value a `sources` call returns reaches an argument of a `sinks` call" (semgrep's taint mode
// without sanitizers): `path = hf_hub_download(...)` ... `joblib.load(path)`. The value goes
// through default_propagators(), `propagators`, and file openers (`open`, `io.BytesIO`,
// `gzip.open`, `os.path.join`, `pathlib.Path`, ...) bound by `with ... as f`.
struct DfTaint {
  std::vector<std::string> sources, sinks, propagators;
  std::vector<std::pair<std::string, std::string>> sink_unless_keywords;
};
// One finding per sink call reached, at the sink; `related` is the first source that reached it.
DfAnswer source_reaches_sink(const DfCode& code, const DfTaint& taint);

}  // namespace mlops
