// Bounded YAML loading: an event-only pass first counts the documents, with a cap no real
// stream can reach (every document takes at least a few bytes), before nodes are built.
#include "util/yaml_load.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

namespace mlops {
namespace {

// Counts nothing but documents; the parser drives it.
class NullHandler : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
  }
  void OnMapEnd() override {}
};

}  // namespace

YamlLoadResult load_yaml_documents(std::string_view text) {
  YamlLoadResult r;
  const size_t max_documents = text.size() / 3 + 2;
  try {
    std::stringstream in{std::string(text)};
    YAML::Parser parser(in);
    NullHandler handler;
    size_t count = 0;
    while (parser.HandleNextDocument(handler)) {
      if (++count > max_documents) {
        r.error = "invalid YAML: the parser makes no progress (a document starting with ',' ?)";
        r.line = 1;
        return r;
      }
    }
    r.documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    r.documents.clear();
    r.error = "invalid YAML: " + e.msg;
    r.line = e.mark.line + 1;
    r.column = e.mark.column + 1;
  }
  return r;
}

}  // namespace mlops
