// The rule set in a compact binary form: the built-in rules are loaded from their YAML at build
// time (src/rules/builtin/compile_rules.cc) and written in it, so that start-up reads the loaded
// rules back instead of parsing YAML (most of a one-file run). Only this build's binary reads what
// it wrote; a blob from another version, or a damaged one, is refused as a whole.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysers/lazy_regex.h"
#include "rules/rule.h"

namespace mlops {

// Appends values: unsigned integers as LEB128 varints, strings length-prefixed.
class RuleWriter {
 public:
  void u64(uint64_t v);
  void str(std::string_view s);
  void strings(const std::vector<std::string>& v);
  // Whether there is one, and its pattern (read back compiled at first use).
  void regex(const Regex& r);
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// Reads what RuleWriter wrote. A read past the end, or a count larger than what is left, sets
// the failure flag and gives a default value: the caller checks ok() once at the end.
class RuleReader {
 public:
  explicit RuleReader(std::string_view bytes) : in_(bytes) {}
  uint64_t u64();
  // A count of items that each take at least one byte: bounded by what is left.
  size_t count();
  // An index below `size`.
  size_t index(size_t size);
  bool flag() { return u64() != 0; }
  std::string str();
  std::vector<std::string> strings();
  Regex regex();
  void fail() { ok_ = false; }
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// What a RuleLoader holds before finish(): the rules, conditions (with the file that defined
// each) and queries of the files added so far.
struct CompiledRules {
  RuleSet set;
  std::map<std::string, std::string> condition_sources;  // condition name -> rule file
};

std::string encode_rules(const RuleSet& set, const std::map<std::string, std::string>& condition_sources);
// nullopt when `bytes` is not what encode_rules of this build wrote.
std::optional<CompiledRules> decode_rules(std::string_view bytes);

}  // namespace mlops
