// Capped whole-file reads of paths the user gave (not repository content: that goes through
// ConfinedRoot). Still opened non-blocking and refused unless regular, so a FIFO given by mistake
// cannot hang the tool.
#include "util/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/confined_fs.h"

namespace mlops {

FileRead read_file_capped(const std::string& path, uint64_t limit) {
  FileRead r;
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    r.error = std::string("cannot read: ") + std::strerror(errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    r.error = std::string("cannot read: ") + std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    r.error = "not a regular file (" + file_type_name(st.st_mode) + "); not read";
  } else if (static_cast<uint64_t>(st.st_size) > limit) {
    r.error = "larger than " + std::to_string((limit + (1 << 20) - 1) >> 20) + " MiB";
  } else {
    r.bytes.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (got < r.bytes.size()) {
      ssize_t n = ::read(fd, r.bytes.data() + got, r.bytes.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        r.error = "read error";
        break;
      }
      if (n == 0) break;  // a file that shrank while being read gives what was there
      got += static_cast<size_t>(n);
    }
    r.bytes.resize(got);
    if (!r.ok()) r.bytes.clear();
  }
  ::close(fd);
  return r;
}

}  // namespace mlops
