#include "analysers/dockerfile.h"

#include <gtest/gtest.h>

namespace mlops {
namespace {

const DockerInstruction* find(const DockerfileResult& r, const std::string& keyword, size_t nth = 0) {
  for (const auto& i : r.instructions)
    if (i.keyword == keyword && nth-- == 0) return &i;
  return nullptr;
}

TEST(Dockerfile, RecognisesDockerfileNames) {
  EXPECT_TRUE(is_dockerfile("Dockerfile"));
  EXPECT_TRUE(is_dockerfile("serving/Dockerfile.gpu"));
  EXPECT_TRUE(is_dockerfile("docker/api.dockerfile"));
  EXPECT_TRUE(is_dockerfile("Containerfile"));
  EXPECT_FALSE(is_dockerfile("docs/dockerfiles.md"));
  EXPECT_FALSE(is_dockerfile("Dockerfile_notes.txt"));
  EXPECT_TRUE(is_dockerfile("Dockerfile-prediction"));
  EXPECT_TRUE(is_dockerfile("docker/Dockerfile_gpu"));
  EXPECT_FALSE(is_dockerfile("Dockerfile-notes.md"));
}

TEST(Dockerfile, JoinsContinuationsAndSkipsComments) {
  auto r = read_dockerfile(
      "# a comment\n"
      "FROM python:3.11-slim\n"
      "\n"
      "RUN pip install \\\n"
      "    # pinned below\n"
      "    torch==2.3.0 \\\n"
      "    fastapi\n"
      "CMD [\"uvicorn\", \"app:app\", \"--port\", \"8080\"]\n");
  ASSERT_EQ(r.instructions.size(), 3u);
  EXPECT_TRUE(r.problems.empty());
  const auto* run = find(r, "RUN");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->line, 4);
  EXPECT_EQ(run->args, "pip install     torch==2.3.0     fastapi");
  const auto* cmd = find(r, "CMD");
  ASSERT_NE(cmd, nullptr);
  EXPECT_EQ(cmd->args, "uvicorn app:app --port 8080");
  EXPECT_EQ(cmd->line, 8);
}

TEST(Dockerfile, AByteOrderMarkIsNotPartOfTheFirstInstruction) {
  auto r = read_dockerfile(
      "\xEF\xBB\xBF"
      "FROM python:latest\nCOPY . /app\n");
  EXPECT_TRUE(r.problems.empty());
  const auto* from = find(r, "FROM");
  ASSERT_NE(from, nullptr);
  EXPECT_EQ(from->line, 1);
  EXPECT_EQ(from->base_image, "python:latest");
  EXPECT_FALSE(from->base_pinned);
}

TEST(Dockerfile, EscapeDirectiveChangesTheContinuationCharacter) {
  auto r =
      read_dockerfile("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  C:\\\n");
  const auto* run = find(r, "RUN");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->args, "dir   C:\\");
}

TEST(Dockerfile, HeredocsBelongToTheirInstruction) {
  auto r = read_dockerfile(
      "FROM python:3.12\n"
      "RUN <<EOF\n"
      "pip install -r requirements.txt\n"
      "python -m pytest\n"
      "EOF\n"
      "CMD python serve.py\n");
  ASSERT_EQ(r.instructions.size(), 3u);
  EXPECT_EQ(find(r, "RUN")->args, "<<EOF\npip install -r requirements.txt\npython -m pytest");
  EXPECT_EQ(find(r, "CMD")->line, 6);
  // Two heredocs on one line (found by fuzzing: the bodies grow the text the markers are read from).
  auto two = read_dockerfile("FROM a:1\nCOPY <<one.txt <<two.txt /data/\n" + std::string(300, 'x') +
                             "\none.txt\nsecond body\ntwo.txt\nCMD y\n");
  ASSERT_EQ(two.instructions.size(), 3u);
  EXPECT_TRUE(two.problems.empty());
  EXPECT_TRUE(find(two, "COPY")->args.ends_with("\nsecond body"));
  auto open = read_dockerfile("FROM a:1\nRUN <<-END\n\techo hi\n");
  ASSERT_EQ(open.problems.size(), 1u);
  EXPECT_NE(open.problems[0].second.find("not terminated"), std::string::npos);
  // A shift in arithmetic is no heredoc.
  auto shift = read_dockerfile("FROM a:1\nRUN echo $((1<<2))\nCMD x\n");
  EXPECT_EQ(shift.instructions.size(), 3u);
}

TEST(Dockerfile, BaseImagePinning) {
  auto r = read_dockerfile(
      "ARG CUDA=12.1.0\n"
      "ARG PY\n"
      "FROM nvidia/cuda:${CUDA}-runtime-ubuntu22.04 AS build\n"
      "FROM build\n"
      "FROM python\n"
      "FROM python:latest\n"
      "FROM --platform=linux/amd64 registry.example.com:5000/team/base\n"
      "FROM python@sha256:0123abcd\n"
      "FROM python:${PY}\n"
      "FROM python:${PY:-3.10}\n"
      "FROM scratch\n");
  std::vector<std::pair<std::string, bool>> bases;
  for (const auto& i : r.instructions)
    if (i.keyword == "FROM") bases.push_back({i.base_image, i.base_pinned});
  std::vector<std::pair<std::string, bool>> want = {
      {"nvidia/cuda:12.1.0-runtime-ubuntu22.04", true},
      {"", false},  // an earlier stage
      {"python", false},
      {"python:latest", false},
      {"registry.example.com:5000/team/base", false},  // the port is no tag
      {"python@sha256:0123abcd", true},
      {"", false},  // ${PY} has no default: unknown
      {"python:3.10", true},
      {"", false},  // scratch
  };
  EXPECT_EQ(bases, want);
}

TEST(Dockerfile, BadInputIsDiagnosedAndReadingGoesOn) {
  auto r = read_dockerfile("FORM python:3\nRUN echo \\\n");
  ASSERT_EQ(r.instructions.size(), 2u);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0], (std::pair<int, std::string>{1, "unknown instruction FORM"}));
  EXPECT_EQ(r.problems[1].first, 2);
  const char with_nul[] = "FROM a\0b:1\nCMD \xff\xfe\n";
  auto nul = read_dockerfile(std::string(with_nul, sizeof with_nul - 1));
  EXPECT_EQ(nul.instructions.size(), 2u);
  auto broken_exec = read_dockerfile("FROM a:1\nCMD [\"python\", 3\n");
  EXPECT_EQ(find(broken_exec, "CMD")->args, "[\"python\", 3");
  std::string many;
  for (int i = 0; i < 50000; ++i) many += "RUN echo \\\n";
  many += "done\n";
  auto long_run = read_dockerfile(many);
  EXPECT_EQ(long_run.instructions.size(), 1u);
}

}  // namespace
}  // namespace mlops
