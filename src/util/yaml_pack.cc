// Format, per node: a type byte ('~' null, 's' scalar, 'q' sequence, 'm' map), the tag (a length
// then its bytes), then a scalar's text (length, bytes) or a collection's item count followed by
// its items (a map's as key, value, key, value...). Lengths and counts are LEB128 varints.
#include "util/yaml_pack.h"

#include <cstdint>

namespace mlops {
namespace {

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

void pack(std::string& out, const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      out.push_back('s');
      put_string(out, n.Tag());
      put_string(out, n.Scalar());
      return;
    case YAML::NodeType::Sequence:
      out.push_back('q');
      put_string(out, n.Tag());
      put_varint(out, n.size());
      for (const auto& item : n) pack(out, item);
      return;
    case YAML::NodeType::Map:
      out.push_back('m');
      put_string(out, n.Tag());
      put_varint(out, n.size());
      for (auto it = n.begin(); it != n.end(); ++it) {
        pack(out, it->first);
        pack(out, it->second);
      }
      return;
    default:
      out.push_back('~');
      put_string(out, n.IsDefined() ? n.Tag() : std::string());
      return;
  }
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return pos_ == in_.size(); }

  // The whole node at the read position.
  std::optional<YAML::Node> node(int depth) {
    char type = 0;
    uint64_t count = 0;
    auto n = begin(type, count);
    if (!n || !fill(*n, type, count, depth)) return std::nullopt;
    return n;
  }

 private:
  // A node's header: a scalar or null complete, a collection empty (`count` items to fill()).
  std::optional<YAML::Node> begin(char& type, uint64_t& count) {
    if (pos_ >= in_.size()) return std::nullopt;
    type = in_[pos_++];
    auto tag = string();
    if (!tag) return std::nullopt;
    YAML::Node n;
    switch (type) {
      case 's': {
        auto text = string();
        if (!text) return std::nullopt;
        n = YAML::Node(std::string(*text));
        break;
      }
      case 'q':
      case 'm': {
        auto c = varint();
        if (!c) return std::nullopt;
        count = *c;
        n = YAML::Node(type == 'q' ? YAML::NodeType::Sequence : YAML::NodeType::Map);
        break;
      }
      case '~':
        n = YAML::Node(YAML::NodeType::Null);
        break;
      default:
        return std::nullopt;
    }
    if (!tag->empty()) n.SetTag(std::string(*tag));
    return n;
  }

  // Reads a collection's items into `n`. Each item joins the tree before its own items are read,
  // so that every node is added to the document's node set once (yaml-cpp merges a subtree's set
  // into its parent's at each insertion: bottom-up building would copy it at every level).
  bool fill(YAML::Node& n, char type, uint64_t count, int depth) {
    if (type != 'q' && type != 'm') return true;
    if (depth > 256) return false;
    for (uint64_t i = 0; i < count; ++i) {
      char t = 0, vt = 0;
      uint64_t c = 0, vc = 0;
      auto item = begin(t, c);
      if (!item) return false;
      if (type == 'q') {
        n.push_back(*item);
        if (!fill(*item, t, c, depth + 1)) return false;
        continue;
      }
      if (!fill(*item, t, c, depth + 1)) return false;  // the key
      auto value = begin(vt, vc);
      if (!value) return false;
      n.force_insert(*item, *value);
      if (!fill(*value, vt, vc, depth + 1)) return false;
    }
    return true;
  }

  std::optional<uint64_t> varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && pos_ < in_.size(); shift += 7) {
      auto b = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return std::nullopt;
  }
  std::optional<std::string_view> string() {
    auto len = varint();
    if (!len || *len > in_.size() - pos_) return std::nullopt;
    std::string_view s = in_.substr(pos_, *len);
    pos_ += *len;
    return s;
  }

  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

std::string pack_yaml(const YAML::Node& document) {
  std::string out;
  pack(out, document);
  return out;
}

std::optional<YAML::Node> unpack_yaml(std::string_view packed) {
  Reader r(packed);
  auto n = r.node(0);
  if (!n || !r.done()) return std::nullopt;
  return n;
}

}  // namespace mlops
