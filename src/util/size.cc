// Size parsing.
#include "util/size.h"

#include <cstdint>
#include <utility>

namespace mlops {

std::optional<uint64_t> parse_size(const std::string& text) {
  std::string s = text;
  uint64_t mult = 1;
  for (auto [suffix, m] :
       {std::pair{"GB", 1ull << 30}, {"MB", 1ull << 20}, {"KB", 1ull << 10}, {"B", 1ull}}) {
    std::string suf = suffix;
    if (s.size() > suf.size() && s.ends_with(suf)) {
      s.resize(s.size() - suf.size());
      mult = m;
      break;
    }
  }
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 12)
    return std::nullopt;
  uint64_t n = std::stoull(s);
  if (n > UINT64_MAX / mult) return std::nullopt;
  return n * mult;
}

}  // namespace mlops
