// Facts extracted from one file: the answers to the rule set's file queries, plus diagnostics.
// They depend only on the file's bytes and the query set, which is what makes them cacheable.
#pragma once
#include <string>
#include <vector>

#include "model/location.h"

namespace mlops {

// One place in a file where a query matched.
struct Match {
  int line = 0;
  int column = 0;
  int cell = 0;  // notebook cell, when the file is a notebook
  int cell_line = 0;
  std::string text;  // the matched text (a snippet), used for messages and stable fingerprints
  // Python calls: the first line of the innermost enclosing function, 0 at module level. Lines
  // order execution only within one scope (a helper defined above main() runs when called).
  int scope = 0;

  auto operator<=>(const Match&) const = default;
};

// Where a file holds a secret (a credential a secret pattern found): positions only, never the
// value, so facts stay safe to cache and every text quoting the value is masked by the analyser.
struct SecretSpan {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
  int length = 0;  // bytes

  auto operator<=>(const SecretSpan&) const = default;
};

struct FileFacts {
  // query_matches[q] lists the matches of query q (see analysers/query.h) in this file.
  std::vector<std::vector<Match>> query_matches;
  std::vector<Diagnostic> diagnostics;
  bool binary = false;
  bool unreadable = false;  // a format parse failed: queries on it could not be answered
  // Every secret in the file (all matches, all occurrences on a line), found when the file has
  // any text to mask. Not stored in the facts cache: the texts stored there are masked already.
  std::vector<SecretSpan> secrets;
};

}  // namespace mlops
