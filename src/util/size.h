// Sizes written by people: "10MB", "512KB", "1048576" -> bytes (config keys, rule predicates).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace mlops {

// nullopt for anything else (negative, fractional, unknown suffix, overflow).
std::optional<uint64_t> parse_size(const std::string& text);

}  // namespace mlops
