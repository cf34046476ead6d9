// Escapers for every output format: file names and contents are arbitrary bytes (invalid UTF-8,
// control characters, terminal escape sequences), and each format has its own way to break.
#pragma once
#include <string>
#include <string_view>

namespace mlops {

// Is `s` well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF)?
bool valid_utf8(std::string_view s);

// `s` with each ill-formed sequence replaced by U+FFFD, for JSON and XML (which must be UTF-8).
std::string sanitize_utf8(std::string_view s);

// The original bytes percent-encoded (RFC 3986: unreserved characters and '/' stay), so tools
// can recover a name that is not UTF-8; also the URI form of a path for SARIF.
std::string percent_encode(std::string_view bytes);

// XML 1.0 text or attribute value: well-formed UTF-8, characters XML forbids (C0 controls other
// than tab, LF, CR; U+FFFE, U+FFFF) replaced by U+FFFD, markup characters escaped. Tab, LF and
// CR become character references so attribute values survive normalisation.
std::string escape_xml(std::string_view s);

// HTML text or (quoted) attribute value: the same rules as XML.
inline std::string escape_html(std::string_view s) {
  return escape_xml(s);
}

// Terminal-safe text: control characters (C0 incl. ESC, CR, BEL; DEL; C1 in either encoding),
// bidirectional overrides and ill-formed UTF-8 bytes are shown as `\x1b`, `\u009b`, `\u202e`.
// `keep_newlines` leaves LF (and tab) as they are for multi-line text.
std::string escape_terminal(std::string_view s, bool keep_newlines = false);

// GitHub workflow commands (`::error file=...::message`): terminal-safe, then `%`, CR and LF
// percent-encoded; properties also encode `:` and `,`.
std::string escape_github_data(std::string_view s);
std::string escape_github_property(std::string_view s);

// Markdown text in a table cell or a list item: no raw HTML, no links or images, no table
// breaks, no line breaks.
std::string escape_markdown(std::string_view s);
// A code span holding `s` whatever backticks it contains (and safe in a table cell).
std::string markdown_code(std::string_view s);

}  // namespace mlops
