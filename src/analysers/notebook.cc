// nbformat 3/4 reader built on nlohmann-json, with one linear pass over the raw text to map
// source lines back to file lines.
#include "analysers/notebook.h"

#include "util/limits.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace mlops {
namespace {

// A cell's source joined, split into lines; `element[i]` is the index of the source-list string
// where line i starts (0 for a single string).
struct SourceLines {
  std::vector<std::string> lines;
  std::vector<size_t> element;
};

SourceLines source_lines(const nlohmann::json& src) {
  std::string joined;
  std::vector<size_t> starts;  // offset in `joined` of each element
  if (src.is_string()) {
    joined = src.get<std::string>();
  } else if (src.is_array()) {
    for (const auto& s : src) {
      starts.push_back(joined.size());
      if (s.is_string()) joined += s.get_ref<const std::string&>();
    }
  }
  SourceLines out;
  size_t pos = 0, element = 0;
  while (pos < joined.size()) {
    size_t nl = joined.find('\n', pos);
    if (nl == std::string::npos) nl = joined.size();
    while (element + 1 < starts.size() && starts[element + 1] <= pos) ++element;
    out.lines.push_back(joined.substr(pos, nl - pos));
    out.element.push_back(element);
    pos = nl + 1;
  }
  return out;
}

// Where each cell's source strings sit in the raw text, found in one pass over it (the parsed
// value has lost its positions). lines[cell][k]: file line of the k-th string of cell `cell`'s
// source (one entry for a single-string source).
struct RawLayout {
  std::vector<std::vector<int>> lines;
};

// The decoded key of a string token (keys with escapes are rare, but valid).
std::string decode_key(std::string_view token) {
  if (token.find('\\') == std::string_view::npos) return std::string(token.substr(1, token.size() - 2));
  nlohmann::json k = nlohmann::json::parse(token, nullptr, false);
  return k.is_string() ? k.get<std::string>() : std::string();
}

// `json` has parsed already: it is valid JSON, so the scan needs no error handling.
RawLayout raw_layout(std::string_view json, bool nbformat3) {
  struct Frame {
    bool array = false;
    size_t index = 0;  // arrays: the item being read
    std::string key;   // objects: the key being read (kept only near the top)
  };
  // The paths of source strings: cells[i].source[k] (nbformat 4) or
  // worksheets[0].cells[i].input[k] (nbformat 3); `base` is where cells starts.
  const size_t base = nbformat3 ? 2 : 0;
  constexpr size_t kKeep = 6;  // frames deeper than any source string need no keys
  std::vector<Frame> frames;
  RawLayout out;
  int line = 1;
  auto in_cells = [&]() {
    if (frames.size() < base + 3 || frames[0].array || frames[base].key != "cells") return false;
    if (nbformat3 && (frames[0].key != "worksheets" || !frames[1].array || frames[1].index != 0))
      return false;
    return frames[base + 1].array && !frames[base + 2].array;
  };
  bool expect_key = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '\n') {
      ++line;
    } else if (c == '{' || c == '[') {
      frames.push_back({c == '[', 0, {}});
      expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (!frames.empty()) frames.pop_back();
    } else if (c == ',') {
      if (!frames.empty() && frames.back().array) ++frames.back().index;
      expect_key = !frames.empty() && !frames.back().array;
    } else if (c == '"') {
      size_t j = i + 1;
      while (j < json.size() && json[j] != '"') j += json[j] == '\\' ? 2 : 1;
      std::string_view token = json.substr(i, std::min(j, json.size() - 1) - i + 1);
      if (expect_key) {
        if (frames.size() <= kKeep) frames.back().key = decode_key(token);
        expect_key = false;
      } else if (in_cells()) {
        const Frame& cell = frames[base + 2];
        const bool single = frames.size() == base + 3;
        const bool listed = frames.size() == base + 4 && frames.back().array;
        const std::string& key = cell.key;  // of the string, or of the list holding it
        if ((single || listed) && (key == "source" || key == "input")) {
          size_t index = frames[base + 1].index;
          if (out.lines.size() <= index) out.lines.resize(index + 1);
          // A repeated key replaces the earlier value, as in the parsed document.
          if (single || frames.back().index == 0) out.lines[index].clear();
          out.lines[index].push_back(line);
        }
      }
      i = j;
    }
  }
  return out;
}

// The length of a string as compact JSON writes it (nlohmann's dump(): quotes; '"', '\\' and
// \b \t \n \f \r escaped in two bytes, other control characters as \u00XX; every other byte,
// UTF-8 included, as it is).
size_t escaped_size(const std::string& s) {
  size_t n = 2;
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r')
      n += 2;
    else if (c < 0x20)
      n += 6;
    else
      n += 1;
  }
  return n;
}

// j.dump().size(), without writing the text (a cell's outputs can be megabytes of base64);
// nullopt when `j` nests deeper than `limit` containers. Iterative.
std::optional<size_t> compact_json_size(const nlohmann::json& j, int limit) {
  using value_t = nlohmann::json::value_t;
  size_t total = 0;
  std::vector<std::pair<const nlohmann::json*, int>> todo{{&j, 1}};
  while (!todo.empty()) {
    auto [v, depth] = todo.back();
    todo.pop_back();
    switch (v->type()) {
      case value_t::object:
      case value_t::array:
        if (depth > limit) return std::nullopt;
        total += 2 + (v->empty() ? 0 : v->size() - 1);  // brackets and commas
        for (auto it = v->begin(); it != v->end(); ++it) {
          if (v->is_object()) total += escaped_size(it.key()) + 1;  // "key":
          todo.push_back({&it.value(), depth + 1});
        }
        break;
      case value_t::string:
        total += escaped_size(v->get_ref<const std::string&>());
        break;
      case value_t::null:
        total += 4;
        break;
      case value_t::boolean:
        total += v->get<bool>() ? 4 : 5;
        break;
      default:  // numbers, as dump() writes them (floats shortest round-trip); small
        total += v->dump().size();
        break;
    }
  }
  return total;
}

// `%magic`, `!shell`, and IPython's assignment forms `files = !ls`, `t = %timeit f()`.
// A cell magic that runs the rest of its cell as Python (`%%time`, `%%timeit`, `%%capture`,
// `%%prun`, `%%memit`): only its own line is not Python.
bool runs_python_body(const std::string& first) {
  if (first.rfind("%%", 0) != 0) return false;
  size_t end = first.find_first_of(" \t\r", 2);
  const std::string name = first.substr(2, end == std::string::npos ? std::string::npos : end - 2);
  return name == "time" || name == "timeit" || name == "capture" || name == "prun" || name == "memit";
}

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

// Brackets a Python line leaves open (negative: closes more than it opens), outside strings
// and comments; `triple` carries a triple-quoted string across lines. A line that starts inside
// open brackets continues an expression (`print("%f"` then `      % score)`): never a magic.
int open_brackets(const std::string& line, char& triple) {
  int depth = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (triple) {
      if (c == triple && line.compare(i, 3, std::string(3, triple)) == 0) {
        triple = 0;
        i += 2;
      }
      continue;
    }
    if (c == '#') break;
    if (c == '"' || c == '\'') {
      if (line.compare(i, 3, std::string(3, c)) == 0) {
        triple = c;
        i += 2;
        continue;
      }
      for (++i; i < line.size() && line[i] != c; ++i)
        if (line[i] == '\\') ++i;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
  }
  return depth;
}

// A magic or shell line ending in a backslash goes on to the next line (`!torchrun a.py \`).
bool continues(const std::string& line) {
  size_t end = line.find_last_not_of(" \t\r\n");
  return end != std::string::npos && line[end] == '\\';
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
  bool nbformat3 = false;
  if (nb.is_object() && nb.contains("cells") && nb["cells"].is_array()) {
    cells = &nb["cells"];
  } else if (nb.is_object() && nb.contains("worksheets") && nb["worksheets"].is_array() &&
             !nb["worksheets"].empty() && nb["worksheets"][0].contains("cells")) {
    cells = &nb["worksheets"][0]["cells"];  // nbformat 3
    nbformat3 = true;
  }
  if (cells == nullptr || !cells->is_array()) {
    r.error = "not a Jupyter notebook: no 'cells' list";
    r.error_line = 1;
    return r;
  }
  const RawLayout layout = raw_layout(json, nbformat3);
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
    const std::vector<int>* where = static_cast<size_t>(cell_no) <= layout.lines.size()
                                        ? &layout.lines[static_cast<size_t>(cell_no - 1)]
                                        : nullptr;
    if (where && !where->empty()) file_line = where->front();
    if (cell.contains("outputs") && cell["outputs"].is_array() && !cell["outputs"].empty()) {
      if (auto size = compact_json_size(cell["outputs"], kMaxJsonDepth))
        info.output_bytes = *size;
      else
        r.notes.push_back({file_line, "notebook nested deeper than " + std::to_string(kMaxJsonDepth) +
                                          " levels; outputs of cell " + std::to_string(cell_no) +
                                          " not read"});
      // nbformat 4 writes a traceback as output_type "error", nbformat 3 as "pyerr".
      for (const auto& o : cell["outputs"]) {
        if (!o.is_object() || !o.contains("output_type")) continue;
        const auto& t = o["output_type"];
        if (t != "error" && t != "pyerr") continue;
        if (o.contains("ename") && o["ename"].is_string()) info.error_name = o["ename"].get<std::string>();
        if (info.error_name.empty()) info.error_name = "an error";  // a kernel that failed to start
        break;
      }
    }
    if (!cell.contains(key)) {
      info.file_line = file_line;
      r.code.cells.push_back(info);
      continue;
    }
    SourceLines src = source_lines(cell[key]);
    const auto& lines = src.lines;
    // A cell magic (%%bash, %%writefile, ...) makes the whole cell something other than Python;
    // %%time and its kind run the body as Python (their first line is a magic like any other).
    bool cell_magic = !lines.empty() && lines[0].rfind("%%", 0) == 0 && !runs_python_body(lines[0]);
    bool in_magic = false;  // inside a magic or shell line continued with a backslash
    int depth = 0;          // brackets the Python lines so far leave open
    char triple = 0;        // inside a triple-quoted string
    info.file_line = file_line;
    for (size_t i = 0; i < lines.size(); ++i) {
      // The line of the source string this line starts in: exact for one string per line (as
      // Jupyter writes them), the string's line for a single multi-line string.
      if (where && src.element[i] < where->size()) file_line = (*where)[src.element[i]];
      const bool continued = depth > 0 || triple != 0;
      const bool magic = cell_magic || in_magic || (!continued && is_magic(lines[i]));
      in_magic = magic && !cell_magic && continues(lines[i]);
      if (!magic) {
        depth = std::max(0, depth + open_brackets(lines[i], triple));
        r.code.source += lines[i];
      }
      r.code.source += '\n';
      r.code.lines.push_back({cell_no, static_cast<int>(i) + 1, file_line});
    }
    r.code.cells.push_back(info);
  }
  return r;
}

}  // namespace mlops
