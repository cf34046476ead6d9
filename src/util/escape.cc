// Escapers for the output formats (see escape.h): one UTF-8 decoder, one rule per format.
#include "util/escape.h"

#include <fmt/format.h>

#include <algorithm>

namespace mlops {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at s[i] (its code point in `cp`), or 0 when the byte
// there starts none. Ranges from the Unicode standard's table of well-formed byte sequences, so
// overlong forms, surrogates and values above U+10FFFF are all rejected.
size_t decode(std::string_view s, size_t i, char32_t& cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c == 0xE0)
    n = 3, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
    n = 3;
  else if (c == 0xED)
    n = 3, hi = 0x9F;
  else if (c == 0xF0)
    n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3)
    n = 4;
  else if (c == 0xF4)
    n = 4, hi = 0x8F;
  else
    return 0;
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (b(i + k) & 0x3F);
  return n;
}

// Calls `each(code_point, bytes)` per well-formed character and `bad(byte)` per byte that is not.
template <typename Each, typename Bad>
void for_each_char(std::string_view s, Each each, Bad bad) {
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    size_t n = decode(s, i, cp);
    if (n == 0) {
      bad(static_cast<unsigned char>(s[i]));
      ++i;
    } else {
      each(cp, s.substr(i, n));
      i += n;
    }
  }
}

bool xml_allowed(char32_t cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
  return cp != 0xFFFE && cp != 0xFFFF;
}

// Characters a terminal acts on instead of showing, and those that reorder what it shows.
bool terminal_unsafe(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

}  // namespace

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    size_t n = decode(s, i, cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_char(
      s, [&](char32_t, std::string_view bytes) { out += bytes; },
      [&](unsigned char) { out += kReplacement; });
  return out;
}

std::string percent_encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/')
      out += ch;
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string escape_xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_char(
      s,
      [&](char32_t cp, std::string_view bytes) {
        switch (cp) {
          case '&':
            out += "&amp;";
            break;
          case '<':
            out += "&lt;";
            break;
          case '>':
            out += "&gt;";
            break;
          case '"':
            out += "&quot;";
            break;
          case '\'':
            out += "&#39;";
            break;
          case '\t':
            out += "&#9;";
            break;
          case '\n':
            out += "&#10;";
            break;
          case '\r':
            out += "&#13;";
            break;
          default:
            out += xml_allowed(cp) ? bytes : kReplacement;
        }
      },
      [&](unsigned char) { out += kReplacement; });
  return out;
}

std::string escape_terminal(std::string_view s, bool keep_newlines) {
  std::string out;
  out.reserve(s.size());
  for_each_char(
      s,
      [&](char32_t cp, std::string_view bytes) {
        if (keep_newlines && (cp == '\n' || cp == '\t'))
          out += bytes;
        else if (cp < 0x80 && terminal_unsafe(cp))
          out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
        else if (terminal_unsafe(cp))
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
        else
          out += bytes;
      },
      [&](unsigned char c) { out += fmt::format("\\x{:02x}", c); });
  return out;
}

std::string escape_github_data(std::string_view s) {
  std::string out;
  for (char c : escape_terminal(s, true)) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string escape_github_property(std::string_view s) {
  std::string out;
  for (char c : escape_github_data(s)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

std::string escape_markdown(std::string_view s) {
  std::string out;
  for (char c : escape_terminal(sanitize_utf8(s))) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      // Table breaks, code spans, links and images, emphasis and escapes themselves ('_' only
      // emphasises at word edges and slugs are full of it: left alone).
      case '|':
      case '`':
      case '[':
      case ']':
      case '*':
      case '\\':
        out += '\\', out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_code(std::string_view s) {
  std::string body;
  size_t run = 0, longest = 0;
  for (char c : escape_terminal(sanitize_utf8(s))) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    // GFM splits table cells at `|` even inside code spans unless it is escaped.
    if (c == '|')
      body += "\\|";
    else
      body += c;
  }
  // A fence one backtick longer than any run inside; spaces keep edge backticks apart from it.
  std::string fence(longest + 1, '`');
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

}  // namespace mlops
