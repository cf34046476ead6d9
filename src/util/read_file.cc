// Capped whole-file reads.
#include "util/read_file.h"

#include <filesystem>
#include <fstream>

namespace mlops {

FileRead read_file_capped(const std::string& path, uint64_t limit) {
  FileRead r;
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    r.error = "cannot read: " + ec.message();
    return r;
  }
  if (size > limit) {
    r.error = "larger than " + std::to_string((limit + (1 << 20) - 1) >> 20) + " MiB";
    return r;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    r.error = "cannot open";
    return r;
  }
  r.bytes.resize(static_cast<size_t>(size));
  in.read(r.bytes.data(), static_cast<std::streamsize>(size));
  // A file that shrank while being read gives what was there.
  r.bytes.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) r.error = "read error";
  return r;
}

}  // namespace mlops
