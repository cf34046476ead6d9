// Text edits: positions, line endings, application, and the re-parse check a fix must pass.
#include "fix/edits.h"

#include <tree_sitter/api.h>

#include <toml++/toml.h>
#include <memory>
#include <nlohmann/json.hpp>

#include "util/toml_guard.h"
#include "util/yaml_load.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace mlops {

namespace {

void position(std::string_view bytes, size_t offset, int& line, int& column) {
  line = 1;
  size_t start = 0;
  for (size_t i = 0; i < offset && i < bytes.size(); ++i)
    if (bytes[i] == '\n') {
      ++line;
      start = i + 1;
    }
  column = static_cast<int>(offset - start) + 1;
}

// Whether tree-sitter finds a syntax error anywhere in `source`.
bool python_has_error(std::string_view source) {
  std::unique_ptr<TSParser, decltype(&ts_parser_delete)> parser(ts_parser_new(), ts_parser_delete);
  ts_parser_set_language(parser.get(), tree_sitter_python());
  std::unique_ptr<TSTree, decltype(&ts_tree_delete)> tree(
      ts_parser_parse_string(parser.get(), nullptr, source.data(), static_cast<uint32_t>(source.size())),
      ts_tree_delete);
  return !tree || ts_node_has_error(ts_tree_root_node(tree.get()));
}

bool has_suffix(const std::string& path, std::string_view suffix) {
  return path.ends_with(suffix);
}

}  // namespace

TextEdit make_edit(const std::string& path, std::string_view bytes, size_t start, size_t end,
                   std::string replacement) {
  TextEdit e;
  e.path = path;
  e.start = start;
  e.end = end;
  e.replacement = std::move(replacement);
  position(bytes, start, e.start_line, e.start_column);
  position(bytes, end, e.end_line, e.end_column);
  return e;
}

std::optional<size_t> offset_of(std::string_view bytes, int line, int column) {
  if (line < 1) return std::nullopt;
  size_t offset = 0;
  for (int l = 1; l < line; ++l) {
    size_t nl = bytes.find('\n', offset);
    if (nl == std::string_view::npos) return std::nullopt;
    offset = nl + 1;
  }
  if (column > 1) offset += static_cast<size_t>(column - 1);
  if (offset > bytes.size()) return std::nullopt;
  return offset;
}

size_t line_start(std::string_view bytes, size_t offset) {
  if (offset == 0) return 0;
  size_t nl = bytes.rfind('\n', offset - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

size_t line_end(std::string_view bytes, size_t offset) {
  size_t nl = bytes.find('\n', offset);
  if (nl == std::string_view::npos) return bytes.size();
  return nl > 0 && bytes[nl - 1] == '\r' ? nl - 1 : nl;
}

std::string_view line_break(std::string_view bytes) {
  size_t nl = bytes.find('\n');
  return nl != std::string_view::npos && nl > 0 && bytes[nl - 1] == '\r' ? "\r\n" : "\n";
}

std::string_view indentation(std::string_view bytes, size_t offset) {
  size_t start = line_start(bytes, offset);
  size_t end = start;
  while (end < bytes.size() && (bytes[end] == ' ' || bytes[end] == '\t')) ++end;
  return bytes.substr(start, end - start);
}

std::string apply_edits(std::string_view bytes, const std::vector<TextEdit>& edits) {
  std::string out;
  out.reserve(bytes.size());
  size_t at = 0;
  for (const auto& e : edits) {
    if (e.start < at || e.end < e.start || e.end > bytes.size()) continue;  // callers sort and check
    out.append(bytes.substr(at, e.start - at));
    out.append(e.replacement);
    at = e.end;
  }
  out.append(bytes.substr(at));
  return out;
}

bool still_parses(const std::string& path, std::string_view original, std::string_view fixed) {
  if (has_suffix(path, ".py") || has_suffix(path, ".pyi"))
    return !python_has_error(fixed) || python_has_error(original);
  if (has_suffix(path, ".ipynb") || has_suffix(path, ".json"))
    return nlohmann::json::accept(fixed) || !nlohmann::json::accept(original);
  if (has_suffix(path, ".yaml") || has_suffix(path, ".yml"))
    return load_yaml_documents(fixed).error.empty() || !load_yaml_documents(original).error.empty();
  if (has_suffix(path, ".toml")) {
    auto parses = [](std::string_view text) {
      if (check_toml_depth(text)) return false;
      try {
        (void)toml::parse(text);
        return true;
      } catch (const toml::parse_error&) {
        return false;
      }
    };
    return parses(fixed) || !parses(original);
  }
  return true;
}

}  // namespace mlops
