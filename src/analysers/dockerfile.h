// Dockerfiles -> instructions: continuation lines joined, comments and parser directives handled,
// exec-form arrays read as command lines, heredocs kept with their instruction, and each FROM's
// image reference resolved (ARG defaults, earlier stages) to say whether the base is pinned.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mlops {

bool is_dockerfile(std::string_view path);

struct DockerInstruction {
  std::string keyword;  // upper case: FROM, RUN, CMD, ENTRYPOINT, ...
  std::string
      args;      // as a command line; exec form ["a", "b"] becomes `a b`; heredoc bodies follow on new lines
  int line = 0;  // where the instruction starts

  // FROM only: the image after ARG substitution; empty when it names an earlier stage, is
  // `scratch`, or uses a variable without a default (nothing can be said about it).
  std::string base_image;
  bool base_pinned = false;  // a tag other than `latest`, or a digest
};

struct DockerfileResult {
  std::vector<DockerInstruction> instructions;
  std::vector<std::pair<int, std::string>> problems;  // line, what is wrong (the rest is still read)
};

DockerfileResult read_dockerfile(std::string_view text);

}  // namespace mlops
