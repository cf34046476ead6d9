// Bounded YAML loading: an event-only pass first counts the documents (with a cap no real stream
// can reach: every document takes at least a few bytes), their depth and their size with aliases
// expanded, before nodes are built.
#include "util/yaml_load.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "util/limits.h"

namespace mlops {
namespace {

// Measures the stream without building nodes: documents, nesting depth, and how many nodes the
// documents hold once aliases are expanded (what a walk that follows them would visit). yaml-cpp
// shares an aliased node, so a "billion laughs" loads small and walks forever.
class MeasureHandler : public YAML::EventHandler {
 public:
  size_t documents = 0;
  uint64_t expanded = 0;  // saturates at kMaxYamlExpandedNodes + 1
  int max_depth = 0;

  void OnDocumentStart(const YAML::Mark&) override {
    ++documents;
    anchored_.clear();  // anchors are numbered per document
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { leaf(anchor); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    auto it = anchored_.find(anchor);
    add(it == anchored_.end() ? 1 : it->second);
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    leaf(anchor);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  static uint64_t sum(uint64_t a, uint64_t b) { return std::min<uint64_t>(a + b, kMaxYamlExpandedNodes + 1); }
  void add(uint64_t n) {
    if (open_.empty())
      expanded = sum(expanded, n);
    else
      open_.back().size = sum(open_.back().size, n);
  }
  void leaf(YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchored_[anchor] = 1;
    add(1);
  }
  void open(YAML::anchor_t anchor) {
    open_.push_back({anchor, 1});
    max_depth = std::max(max_depth, static_cast<int>(open_.size()));
  }
  void close() {
    if (open_.empty()) return;
    Open o = open_.back();
    open_.pop_back();
    if (o.anchor != YAML::NullAnchor) anchored_[o.anchor] = o.size;
    add(o.size);
  }

  struct Open {
    YAML::anchor_t anchor;
    uint64_t size;
  };
  std::vector<Open> open_;
  std::unordered_map<YAML::anchor_t, uint64_t> anchored_;
};

}  // namespace

YamlLoadResult load_yaml_documents(std::string_view text, bool guard) {
  YamlLoadResult r;
  const size_t max_documents = text.size() / 3 + 2;
  try {
    std::stringstream in{std::string(text)};
    YAML::Parser parser(in);
    MeasureHandler handler;
    while (guard && parser.HandleNextDocument(handler)) {
      if (handler.documents > max_documents) {
        r.error = "invalid YAML: the parser makes no progress (a document starting with ',' ?)";
        r.line = 1;
        return r;
      }
      if (handler.max_depth > kMaxYamlDepth) {
        r.error = "YAML nested deeper than " + std::to_string(kMaxYamlDepth) + " levels; not read";
        r.line = 1;
        return r;
      }
      if (handler.expanded > kMaxYamlExpandedNodes) {
        r.error = "YAML holds more than " + std::to_string(kMaxYamlExpandedNodes) +
                  " nodes once its aliases are expanded; not read";
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
