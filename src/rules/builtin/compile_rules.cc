// Build-time tool: loads the built-in rule files (rules/*.yaml) with the rule loader and writes the
// C++ file that embeds the loaded rules in the form of rules/rule_codec.h (builtin_rules.h), so
// that start-up reads them back instead of parsing YAML.
//   mlops_compile_rules OUT.cc RULE.yaml...
// A rule file the loader rejects fails the build, naming file:line.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "rules/rule_loader.h"
#include "util/atomic_write.h"
#include "util/limits.h"
#include "util/read_file.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: mlops_compile_rules OUT.cc RULE.yaml...\n";
    return 2;
  }
  std::vector<std::filesystem::path> files(argv + 2, argv + argc);
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
  mlops::RuleLoader loader;
  for (const auto& file : files) {
    mlops::FileRead text = mlops::read_file_capped(file.string(), mlops::kMaxRuleFileSize);
    if (!text.ok()) {
      std::cerr << file.string() << ": " << text.error << "\n";
      return 1;
    }
    // Named as the binary names them (rules/x.yaml), whatever the source tree's location.
    loader.add({"rules/" + file.filename().string(), std::move(text.bytes), /*built_in=*/true});
  }
  const std::string compiled = loader.encode();
  // The checks finish() makes across files (requires, conditions, duplicate ids) fail the build
  // too; the blob holds the state before them, which load_rules finishes with a repository's rules.
  loader.finish();
  if (!loader.errors().empty()) {
    for (const auto& e : loader.errors())
      std::cerr << e.where.path << ":" << e.where.line << ": " << e.message << "\n";
    return 1;
  }
  std::string body =
      "// Generated from rules/*.yaml by src/rules/builtin/compile_rules.cc. Do not edit.\n"
      "#include \"rules/builtin/builtin_rules.h\"\n\nnamespace mlops {\nnamespace {\n"
      "const unsigned char kCompiled[] = {";
  char hex[8];
  for (size_t i = 0; i < compiled.size(); ++i) {
    std::snprintf(hex, sizeof hex, i % 24 == 0 ? "\n0x%02x," : "0x%02x,",
                  static_cast<unsigned char>(compiled[i]));
    body += hex;
  }
  body += "0};\n}  // namespace\n\nstd::string_view builtin_rules() {\n";
  body += "  return {reinterpret_cast<const char*>(kCompiled), " + std::to_string(compiled.size()) +
          "};\n}\n\n}  // namespace mlops\n";
  // Written only when changed, so that an unchanged rule set does not rebuild the library.
  const std::string out = argv[1];
  if (mlops::read_file_capped(out, body.size() + 1).bytes == body) return 0;
  if (auto error = mlops::write_file_atomically(out, body)) {
    std::cerr << error->message << "\n";
    return 1;
  }
  return 0;
}
