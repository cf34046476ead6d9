// Answers every file query for one file from its bytes, parsing each format at most once.
#pragma once
#include <memory>
#include <string_view>
#include <vector>

#include "analysers/query.h"
#include "model/facts.h"
#include "repo/snapshot.h"
#include "util/limits.h"

namespace mlops {

// All prefilter literals of a query set, searched in one pass per file (an RE2::Set) instead of
// one pass per literal: with hundreds of literals that is most of a scan's time. The set is
// compiled when the first files' one-by-one searches have cost about as much (a few small
// files never need it). Thread-safe.
class PrefilterIndex {
 public:
  explicit PrefilterIndex(const std::vector<FileQuery>& queries);
  ~PrefilterIndex();
  PrefilterIndex(const PrefilterIndex&) = delete;
  PrefilterIndex& operator=(const PrefilterIndex&) = delete;
  // Per literal id: does `bytes` contain it (as a plain substring)?
  std::vector<bool> present(std::string_view bytes) const;
  // Literal ids of query q's prefilter.
  const std::vector<int>& literals_of(size_t q) const { return per_query_[q]; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::vector<int>> per_query_;
};

// `queries` holds the whole query set; `relevant` the indexes of those that apply to this file.
// `index` (optional) must have been built from `queries`.
// `as_requirements`: read the file as a requirements file whatever its name (it is pulled in by
// another one's `-r` / `-c`).
FileFacts analyse_file(const FileEntry& file, std::string_view bytes, const std::vector<FileQuery>& queries,
                       const std::vector<size_t>& relevant, const PrefilterIndex* index = nullptr,
                       bool as_requirements = false);

// Would `q`'s literal prefilter let `bytes` (a Python file's) through to the query (and so, for
// Python queries, to a parse)? A python_string query also needs a string literal its pattern
// matches. For tests that guard prefilters from becoming too broad.
bool prefilter_admits(const FileQuery& q, std::string_view bytes);

// Limits that keep hostile input bounded.
inline constexpr size_t kMaxMatchesPerQuery = 200;

}  // namespace mlops
