#include "fix/json_spans.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

namespace mlops {
namespace {

std::string_view span(std::string_view text, const JsonNode& n) {
  return text.substr(n.start, n.end - n.start);
}

TEST(JsonSpans, ReportsSpansKeysAndTreeOfShallowValues) {
  const std::string text =
      "{\n \"a\": [1, -2.5e+3, \"x\"],\n \"b\": {\"c\": true, \"d\": null},\n \"e\": false\n}\n";
  JsonScan scan = scan_json(text, 2);
  ASSERT_TRUE(scan.ok()) << scan.error;
  ASSERT_EQ(scan.nodes.size(), 9u);
  EXPECT_EQ(scan.nodes[0].kind, JsonKind::Object);
  EXPECT_EQ(span(text, scan.nodes[0]), text.substr(0, text.size() - 1));
  EXPECT_EQ(scan.nodes[0].members, 3u);

  auto a = json_members(scan, 0, "a");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(span(text, scan.nodes[a[0]]), "[1, -2.5e+3, \"x\"]");
  EXPECT_EQ(scan.nodes[a[0]].depth, 1);
  auto elements = json_children(scan, a[0]);
  ASSERT_EQ(elements.size(), 3u);
  EXPECT_EQ(scan.nodes[elements[0]].kind, JsonKind::Number);
  EXPECT_EQ(span(text, scan.nodes[elements[1]]), "-2.5e+3");
  EXPECT_EQ(scan.nodes[elements[2]].kind, JsonKind::String);
  EXPECT_EQ(span(text, scan.nodes[elements[2]]), "\"x\"");
  EXPECT_EQ(scan.nodes[elements[2]].index, 2u);
  EXPECT_EQ(scan.nodes[elements[2]].parent, static_cast<long>(a[0]));

  auto b = json_members(scan, 0, "b");
  ASSERT_EQ(b.size(), 1u);
  auto d = json_members(scan, b[0], "d");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(scan.nodes[d[0]].kind, JsonKind::Null);
  EXPECT_EQ(span(text, scan.nodes[d[0]]), "null");
  auto e = json_members(scan, 0, "e");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(scan.nodes[e[0]].kind, JsonKind::False);
  EXPECT_TRUE(json_members(scan, 0, "zzz").empty());
}

TEST(JsonSpans, RecordsOnlyDownToTheRecordDepthButCountsMembers) {
  const std::string text = R"({"cells": [{"outputs": [{"deep": [1, 2]}]}, {}]})";
  JsonScan scan = scan_json(text, 1);
  ASSERT_TRUE(scan.ok());
  ASSERT_EQ(scan.nodes.size(), 2u);  // the root and "cells"
  EXPECT_EQ(scan.nodes[1].key, "cells");
  EXPECT_EQ(scan.nodes[1].members, 2u);
  EXPECT_EQ(scan.nodes[1].first_child, -1);
  EXPECT_EQ(span(text, scan.nodes[1]), R"([{"outputs": [{"deep": [1, 2]}]}, {}])");
  // Depth 0: only the root.
  EXPECT_EQ(scan_json(text, 0).nodes.size(), 1u);
}

TEST(JsonSpans, StringsWithEscapedQuotesBackslashesAndBracketsDoNotEndEarly) {
  const std::string text = R"({"s": "a \"quoted\" ] } [ \\", "t": "\\\"", "u": 1})";
  JsonScan scan = scan_json(text, 1);
  ASSERT_TRUE(scan.ok()) << scan.error;
  auto s = json_members(scan, 0, "s");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(span(text, scan.nodes[s[0]]), R"("a \"quoted\" ] } [ \\")");
  EXPECT_EQ(decode_json_string(span(text, scan.nodes[s[0]])), "a \"quoted\" ] } [ \\");
  auto t = json_members(scan, 0, "t");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(decode_json_string(span(text, scan.nodes[t[0]])), "\\\"");
  EXPECT_EQ(json_members(scan, 0, "u").size(), 1u);
}

TEST(JsonSpans, KeysAreDecodedIncludingUnicodeEscapesAndSurrogatePairs) {
  const std::string text = R"({"\u006futputs": [], "caf\u00e9": 1, "\ud83d\ude00": 2, "caf)"
                           "\xC3\xA9"
                           R"(!": 3})";
  JsonScan scan = scan_json(text, 1);
  ASSERT_TRUE(scan.ok()) << scan.error;
  EXPECT_EQ(json_members(scan, 0, "outputs").size(), 1u);
  EXPECT_EQ(json_members(scan, 0, "caf\xC3\xA9").size(), 1u);
  EXPECT_EQ(json_members(scan, 0, "\xF0\x9F\x98\x80").size(), 1u);
  EXPECT_EQ(json_members(scan, 0, "caf\xC3\xA9!").size(), 1u);
  EXPECT_EQ(decode_json_string(R"("\b\f\n\r\t\/")"), "\b\f\n\r\t/");
  EXPECT_EQ(decode_json_string(R"("\u00E9")"), "\xC3\xA9");
  EXPECT_EQ(decode_json_string("\"ab"), std::nullopt);
  EXPECT_EQ(decode_json_string("\"a\"b"), std::nullopt);
  EXPECT_EQ(decode_json_string("x"), std::nullopt);
}

TEST(JsonSpans, RepeatedKeysAreAllReportedInOrder) {
  const std::string text = R"({"k": 1, "k": [2]})";
  JsonScan scan = scan_json(text, 1);
  auto k = json_members(scan, 0, "k");
  ASSERT_EQ(k.size(), 2u);
  EXPECT_EQ(span(text, scan.nodes[k[0]]), "1");
  EXPECT_EQ(span(text, scan.nodes[k[1]]), "[2]");
}

TEST(JsonSpans, OffsetsCountABomAndWhitespaceAroundTheValue) {
  const std::string text = "\xEF\xBB\xBF \r\n{\"a\":\t[]}\r\n";
  JsonScan scan = scan_json(text, 1);
  ASSERT_TRUE(scan.ok()) << scan.error;
  EXPECT_EQ(scan.nodes[0].start, 6u);
  auto a = json_members(scan, 0, "a");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(span(text, scan.nodes[a[0]]), "[]");
  EXPECT_EQ(scan.nodes[a[0]].members, 0u);
  // Scalars at the root, and a BOM alone is not a document.
  JsonScan scalar = scan_json(" 42 ", 0);
  ASSERT_TRUE(scalar.ok());
  EXPECT_EQ(span(" 42 ", scalar.nodes[0]), "42");
  EXPECT_FALSE(scan_json("\xEF\xBB\xBF", 0).ok());
}

TEST(JsonSpans, RefusesNestingDeeperThanTheLimitWithoutRecursing) {
  std::string ok = std::string(5, '[') + std::string(5, ']');
  EXPECT_TRUE(scan_json(ok, 10, 5).ok());
  std::string deep = std::string(6, '[') + std::string(6, ']');
  JsonScan scan = scan_json(deep, 10, 5);
  EXPECT_FALSE(scan.ok());
  EXPECT_NE(scan.error.find("nested deeper than 5"), std::string::npos);
  EXPECT_EQ(scan.error_offset, 5u);
  EXPECT_TRUE(scan.nodes.empty());
  // Far past the default limit: refused, no crash.
  std::string hostile = std::string(200000, '[') + std::string(200000, ']');
  JsonScan big = scan_json(hostile, 3);
  EXPECT_FALSE(big.ok());
  EXPECT_NE(big.error.find(std::to_string(kMaxJsonDepth)), std::string::npos);
  std::string objects;
  for (int i = 0; i < kMaxJsonDepth; ++i) objects += "{\"a\":";
  objects += "0" + std::string(kMaxJsonDepth, '}');
  EXPECT_TRUE(scan_json(objects, 3).ok());
  EXPECT_FALSE(scan_json("{\"b\":" + objects + "}", 3).ok());
}

TEST(JsonSpans, InvalidInputIsRefusedWithAnOffset) {
  const char* invalid[] = {
      "",
      "   ",
      "{",
      "[1,]",
      "{\"a\":1,}",
      "{\"a\" 1}",
      "{a:1}",
      "[1 2]",
      "[01]",
      "[1.]",
      "[.5]",
      "[1e]",
      "[-]",
      "[+1]",
      "tru",
      "nul",
      "[True]",
      "\"\\x\"",
      "\"\\u12\"",
      "\"a",
      "\"a\nb\"",
      "\"\\ud800\"",
      "\"\\udc00\"",
      "\"\\ud800\\u0041\"",
      "[1]]",
      "{} {}",
      "[\"\xC3\"]",
      "[\"\xC0\xAF\"]",
      "[\"\xED\xA0\x80\"]",
      "[\"\xF4\x90\x80\x80\"]",
      "[\"\xFF\"]",
      "{\"a\":1]",
      "[1}",
      "'a'",
      "\xEF\xBB\xBF\xEF\xBB\xBF[]",
  };
  for (const char* text : invalid) {
    JsonScan scan = scan_json(text, 3);
    EXPECT_FALSE(scan.ok()) << "accepted: " << text;
    EXPECT_TRUE(scan.nodes.empty());
    EXPECT_LE(scan.error_offset, std::string_view(text).size());
    // nlohmann agrees that it is not JSON.
    EXPECT_FALSE(nlohmann::json::accept(text)) << text;
  }
  JsonScan scan = scan_json("[1, 2,, 3]", 3);
  EXPECT_EQ(scan.error_offset, 6u);
}

TEST(JsonSpans, AcceptsWhatNlohmannAccepts) {
  const char* valid[] = {
      "0",
      "-0",
      "1.5e-10",
      "-12E+3",
      "true",
      "false",
      "null",
      "\"\"",
      "[]",
      "{}",
      "[[]]",
      "[{}]",
      "{\"\":\"\"}",
      "\"\\u0000\"",
      "\"\xE2\x82\xAC\xF0\x9F\x98\x80\"",
      " [ 1 , { \"a\" : [ ] } ] ",
      "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
  };
  for (const char* text : valid) {
    EXPECT_TRUE(nlohmann::json::accept(text)) << text;
    JsonScan scan = scan_json(text, 3);
    EXPECT_TRUE(scan.ok()) << text << ": " << scan.error;
  }
}

// Deterministic mutations of a notebook-like text (a fixed generator, no time, no randomness):
// the scanner and nlohmann agree on every one about what is JSON.
TEST(JsonSpans, AgreesWithNlohmannOnMutatedNotebooks) {
  const std::string seed =
      "\xEF\xBB\xBF{\n \"cells\": [\n  {\"cell_type\": \"code\", \"execution_count\": 12, \"outputs\": "
      "[{\"text\": [\"a \\\"]\\\" \\\\ \\u00e9 \\ud83d\\ude00\\n\"], \"n\": -0.5e-3}], \"x\": [true, "
      "false, null, {}]}\n ]\n}\n";
  ASSERT_TRUE(nlohmann::json::accept(seed));
  ASSERT_TRUE(scan_json(seed, 3).ok());
  const std::string alphabet = "{}[]\",:\\u0123456789eE.-+ \n\ttrufalsn\xC3\xA9\xFF";
  uint32_t state = 12345;
  auto next = [&]() {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  int accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = seed;
    const int edits = 1 + static_cast<int>(next() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = next() % text.size();
      const char c = alphabet[next() % alphabet.size()];
      switch (next() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<long>(at), c);
          break;
        default:
          text.erase(at, 1);
          break;
      }
    }
    const bool theirs = nlohmann::json::accept(text);
    JsonScan scan = scan_json(text, 3);
    EXPECT_EQ(scan.ok(), theirs) << text << "\n" << scan.error;
    accepted += theirs;
    for (const auto& n : scan.nodes) {
      EXPECT_LT(n.start, n.end);
      EXPECT_LE(n.end, text.size());
    }
  }
  EXPECT_GT(accepted, 100);  // the mutations exercise both sides
}

}  // namespace
}  // namespace mlops
