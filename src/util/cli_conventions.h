// Command-line conventions users know from other linters: "did you mean" for a mistyped flag or
// subcommand, and colour decided by --color, NO_COLOR and FORCE_COLOR.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlops {

// Edit distance counting insertions, deletions, substitutions and swaps of two adjacent
// characters (the commonest typo) as one edit each (optimal string alignment).
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, when it is close enough to be a likely typo (at most a
// third of the word's length, and never more than 3 edits); ties go to the first candidate.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// `--color` (auto, always, never) wins; under auto, a non-empty NO_COLOR disables colour, a
// non-empty FORCE_COLOR enables it even when `tty` is false, and otherwise colour follows `tty`.
// `no_color` / `force_color` are the variables' values (nullptr when unset).
bool colour_enabled(std::string_view flag, bool tty, const char* no_color, const char* force_color);

}  // namespace mlops
