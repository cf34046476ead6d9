// nbformat 3/4 reader built on nlohmann-json.
#include "analysers/notebook.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace mlops {
namespace {

std::vector<std::string> source_lines(const nlohmann::json& src) {
  std::string joined;
  if (src.is_string()) {
    joined = src.get<std::string>();
  } else if (src.is_array()) {
    for (const auto& s : src)
      if (s.is_string()) joined += s.get<std::string>();
  }
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < joined.size()) {
    size_t nl = joined.find('\n', pos);
    if (nl == std::string::npos) nl = joined.size();
    lines.push_back(joined.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

// `%magic`, `!shell`, and IPython's assignment forms `files = !ls`, `t = %timeit f()`.
bool is_magic(const std::string& line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos) return false;
  if (line[i] == '%' || line[i] == '!') return true;
  size_t j = i;
  while (j < line.size() &&
         (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_' || line[j] == '.'))
    ++j;
  if (j == i) return false;
  j = line.find_first_not_of(" \t", j);
  if (j == std::string::npos || line[j] != '=' || j + 1 >= line.size() || line[j + 1] == '=') return false;
  j = line.find_first_not_of(" \t", j + 1);
  return j != std::string::npos &&
         (line[j] == '!' || (line[j] == '%' && j + 1 < line.size() && line[j + 1] != '='));
}

// A magic or shell line ending in a backslash goes on to the next line (`!torchrun a.py \`).
bool continues(const std::string& line) {
  size_t end = line.find_last_not_of(" \t\r\n");
  return end != std::string::npos && line[end] == '\\';
}

int line_at(std::string_view text, size_t offset, size_t& scanned_to, int& line_so_far) {
  for (; scanned_to < offset && scanned_to < text.size(); ++scanned_to)
    if (text[scanned_to] == '\n') ++line_so_far;
  return line_so_far;
}

}  // namespace

NotebookResult extract_notebook(std::string_view json) {
  NotebookResult r;
  nlohmann::json nb = nlohmann::json::parse(json, nullptr, false);
  if (nb.is_discarded()) {
    // Re-parse with exceptions only on failure, to learn where it broke.
    try {
      nlohmann::json again = nlohmann::json::parse(json);
      (void)again;
    } catch (const nlohmann::json::parse_error& e) {
      size_t upto = std::min(e.byte, json.size());
      r.error_line = 1 + static_cast<int>(std::count(json.begin(), json.begin() + upto, '\n'));
      r.error = std::string("invalid notebook JSON: ") + e.what();
      return r;
    } catch (const nlohmann::json::exception& e) {
      // Not a syntax error (e.g. a number out of range): no byte offset to point at.
      r.error_line = 1;
      r.error = std::string("invalid notebook JSON: ") + e.what();
      return r;
    }
    r.error_line = 1;
    r.error = "invalid notebook JSON";
    return r;
  }
  const nlohmann::json* cells = nullptr;
  if (nb.is_object() && nb.contains("cells") && nb["cells"].is_array()) {
    cells = &nb["cells"];
  } else if (nb.is_object() && nb.contains("worksheets") && nb["worksheets"].is_array() &&
             !nb["worksheets"].empty() && nb["worksheets"][0].contains("cells")) {
    cells = &nb["worksheets"][0]["cells"];  // nbformat 3
  }
  if (cells == nullptr || !cells->is_array()) {
    r.error = "not a Jupyter notebook: no 'cells' list";
    r.error_line = 1;
    return r;
  }
  size_t cursor = 0, scanned = 0;
  int file_line = 1;
  int cell_no = 0;
  for (const auto& cell : *cells) {
    ++cell_no;
    if (!cell.is_object() || !cell.contains("cell_type") || cell["cell_type"] != "code") continue;
    const char* key = cell.contains("source") ? "source" : "input";  // nbformat 3 uses "input"
    NotebookCell info;
    info.cell = cell_no;
    const char* count_key = cell.contains("execution_count") ? "execution_count" : "prompt_number";
    if (cell.contains(count_key) && cell[count_key].is_number_integer())
      info.execution_count = cell[count_key].get<int>();
    if (cell.contains("outputs") && cell["outputs"].is_array() && !cell["outputs"].empty())
      info.output_bytes = cell["outputs"].dump().size();
    if (!cell.contains(key)) {
      info.file_line = file_line;
      r.code.cells.push_back(info);
      continue;
    }
    auto lines = source_lines(cell[key]);
    bool first = true;
    // A cell magic (%%bash, %%writefile, ...) makes the whole cell something other than Python.
    bool cell_magic = !lines.empty() && lines[0].rfind("%%", 0) == 0;
    bool in_magic = false;  // inside a magic or shell line continued with a backslash
    for (size_t i = 0; i < lines.size(); ++i) {
      // Locate the escaped line in the raw JSON after the previous one: a best-effort file line.
      std::string escaped = nlohmann::json(lines[i]).dump();
      escaped = escaped.substr(1, escaped.size() - 2);
      if (!escaped.empty()) {
        size_t at = json.find(escaped, cursor);
        if (at != std::string_view::npos) {
          cursor = at + escaped.size();
          line_at(json, at, scanned, file_line);
        }
      }
      if (first) {
        info.file_line = file_line;
        first = false;
      }
      const bool magic = cell_magic || in_magic || is_magic(lines[i]);
      in_magic = magic && !cell_magic && continues(lines[i]);
      r.code.source += magic ? std::string() : lines[i];
      r.code.source += '\n';
      r.code.lines.push_back({cell_no, static_cast<int>(i) + 1, file_line});
    }
    if (first) info.file_line = file_line;
    r.code.cells.push_back(info);
  }
  return r;
}

}  // namespace mlops
