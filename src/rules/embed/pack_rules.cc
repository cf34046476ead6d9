// Build-time tool: packs each built-in rule file (rules/*.yaml) into the binary form of
// util/yaml_pack.h and writes the C++ file that embeds them (rules/embedded_rules.h), so that
// start-up rebuilds the rules' YAML nodes without scanning their text.
//   mlops_pack_rules OUT.cc RULE.yaml...
// A rule file that is not valid YAML fails the build, naming file:line.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "util/yaml_load.h"
#include "util/yaml_pack.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: mlops_pack_rules OUT.cc RULE.yaml...\n";
    return 2;
  }
  std::vector<std::filesystem::path> files(argv + 2, argv + argc);
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
  std::string body =
      "// Generated from rules/*.yaml by src/rules/embed/pack_rules.cc. Do not edit.\n"
      "#include \"rules/embedded_rules.h\"\n\nnamespace mlops::rules {\nnamespace {\n";
  std::string table;
  for (size_t i = 0; i < files.size(); ++i) {
    std::ifstream in(files[i], std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << files[i].string() << ": cannot read\n";
      return 1;
    }
    mlops::YamlLoadResult loaded = mlops::load_yaml_documents(text.str());
    if (!loaded.error.empty()) {
      std::cerr << files[i].string() << ":" << loaded.line << ":" << loaded.column << ": " << loaded.error
                << "\n";
      return 1;
    }
    // The loader reads the first document (a rule file holds one).
    std::string packed = mlops::pack_yaml(loaded.documents.empty() ? YAML::Node() : loaded.documents.front());
    body += "const unsigned char k" + std::to_string(i) + "[] = {";
    char hex[8];
    for (unsigned char c : packed) {
      std::snprintf(hex, sizeof hex, "0x%02x,", c);
      body += hex;
    }
    body += "0};\n";
    table += "    {\"rules/" + files[i].filename().string() +
             "\", std::string_view(reinterpret_cast<const char*>(k" + std::to_string(i) + "), " +
             std::to_string(packed.size()) + ")},\n";
  }
  body += "}  // namespace\n\nconst std::vector<EmbeddedFile>& embedded_rule_files() {\n";
  body += "  static const std::vector<EmbeddedFile> files = {\n" + table +
          "  };\n  return files;\n}\n\n}  // namespace mlops::rules\n";
  // Written only when changed, so that an unchanged rule set does not rebuild the library.
  const std::string out = argv[1];
  std::ifstream old(out, std::ios::binary);
  std::stringstream before;
  before << old.rdbuf();
  if (old && before.str() == body) return 0;
  std::ofstream w(out + ".tmp", std::ios::binary);
  w << body;
  w.close();
  if (!w) {
    std::cerr << out << ": cannot write\n";
    return 1;
  }
  std::filesystem::rename(out + ".tmp", out);
  return 0;
}
