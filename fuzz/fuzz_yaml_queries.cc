// Fuzzes YAML loading and key-path queries (aliases, deep nesting, multi-document) plus the
// CI command extraction that reads GitHub Actions and GitLab CI files (extends, !reference,
// includes) and YAML files a CI file may name (job configs).
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlops::fuzz::analyse_as("deploy/k8s.yaml", data, size);
  mlops::fuzz::analyse_as(".github/workflows/ci.yml", data, size);
  mlops::fuzz::analyse_as("environment.yml", data, size);
  mlops::fuzz::analyse_as("conda-lock.yml", data, size);
  mlops::fuzz::analyse_as(".gitlab-ci.yml", data, size);
  return 0;
}
