#include "util/read_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mlops {
namespace {

TEST(ReadFile, ReadsWholeFilesUpToTheCapAndRefusesLargerOnes) {
  auto path = std::filesystem::temp_directory_path() / ("mlops-read-" + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << std::string("a\0b\n", 4);
  FileRead ok = read_file_capped(path.string(), 4);
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.bytes, std::string("a\0b\n", 4));
  FileRead big = read_file_capped(path.string(), 3);
  EXPECT_FALSE(big.ok());
  EXPECT_EQ(big.error, "larger than 1 MiB");
  EXPECT_TRUE(big.bytes.empty());
  std::filesystem::remove(path);
  FileRead missing = read_file_capped(path.string(), 4);
  EXPECT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error.starts_with("cannot read: "));
}

TEST(ReadFile, FifoIsRefusedWithoutBlocking) {
  auto path = std::filesystem::temp_directory_path() / ("mlops-fifo-" + std::to_string(::getpid()));
  ASSERT_EQ(::mkfifo(path.c_str(), 0644), 0);
  FileRead r = read_file_capped(path.string(), 100);  // no writer: a blocking open would hang
  std::filesystem::remove(path);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, "not a regular file (FIFO); not read");
}

}  // namespace
}  // namespace mlops
