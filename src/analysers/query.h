// File queries: the per-file questions the rule set asks. Rules compile to these once; every file
// is read and parsed once and all queries are answered in that single pass.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysers/lazy_regex.h"
#include "util/glob.h"

namespace mlops {

class PyTreeQuery;

// How a prefilter literal must occur in a file's bytes.
enum class LiteralMode : unsigned char {
  Substring,   // anywhere
  Word,        // as a whole identifier
  Call,        // as a whole identifier that is called (`name(`) or imported under an alias
  CallPrefix,  // as the start of an identifier that is called or aliased (`read_` in `read_csv(`)
  CallSuffix,  // as the end of one (`set_seed` in `fix_set_seed(`)
};
struct PrefilterTerm {
  size_t literal = 0;  // index in FileQuery::prefilter
  LiteralMode mode = LiteralMode::Substring;
};

enum class QueryKind {
  Content,             // RE2 over the file's text, per match
  PythonImport,        // a module (or a submodule of it) is imported
  PythonCall,          // a call whose resolved qualified name matches, with keyword conditions
  PythonString,        // RE2 over the contents of string literals (never comments)
  Yaml,                // a key path exists / equals / matches in any YAML document
  Toml,                // a key path exists / equals / matches
  DependencyDeclared,  // a package is declared in a dependency manifest (all of them when `names` is
                       // empty; `main_only`: only required ones, after a ProjectName fact naming the
                       // project)
  DependencyUnpinned,  // a declared requirement that is not pinned to one version
  NotebookOutOfOrder,  // a notebook whose executed cells ran out of document order
  NotebookOutputs,     // a notebook committed with outputs of at least `min_output_bytes`
  PythonDef,           // a function definition whose name matches (`def_with_calls`, `def_test`)
  CiCommands,          // every command a CI configuration file runs (Command and GitLab CiInclude /
                       // CiTemplate / CiExtends facts, model/facts.h)
  BuildCommands,       // make targets, tox envs, pre-commit hooks (Command facts: runner, scope, command)
  DependencyLocked,    // a lock file (that parses) pins the package (`names`; empty: any package)
  LockContents,        // one match per non-empty lock: its package names, normalised, '\n'-separated
  DockerInstruction,   // a Dockerfile instruction (`names`: keywords) whose arguments match `pattern`
  DockerUnpinnedBase,  // a FROM whose base image has no version tag or digest
  PythonClass,         // a class whose name matches `names` (globs) deriving from one of `bases` (globs)
  PythonAssign,        // a module-level NAME = value; names globs, `regex` over the value
  PythonQuery,         // a raw tree-sitter query (`tree_query`), reporting the `capture`d node
  // A requirements file's includes and pins: RequirementInclude (-r FILE), RequirementConstraint
  // (-c FILE) and RequirementPin (a pinned package) facts, for the engine to follow `-r` and apply
  // constraints files.
  RequirementIncludes,
  // Data flow within a Python file or a notebook (analysers/dataflow.h): the findings of one of
  // the questions it answers (`question`).
  Dataflow,
  NotebookErrors,  // a notebook's code cells committed with error outputs (tracebacks)
};

// The data-flow questions a rule can ask (analysers/dataflow.h).
enum class DataflowQuestion {
  FitBeforeSplit,           // preprocessing fitted on the whole data that is later split
  TestSplitNotEvaluated,    // a split's test part never reaches an evaluation
  TestSplitFitted,          // a split's test part reaches a fit
  EvaluatedOnTrainSplit,    // a split's train part is evaluated, its test part never is
  TestSplitSteersTraining,  // a split's test part validates a fit (early stopping) and is scored too
  SourceToSink,             // a value one of `dataflow_sources` returns reaches a `dataflow_sinks` call
};

enum class ValueOp { Exists, Equals, Matches };

struct FileQuery {
  QueryKind kind = QueryKind::Content;
  // Shared by most kinds.
  std::vector<std::string> globs;  // files the query looks at (empty: the kind's default files)
  std::string pattern;             // RE2: Content, PythonString, PythonCall/Assign, Docker, Yaml+Toml
                                   // Matches; PythonQuery: the tree-sitter query text
  std::vector<std::string> names;  // modules, qualified call names (globs), package names, keywords
  Regex regex;                     // `pattern`, compiled at first use, shared read-only across threads

  // Yaml / Toml: a key path ("*" matches any key or item) and what its value must be.
  std::vector<std::string> key_path;
  ValueOp op = ValueOp::Exists;
  std::string value;                   // Equals: the literal
  std::string doc_kind;                // Yaml: only documents whose top-level `kind` matches (glob)
  std::vector<std::string> doc_lacks;  // Yaml: only documents where none of these key paths exists
  // Yaml: the map holding the path's last key must also hold each KEY with a scalar matching the
  // RE2 pattern (`versioned: true` beside `filepath: ...models/...`). Compiled in beside_regexes.
  std::vector<std::pair<std::string, std::string>> beside;
  std::vector<Regex> beside_regexes;  // the `beside` patterns, in order

  // PythonCall: keywords the call must / must not pass, and (keyword, literal) pairs it must / must
  // not pass as written.
  std::vector<std::string> has_keywords, lacks_keywords;
  std::vector<std::pair<std::string, std::string>> keyword_values, keyword_not_values;
  // PythonString: not the arguments of os.getenv & co.
  bool skip_env_arguments = false;
  // PythonString: not the operands of comparisons.
  bool skip_comparisons = false;
  bool skip_suffixes = false;  // python_string: not the right operand of `+`
  // PythonImport: only imports outside any function (a module's own, not a pipeline component's).
  bool top_level = false;
  // PythonDef: the body calls something / the function is collected by a test runner.
  bool def_with_calls = false, def_test = false;
  // PythonClass: base class globs (resolved names).
  std::vector<std::string> bases;
  // PythonQuery: the capture reported (empty: the query's first), compiled with `pattern`.
  std::string capture;
  std::shared_ptr<const PyTreeQuery> tree_query;

  // NotebookOutputs: the smallest total of output bytes reported.
  uint64_t min_output_bytes = 0;
  // Dataflow: which question; for SourceToSink, the calls (globs) whose result is followed, the
  // calls it must not reach, and calls that pass it on besides the defaults. A sink call passing
  // one of keyword_not_values is no sink.
  DataflowQuestion question = DataflowQuestion::FitBeforeSplit;
  std::vector<std::string> dataflow_sources, dataflow_sinks, dataflow_propagators;
  // DependencyDeclared: only required dependencies (no extras or groups), after a ProjectName fact.
  bool main_only = false;
  // DependencyDeclared: only requirements that name a version (any constraint, not bare).
  bool versioned_only = false;

  // Literals one of which must occur in the raw bytes before the query is answered.
  std::vector<std::string> prefilter;
  bool prefilter_words = false;  // ... as a whole identifier (not inside another word)
  bool prefilter_calls = false;  // ... called (`name(`) or aliased (`name as x`)
  // When not empty, replaces the rule above: the file must pass one of these alternatives, each
  // needing all its terms (a literal of `prefilter` occurring as the term's mode says). A call of
  // `mlflow.data.from_*` needs both the word `mlflow` and a called `from_...` identifier.
  std::vector<std::vector<PrefilterTerm>> prefilter_alternatives;

  // A canonical text form: equal queries are deduplicated and cache keys use it.
  std::string fingerprint() const;
};

// Kinds answered from the file's Python (a .py file, or a notebook's code cells): the costly
// tree-sitter parse. The one list of them.
bool parses_python(QueryKind kind);

// True when `path` is among the files `q` looks at.
bool query_applies_to(const FileQuery& q, const std::string& path);
// The same with q.globs compiled once (for asking many paths).
bool query_applies_to(const FileQuery& q, const std::string& path, const GlobList& globs);
// Whether q's kind looks at every path with that extension (path_extension), or at none;
// nullopt when the rest of the path decides (`requirements.txt`, `Dockerfile.gpu`). Globs aside.
std::optional<bool> query_kind_answer_for_extension(const FileQuery& q, std::string_view ext);

}  // namespace mlops
