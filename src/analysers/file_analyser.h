// Answers every file query for one file from its bytes, parsing each format at most once.
#pragma once
#include <string_view>
#include <vector>

#include "analysers/query.h"
#include "model/facts.h"
#include "repo/snapshot.h"

namespace mlops {

// `queries` holds the whole query set; `relevant` the indexes of those that apply to this file.
FileFacts analyse_file(const FileEntry& file, std::string_view bytes,
                       const std::vector<FileQuery>& queries, const std::vector<size_t>& relevant);

// Limits that keep hostile input bounded.
inline constexpr size_t kMaxMatchesPerQuery = 200;
inline constexpr size_t kMaxYamlNodesVisited = 200000;

}  // namespace mlops
