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

  std::optional<YAML::Node> node(int depth) {
    if (depth > 256 || pos_ >= in_.size()) return std::nullopt;
    char type = in_[pos_++];
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
      case 'q': {
        auto count = varint();
        if (!count) return std::nullopt;
        n = YAML::Node(YAML::NodeType::Sequence);
        for (uint64_t i = 0; i < *count; ++i) {
          auto item = node(depth + 1);
          if (!item) return std::nullopt;
          n.push_back(*item);
        }
        break;
      }
      case 'm': {
        auto count = varint();
        if (!count) return std::nullopt;
        n = YAML::Node(YAML::NodeType::Map);
        for (uint64_t i = 0; i < *count; ++i) {
          auto key = node(depth + 1);
          auto value = key ? node(depth + 1) : std::nullopt;
          if (!value) return std::nullopt;
          n.force_insert(*key, *value);
        }
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

 private:
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
