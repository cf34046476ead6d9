// The limits that keep the work and memory of one scan bounded on hostile input, in one place.
// A repository cannot raise any of them: they are the tool's own safety limits, not settings.
#pragma once
#include <cstddef>
#include <cstdint>

namespace mlops {

// JSON (notebooks): nlohmann's parser copes with any depth, but dump() and recursive visits use
// one stack frame per level; real notebook outputs nest a dozen levels.
inline constexpr int kMaxJsonDepth = 256;

// TOML: toml++ recurses per dotted-key segment, table-header segment and nested value (it stops
// nested values at 256 itself, but a 50,000-segment dotted key overflows the stack first).
// Real files nest under ten levels; half of toml++'s own limit leaves a wide stack margin.
inline constexpr int kMaxTomlDepth = 128;

// YAML: nodes one walk may visit in a document (aliases make a small file a huge tree: a
// "billion laughs" of 9 levels of 9 aliases is 9^9 nodes), and how deep it goes.
inline constexpr size_t kMaxYamlNodesVisited = 200000;
inline constexpr int kMaxYamlDepth = 64;
// A whole YAML stream, aliases expanded, checked before it is loaded: refused beyond this.
// Generous (a large Kubernetes manifest holds tens of thousands of nodes) and still small enough
// that any walk of it is quick.
inline constexpr uint64_t kMaxYamlExpandedNodes = 1000000;

// Python: syntax-tree nodes the facts walk visits per file. 10 MB of dense code is ~8M nodes;
// past the budget the file's facts are incomplete and a diagnostic says so.
inline constexpr size_t kMaxPythonNodesVisited = 8000000;
// Python files over this size are parsed a chunk of top-level statements at a time (the syntax
// tree costs up to ~200 bytes per source byte: 10 MB of `f(x)` lines took 2 GB parsed whole).
inline constexpr size_t kPythonChunkBytes = 1024 * 1024;
// Raw tree-sitter queries (python_query) are not run over a tree deeper than this: the query
// cursor's work grows with depth. Real code nests well under a hundred levels.
inline constexpr uint32_t kMaxTreeQueryDepth = 1000;
// Calls recorded per file: each costs a few hundred bytes of facts (and cache).
inline constexpr size_t kMaxPythonCallsPerFile = 200000;
// Bytes of a dotted name or callee we build (`a.b().b()...` chains): names longer than this
// are cut, so building the names of a chain stays linear in its length.
inline constexpr size_t kMaxNameBytes = 256;

// Data flow (analysers/dataflow.h), within the Python node budget above. Past each bound the
// analysis goes on without what it would have added, and its result says which bound was hit.
// Sources per data-flow spec.
inline constexpr size_t kMaxDfSources = 32;
// Names with a tracked value per scope; past it new names are not tracked (and the result says so).
inline constexpr size_t kMaxDfNamesPerScope = 10000;
// Values (one per binding or derivation of a tracked value) per file.
inline constexpr size_t kMaxDfValues = 200000;
// Flows (source reaching a sink) reported per file.
inline constexpr size_t kMaxDfFlows = 4000;
// Names kept of the way a value went (source first); longer paths keep their first names.
inline constexpr size_t kMaxDfPath = 8;
// Ancestors a value remembers (for "reached K, then C"); older ones are forgotten: silence.
inline constexpr size_t kMaxDfAncestors = 32;
// Source sites a value carries at once (concat of many tracked frames keeps the first ones).
inline constexpr size_t kMaxDfOrigins = 8;
// Targets of one unpacking assignment; a wider one binds nothing tracked.
inline constexpr size_t kMaxDfTargets = 256;
// Expression nesting the evaluation follows; deeper subtrees are only scanned (iteratively).
inline constexpr int kMaxDfExprDepth = 64;

// Text a finding or fact keeps of a source line (snippets, subjects): a 200 MB line must not be
// copied per match.
inline constexpr size_t kMaxSnippetBytes = 200;
// The whole text of a call kept for `text:` checks (newlines as spaces).
inline constexpr size_t kMaxCallTextBytes = 2000;

// Rules: how many a repository's rule directories may add (10,000 rules took 2.4 GB), and the
// size of one rule file.
inline constexpr size_t kMaxRepositoryRules = 2000;
inline constexpr uint64_t kMaxRuleFileSize = 1024 * 1024;

// Configuration files (.mlops-lint.yaml, pyproject.toml read for our table), and the values one
// may hold (a real one holds tens; aliases could make a small file build millions).
inline constexpr uint64_t kMaxConfigSize = 1024 * 1024;
inline constexpr size_t kMaxConfigValues = 100000;

// A .gitattributes read from a git tree (audits): checked against the object header before the
// blob is inflated; a larger one is not applied.
inline constexpr uint64_t kMaxGitattributesSize = 1024 * 1024;
// Git blobs: a read asking for a prefix of a blob larger than this is refused rather than inflating
// the whole object (libgit2 has no partial inflate for packed objects).
inline constexpr uint64_t kMaxBlobPrefixInflate = 1024 * 1024;

}  // namespace mlops
