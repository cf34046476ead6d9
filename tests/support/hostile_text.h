// Hostile text for the output tests (report and audit formats): bytes that break a format that
// forgets to escape them, and a check that rendered markdown stays inert.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace mlops::testing {

// Invalid UTF-8 (a stray byte, an overlong form), ESC and BEL, C1 CSI, markup, a new workflow
// command, a markdown link and table break, an attribute break-out, a NUL.
inline const std::string kHostile = [] {
  using namespace std::string_literals;  // the literal holds a NUL
  return "evil\x1b[2J\x07\xFF\xC0\xAF\xC2\x9B<script>alert(1)</script>\"' onx=\"1&amp\x01\n::error::x|`[l](javascript:x)\r%\0z"s;
}();

// Markdown with its code spans (whose content is shown literally) left out.
inline std::string outside_code_spans(const std::string& md) {
  std::string out;
  for (size_t i = 0; i < md.size();) {
    if (md[i] == '\\' && i + 1 < md.size()) {
      out += md.substr(i, 2);
      i += 2;
      continue;
    }
    if (md[i] != '`') {
      out += md[i++];
      continue;
    }
    size_t run = std::min(md.find_first_not_of('`', i), md.size()) - i;
    std::string fence(run, '`');
    size_t close = md.find(fence, i + run);
    while (close != std::string::npos && close + run < md.size() && md[close + run] == '`')
      close = md.find(fence, md.find_first_not_of('`', close));
    if (close == std::string::npos) {
      out += fence;
      i += run;
    } else {
      i = close + run;
    }
  }
  return out;
}

// No raw HTML and no link or image from the input: every `](` is escaped or ours.
inline void expect_inert_markdown(const std::string& md) {
  std::string text = outside_code_spans(md);
  EXPECT_EQ(text.find("<script"), std::string::npos) << md;
  for (size_t at = text.find("](javascript"); at != std::string::npos; at = text.find("](javascript", at + 1))
    EXPECT_EQ(text[at - 1], '\\') << md;
}

}  // namespace mlops::testing
