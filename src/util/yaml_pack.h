// A YAML document in a compact binary form, for text compiled into the binary: the built-in
// rules are packed at build time (src/rules/embed/pack_rules.cc) so that start-up rebuilds their
// nodes directly instead of scanning ~130 KB of YAML with yaml-cpp (most of a one-file run).
// Kept: the node types, scalars, tags (`!` for quoted scalars) and key order; aliases come back
// expanded. Not kept: marks (a rebuilt node's Mark() is the null mark, line -1).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace mlops {

std::string pack_yaml(const YAML::Node& document);
// The document, or nullopt when `packed` is not what pack_yaml wrote.
std::optional<YAML::Node> unpack_yaml(std::string_view packed);

}  // namespace mlops
