// A small XML 1.0 well-formedness checker for tests and fuzz targets: well-formed UTF-8, only
// characters XML allows, a balanced element tree, quoted attributes, known entity references.
// Enough to catch what a reporter can get wrong; not a full parser (no DTD, no CDATA).
#pragma once
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "util/escape.h"

namespace mlops::testing {

namespace xml_detail {

inline bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// `&...;` at s[i]: a predefined entity or a character reference to an allowed character.
inline bool entity_at(std::string_view s, size_t i, size_t& end) {
  size_t semi = s.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return false;
  std::string_view ref = s.substr(i + 1, semi - i - 1);
  end = semi + 1;
  if (ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos") return true;
  if (ref.size() < 2 || ref[0] != '#') return false;
  unsigned long v = 0;
  try {
    v = ref[1] == 'x' ? std::stoul(std::string(ref.substr(2)), nullptr, 16)
                      : std::stoul(std::string(ref.substr(1)));
  } catch (...) {
    return false;
  }
  if (v < 0x20) return v == 9 || v == 10 || v == 13;
  return v != 0xFFFE && v != 0xFFFF && !(v >= 0xD800 && v <= 0xDFFF) && v <= 0x10FFFF;
}

}  // namespace xml_detail

// True when `doc` is well-formed; otherwise `error` says what and where (byte offset).
inline bool xml_well_formed(std::string_view doc, std::string& error) {
  using namespace xml_detail;
  auto fail = [&](const std::string& what, size_t at) {
    error = what + " at byte " + std::to_string(at);
    return false;
  };
  if (!valid_utf8(doc)) return fail("ill-formed UTF-8", 0);
  // Characters XML forbids, as raw bytes: C0 controls (not tab/LF/CR), U+FFFE, U+FFFF.
  for (size_t i = 0; i < doc.size(); ++i) {
    auto c = static_cast<unsigned char>(doc[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return fail("control character", i);
    if (c == 0xEF && i + 2 < doc.size() && static_cast<unsigned char>(doc[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(doc[i + 2]) == 0xBE || static_cast<unsigned char>(doc[i + 2]) == 0xBF))
      return fail("noncharacter U+FFFE/U+FFFF", i);
  }
  std::vector<std::string> open;
  bool root_seen = false;
  size_t i = 0;
  if (doc.starts_with("<?xml")) {
    i = doc.find("?>");
    if (i == std::string_view::npos) return fail("unterminated declaration", 0);
    i += 2;
  }
  while (i < doc.size()) {
    char c = doc[i];
    if (c == '&') {
      size_t end = 0;
      if (!entity_at(doc, i, end)) return fail("bad entity reference", i);
      if (open.empty()) return fail("text outside the root element", i);
      i = end;
    } else if (c != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(c)))
        return fail("text outside the root", i);
      if (c == '>' && i >= 2 && doc.substr(i - 2, 3) == "]]>") return fail("]]> in text", i);
      ++i;
    } else if (doc.substr(i, 4) == "<!--") {
      size_t end = doc.find("-->", i + 4);
      if (end == std::string_view::npos) return fail("unterminated comment", i);
      i = end + 3;
    } else if (doc.substr(i, 2) == "</") {
      size_t j = i + 2, start = j;
      while (j < doc.size() && name_char(doc[j])) ++j;
      std::string name(doc.substr(start, j - start));
      while (j < doc.size() && std::isspace(static_cast<unsigned char>(doc[j]))) ++j;
      if (j >= doc.size() || doc[j] != '>') return fail("bad end tag", i);
      if (open.empty() || open.back() != name) return fail("end tag </" + name + "> does not match", i);
      open.pop_back();
      i = j + 1;
    } else {
      size_t j = i + 1, start = j;
      while (j < doc.size() && name_char(doc[j])) ++j;
      if (j == start) return fail("tag without a name", i);
      std::string name(doc.substr(start, j - start));
      if (open.empty() && root_seen) return fail("second root element", i);
      std::vector<std::string> attrs;
      for (;;) {
        while (j < doc.size() && std::isspace(static_cast<unsigned char>(doc[j]))) ++j;
        if (j >= doc.size()) return fail("unterminated tag", i);
        if (doc[j] == '>' || doc.substr(j, 2) == "/>") break;
        size_t an = j;
        while (j < doc.size() && name_char(doc[j])) ++j;
        if (j == an || j >= doc.size() || doc[j] != '=') return fail("bad attribute", j);
        std::string attr(doc.substr(an, j - an));
        for (const auto& a : attrs)
          if (a == attr) return fail("repeated attribute " + attr, an);
        attrs.push_back(attr);
        ++j;
        if (j >= doc.size() || (doc[j] != '"' && doc[j] != '\'')) return fail("unquoted attribute", j);
        char q = doc[j++];
        while (j < doc.size() && doc[j] != q) {
          if (doc[j] == '<') return fail("< in attribute value", j);
          if (doc[j] == '&') {
            size_t end = 0;
            if (!entity_at(doc, j, end)) return fail("bad entity reference in attribute", j);
            j = end;
          } else {
            ++j;
          }
        }
        if (j >= doc.size()) return fail("unterminated attribute value", an);
        ++j;
      }
      root_seen = true;
      if (doc[j] == '/') {
        i = j + 2;
      } else {
        open.push_back(name);
        i = j + 1;
      }
    }
  }
  if (!open.empty()) return fail("unclosed element <" + open.back() + ">", doc.size());
  if (!root_seen) return fail("no root element", 0);
  return true;
}

}  // namespace mlops::testing
