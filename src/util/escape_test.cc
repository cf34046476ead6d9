// Tests of the output escapers on hostile bytes: invalid UTF-8, controls, escape sequences.
#include "util/escape.h"

#include <gtest/gtest.h>

#include "support/xml_check.h"

namespace mlops {
namespace {

TEST(Escape, ValidUtf8AcceptsWellFormedAndRejectsEveryIllFormedKind) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
  EXPECT_FALSE(valid_utf8("\xFF"));
  EXPECT_FALSE(valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(valid_utf8("\x80"));              // lone continuation
}

TEST(Escape, SanitizeReplacesEachBadByteAndKeepsTheRest) {
  EXPECT_EQ(sanitize_utf8("a\xFF"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(sanitize_utf8("\xC3\xA9\xC3"), "\xC3\xA9\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(valid_utf8(sanitize_utf8("x\xF0\x9F\x98")));
}

TEST(Escape, PercentEncodeKeepsUnreservedAndSlashes) {
  EXPECT_EQ(percent_encode("src/a b\xFF.py"), "src/a%20b%FF.py");
  EXPECT_EQ(percent_encode("100%:x"), "100%25%3Ax");
}

TEST(Escape, XmlEscapesMarkupAndDropsForbiddenCharacters) {
  EXPECT_EQ(escape_xml("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  EXPECT_EQ(escape_xml("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
  EXPECT_EQ(escape_xml("\x01\x1b"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(escape_xml("\xEF\xBF\xBE"), "\xEF\xBF\xBD");  // U+FFFE
  EXPECT_EQ(escape_xml("\xFF"), "\xEF\xBF\xBD");
  using namespace std::string_literals;
  std::string hostile = "\x00\x01\x1b[31m\xFF\xC0<]]>&x;\xEF\xBF\xBF\"'\0"s;
  std::string doc = "<r a=\"" + escape_xml(hostile) + "\">" + escape_xml(hostile) + "</r>";
  std::string error;
  EXPECT_TRUE(testing::xml_well_formed(doc, error)) << error;
}

TEST(Escape, TerminalShowsControlsAndBadBytesEscaped) {
  EXPECT_EQ(escape_terminal("red \x1b[31mX\x07\r\x7f"), "red \\x1b[31mX\\x07\\x0d\\x7f");
  EXPECT_EQ(escape_terminal("a\nb"), "a\\x0ab");
  EXPECT_EQ(escape_terminal("a\nb\tc", true), "a\nb\tc");
  EXPECT_EQ(escape_terminal("\xC2\x9B"
                            "2J"),
            "\\u009b2J");  // C1 CSI, UTF-8 encoded
  EXPECT_EQ(escape_terminal("\x9B"
                            "2J"),
            "\\x9b2J");  // C1 CSI as a raw byte
  EXPECT_EQ(escape_terminal("abc\xE2\x80\xAE"
                            "cba"),
            "abc\\u202ecba");  // right-to-left override
  EXPECT_EQ(escape_terminal("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(Escape, GithubCommandsEncodePercentLineBreaksAndPropertySeparators) {
  // A CR is a control character: shown escaped, like in the text report; LF stays a line break.
  EXPECT_EQ(escape_github_data("50%\r\ndone"), "50%25\\x0d%0Adone");
  EXPECT_EQ(escape_github_property("a:b,c%"), "a%3Ab%2Cc%25");
  // A message cannot start a new workflow command nor colour the log.
  EXPECT_EQ(escape_github_data("x\n::set-env name=A::1\x1b[0m"), "x%0A::set-env name=A::1\\x1b[0m");
  EXPECT_EQ(escape_github_property("f\n::error::x"), "f%0A%3A%3Aerror%3A%3Ax");
}

TEST(Escape, MarkdownNeutralisesHtmlLinksAndTableBreaks) {
  EXPECT_EQ(escape_markdown("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(escape_markdown("[click](https://evil) | `x`"), "\\[click\\](https://evil) \\| \\`x\\`");
  EXPECT_EQ(escape_markdown("a\nb"), "a\\\\x0ab");
  EXPECT_EQ(markdown_code("src/a.py:3"), "`src/a.py:3`");
  EXPECT_EQ(markdown_code("a`b``c"), "```a`b``c```");
  EXPECT_EQ(markdown_code("`x"), "`` `x ``");
  EXPECT_EQ(markdown_code("a|b"), "`a\\|b`");
}

}  // namespace
}  // namespace mlops
