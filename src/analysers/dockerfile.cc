// Reading Dockerfiles statically: the instruction stream a builder would see.
#include "analysers/dockerfile.h"

#include <re2/re2.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "util/strings.h"

namespace mlops {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    size_t end = nl == std::string_view::npos ? s.size() : nl;
    std::string_view l = s.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    start = end + 1;
  }
  return out;
}

bool is_comment(std::string_view line) {
  size_t a = line.find_first_not_of(" \t");
  return a != std::string_view::npos && line[a] == '#';
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

const std::set<std::string>& known_instructions() {
  static const std::set<std::string> k = {"FROM",    "RUN", "CMD",     "LABEL",      "MAINTAINER",  "EXPOSE",
                                          "ENV",     "ADD", "COPY",    "ENTRYPOINT", "VOLUME",      "USER",
                                          "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};
  return k;
}

// `["python", "serve.py"]` -> `python serve.py`; anything else stays as written (as Docker does).
std::string exec_form(const std::string& args) {
  if (args.empty() || args[0] != '[') return args;
  auto json = nlohmann::json::parse(args, nullptr, /*allow_exceptions=*/false);
  if (!json.is_array()) return args;
  std::string out;
  for (const auto& item : json) {
    if (!item.is_string()) return args;
    if (!out.empty()) out += ' ';
    out += item.get<std::string>();
  }
  return out;
}

// Expands $VAR, ${VAR} and ${VAR:-default} from ARG defaults; false when a variable is unknown.
bool substitute(const std::string& in, const std::map<std::string, std::string>& args, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size();) {
    if (in[i] != '$') {
      out += in[i++];
      continue;
    }
    size_t start = i + 1;
    std::string name, fallback;
    bool has_fallback = false;
    if (start < in.size() && in[start] == '{') {
      size_t close = in.find('}', start);
      if (close == std::string::npos) return false;
      std::string inner = in.substr(start + 1, close - start - 1);
      size_t op = inner.find(":-");
      if (op != std::string::npos) {
        has_fallback = true;
        fallback = inner.substr(op + 2);
        inner = inner.substr(0, op);
      }
      name = inner;
      i = close + 1;
    } else {
      size_t end = start;
      while (end < in.size() && (std::isalnum(static_cast<unsigned char>(in[end])) || in[end] == '_')) ++end;
      name = in.substr(start, end - start);
      i = end;
    }
    auto it = args.find(name);
    if (it != args.end() && !it->second.empty())
      out += it->second;
    else if (has_fallback)
      out += fallback;
    else
      return false;
  }
  return true;
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return s.substr(1, s.size() - 2);
  return s;
}

bool image_pinned(const std::string& image) {
  if (image.find('@') != std::string::npos) return true;
  size_t slash = image.rfind('/');
  size_t colon = image.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return false;
  std::string tag = image.substr(colon + 1);
  return !tag.empty() && lower(tag) != "latest";
}

class Reader {
 public:
  // A UTF-8 byte order mark is not part of the first instruction (BuildKit skips it too).
  explicit Reader(std::string_view text)
      : lines_(split_lines(text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text)) {}

  DockerfileResult run() {
    size_t i = read_directives();
    while (i < lines_.size()) {
      if (is_blank(lines_[i]) || is_comment(lines_[i])) {
        ++i;
        continue;
      }
      i = instruction(i);
    }
    return std::move(out_);
  }

 private:
  // Parser directives (`# escape=\``) come before anything else.
  size_t read_directives() {
    static const RE2 directive(R"(^\s*#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$)");
    size_t i = 0;
    for (; i < lines_.size(); ++i) {
      std::string key, value;
      if (!RE2::FullMatch(lines_[i], directive, &key, &value)) break;
      if (lower(key) == "escape") {
        if (value == "`" || value == "\\")
          escape_ = value[0];
        else
          out_.problems.push_back(
              {static_cast<int>(i) + 1, "escape directive must be ` or \\, not " + value});
      }
    }
    return i;
  }

  // One instruction starting at line i; returns the next line to read.
  size_t instruction(size_t i) {
    int start_line = static_cast<int>(i) + 1;
    std::string logical;
    for (;;) {
      std::string_view l = lines_[i++];
      while (!l.empty() && (l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
      bool continues = !l.empty() && l.back() == escape_;
      if (continues) l.remove_suffix(1);
      logical += l;
      if (!continues) break;
      // Comment and empty lines inside a continuation are dropped, as the builder does.
      while (i < lines_.size() && (is_comment(lines_[i]) || is_blank(lines_[i]))) ++i;
      if (i >= lines_.size()) {
        out_.problems.push_back({start_line, "the last instruction ends with a line continuation"});
        break;
      }
    }
    logical = trim(logical);
    size_t sp = logical.find_first_of(" \t");
    DockerInstruction ins;
    ins.keyword = upper(logical.substr(0, sp));
    ins.args = sp == std::string::npos ? std::string() : trim(logical.substr(sp));
    ins.line = start_line;
    if (!known_instructions().count(ins.keyword))
      out_.problems.push_back({start_line, "unknown instruction " + ins.keyword.substr(0, 40)});
    i = heredocs(ins, i);
    ins.args = exec_form(ins.args);
    if (ins.keyword == "ARG" && !seen_from_) pre_from_arg(ins.args);
    if (ins.keyword == "FROM") from(ins);
    out_.instructions.push_back(std::move(ins));
    return i;
  }

  // `RUN <<EOF` ... `EOF`: the bodies follow the instruction, in the order they are named.
  size_t heredocs(DockerInstruction& ins, size_t i) {
    static const RE2 marker(R"((?:^|\s)<<(-?)["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?)");  // COPY <<robots.txt
    // The markers are read from a copy: the bodies are appended to ins.args as we go.
    const std::string first_line = ins.args;
    re2::StringPiece rest(first_line);
    std::string dash, word;
    while (RE2::FindAndConsume(&rest, marker, &dash, &word)) {
      bool found = false;
      for (; i < lines_.size(); ++i) {
        std::string_view l = lines_[i];
        if (!dash.empty())
          while (!l.empty() && l.front() == '\t') l.remove_prefix(1);
        if (l == word) {
          ++i;
          found = true;
          break;
        }
        ins.args += '\n';
        ins.args += l;
      }
      if (!found) out_.problems.push_back({ins.line, "heredoc <<" + word + " is not terminated"});
    }
    return i;
  }

  void pre_from_arg(const std::string& args) {
    size_t eq = args.find('=');
    std::string name = trim(args.substr(0, eq));
    arg_defaults_[name] = eq == std::string::npos ? std::string() : unquote(trim(args.substr(eq + 1)));
  }

  void from(DockerInstruction& ins) {
    seen_from_ = true;
    std::vector<std::string> words;
    for (size_t p = 0; p < ins.args.size();) {
      size_t a = ins.args.find_first_not_of(" \t", p);
      if (a == std::string::npos) break;
      size_t b = ins.args.find_first_of(" \t", a);
      words.push_back(ins.args.substr(a, b == std::string::npos ? std::string::npos : b - a));
      p = b == std::string::npos ? ins.args.size() : b;
    }
    size_t k = 0;
    while (k < words.size() && words[k].starts_with("--")) ++k;  // --platform=...
    if (k >= words.size()) {
      out_.problems.push_back({ins.line, "FROM names no image"});
      return;
    }
    std::string image;
    bool known = substitute(words[k], arg_defaults_, image);
    bool earlier_stage = stages_.count(lower(image)) > 0;
    if (k + 2 < words.size() && lower(words[k + 1]) == "as") stages_.insert(lower(words[k + 2]));
    if (!known || image.empty() || lower(image) == "scratch" || earlier_stage) return;
    ins.base_image = image;
    ins.base_pinned = image_pinned(image);
  }

  std::vector<std::string_view> lines_;
  DockerfileResult out_;
  char escape_ = '\\';
  bool seen_from_ = false;
  std::map<std::string, std::string> arg_defaults_;
  std::set<std::string> stages_;  // stage names (`FROM x AS name`) declared so far
};

}  // namespace

bool is_dockerfile(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string name = lower(std::string(slash == std::string_view::npos ? path : path.substr(slash + 1)));
  // `Dockerfile-prediction`, `Dockerfile_gpu`: a variant named by a suffix without an extension
  // (`Dockerfile_notes.txt` is a text file).
  const bool suffixed = (name.starts_with("dockerfile-") || name.starts_with("dockerfile_")) &&
                        name.find('.') == std::string::npos;
  return name == "dockerfile" || name == "containerfile" || name.starts_with("dockerfile.") ||
         name.ends_with(".dockerfile") || name.starts_with("containerfile.") || suffixed;
}

DockerfileResult read_dockerfile(std::string_view text) {
  return Reader(text).run();
}

}  // namespace mlops
