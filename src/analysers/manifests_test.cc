#include "analysers/manifests.h"

#include <gtest/gtest.h>

#include <string>

namespace mlops {
namespace {

const Dependency* dep(const std::vector<Dependency>& deps, const std::string& name) {
  for (const auto& d : deps)
    if (d.name == name) return &d;
  return nullptr;
}

std::vector<std::string> names(const std::vector<Dependency>& deps) {
  std::vector<std::string> out;
  for (const auto& d : deps) out.push_back(d.name);
  return out;
}

TEST(Manifests, NormalisesNames) {
  EXPECT_EQ(normalise_package_name("Scikit_Learn"), "scikit-learn");
  EXPECT_EQ(normalise_package_name("ruamel.yaml"), "ruamel-yaml");
  EXPECT_EQ(normalise_package_name("a__b--c..d"), "a-b-c-d");
  EXPECT_EQ(normalise_package_name("torch"), "torch");
  EXPECT_EQ(normalise_package_name("PyYAML"), "pyyaml");
}

TEST(Manifests, ManifestKindByPath) {
  EXPECT_EQ(manifest_kind("requirements.txt"), ManifestKind::Requirements);
  EXPECT_EQ(manifest_kind("sub/dev-requirements.txt"), ManifestKind::Requirements);
  EXPECT_EQ(manifest_kind("requirements-dev.in"), ManifestKind::Requirements);
  EXPECT_EQ(manifest_kind("requirements/base.txt"), ManifestKind::Requirements);
  EXPECT_EQ(manifest_kind("x/requirements/base.txt"), ManifestKind::Requirements);
  EXPECT_EQ(manifest_kind("pyproject.toml"), ManifestKind::Pyproject);
  EXPECT_EQ(manifest_kind("svc/pyproject.toml"), ManifestKind::Pyproject);
  EXPECT_EQ(manifest_kind("environment.yml"), ManifestKind::CondaEnv);
  EXPECT_EQ(manifest_kind("environment-gpu.yaml"), ManifestKind::CondaEnv);
  EXPECT_EQ(manifest_kind("conda.yaml"), ManifestKind::CondaEnv);
  EXPECT_EQ(manifest_kind("Pipfile"), ManifestKind::Pipfile);
  EXPECT_EQ(manifest_kind("README.md"), ManifestKind::None);
  EXPECT_EQ(manifest_kind("notes.txt"), ManifestKind::None);
  EXPECT_EQ(manifest_kind("gpu_environment.yml"), ManifestKind::CondaEnv);
  EXPECT_EQ(manifest_kind("conda-env.yml"), ManifestKind::CondaEnv);
  EXPECT_EQ(manifest_kind("src/requirements.py"), ManifestKind::None);
  EXPECT_EQ(manifest_kind("requirements/base.txt.bak"), ManifestKind::None);
  EXPECT_EQ(manifest_kind("environment.yml.py"), ManifestKind::None);
}

TEST(Manifests, RequirementsLines) {
  auto deps = read_requirements(
      "# top comment\n"
      "numpy==1.26.4\n"
      "pandas>=2.0\n"
      "scikit_learn~=1.4.0  # comment\n"
      "requests[security]==2.31.0\n"
      "torch==2.2.0 ; python_version >= \"3.10\"\n"
      "-r base.txt\n"
      "-c constraints.txt\n"
      "-e git+https://github.com/org/repo.git#egg=repo\n"
      "--index-url https://example.org/simple\n"
      "https://example.org/pkg-1.0.tar.gz\n"
      "mypkg @ git+https://github.com/org/mypkg@0123456789abcdef0123456789abcdef01234567\n"
      "otherpkg @ https://example.org/otherpkg-1.0.zip\n"
      "flask\n"
      "\n"
      "   \n"
      "Jinja2 === 3.1.3\n"
      "hashed==1.0 --hash=sha256:abcdef\n"
      "wild==1.*\n"
      "range>=1,<2\n");
  EXPECT_EQ(names(deps),
            (std::vector<std::string>{"numpy", "pandas", "scikit-learn", "requests", "torch", "mypkg",
                                      "otherpkg", "flask", "jinja2", "hashed", "wild", "range"}));
  EXPECT_TRUE(dep(deps, "numpy")->pinned);
  EXPECT_EQ(dep(deps, "numpy")->line, 2);
  EXPECT_EQ(dep(deps, "numpy")->spec, "numpy==1.26.4");
  EXPECT_FALSE(dep(deps, "pandas")->pinned);
  EXPECT_FALSE(dep(deps, "scikit-learn")->pinned);
  EXPECT_EQ(dep(deps, "scikit-learn")->spec, "scikit_learn~=1.4.0");
  EXPECT_TRUE(dep(deps, "requests")->pinned);
  EXPECT_TRUE(dep(deps, "torch")->pinned);
  EXPECT_EQ(dep(deps, "torch")->line, 6);
  EXPECT_TRUE(dep(deps, "mypkg")->pinned);
  EXPECT_TRUE(dep(deps, "otherpkg")->pinned);  // a versioned archive names one release
  EXPECT_FALSE(dep(deps, "flask")->pinned);
  EXPECT_TRUE(dep(deps, "jinja2")->pinned);
  EXPECT_TRUE(dep(deps, "hashed")->pinned);
  EXPECT_EQ(dep(deps, "hashed")->spec, "hashed==1.0");
  EXPECT_FALSE(dep(deps, "wild")->pinned);
  EXPECT_FALSE(dep(deps, "range")->pinned);
}

TEST(Manifests, RequirementsContinuationLinesAndCrlf) {
  auto deps = read_requirements(
      "alpha==1.0 \\\r\n"
      "    --hash=sha256:aaaa \\\r\n"
      "    --hash=sha256:bbbb\r\n"
      "beta>=2\r\n");
  ASSERT_EQ(deps.size(), 2u);
  EXPECT_EQ(deps[0].name, "alpha");
  EXPECT_EQ(deps[0].line, 1);
  EXPECT_TRUE(deps[0].pinned);
  EXPECT_EQ(deps[1].name, "beta");
  EXPECT_EQ(deps[1].line, 4);
  EXPECT_FALSE(deps[1].pinned);
}

TEST(Manifests, PyprojectPep621) {
  toml::table t = toml::parse(R"(
[project]
name = "demo"
dependencies = [
  "numpy==1.26.4",
  "pandas>=2",
  "Scikit-Learn",
]

[project.optional-dependencies]
dev = ["pytest==8.0.0"]

[dependency-groups]
lint = ["ruff>=0.3"]
)");
  auto deps = read_pyproject(t);
  EXPECT_EQ(names(deps), (std::vector<std::string>{"numpy", "pandas", "scikit-learn", "pytest", "ruff"}));
  EXPECT_TRUE(dep(deps, "numpy")->pinned);
  EXPECT_EQ(dep(deps, "numpy")->line, 5);
  EXPECT_FALSE(dep(deps, "pandas")->pinned);
  EXPECT_TRUE(dep(deps, "pytest")->pinned);
  EXPECT_EQ(dep(deps, "pytest")->line, 11);
}

TEST(Manifests, PyprojectPoetry) {
  toml::table t = toml::parse(R"(
[tool.poetry.dependencies]
python = "^3.10"
numpy = "1.26.4"
pandas = "^2.0"
torch = { version = "==2.2.0", source = "pytorch" }
mylib = { git = "https://github.com/org/mylib.git", rev = "abc123" }
local = { path = "../local" }
loose = "*"

[tool.poetry.group.dev.dependencies]
pytest = "^8"
)");
  auto deps = read_pyproject(t);
  EXPECT_EQ(dep(deps, "python"), nullptr);
  EXPECT_EQ(dep(deps, "local"), nullptr);
  ASSERT_NE(dep(deps, "numpy"), nullptr);
  EXPECT_TRUE(dep(deps, "numpy")->pinned);
  EXPECT_EQ(dep(deps, "numpy")->line, 4);
  EXPECT_FALSE(dep(deps, "pandas")->pinned);
  EXPECT_TRUE(dep(deps, "torch")->pinned);
  EXPECT_TRUE(dep(deps, "mylib")->pinned);
  EXPECT_FALSE(dep(deps, "loose")->pinned);
  ASSERT_NE(dep(deps, "pytest"), nullptr);
  EXPECT_FALSE(dep(deps, "pytest")->pinned);
}

TEST(Manifests, Pipfile) {
  toml::table t = toml::parse(R"(
[packages]
requests = "==2.31.0"
flask = "*"
Django = {version = "==4.2", extras = ["bcrypt"]}

[dev-packages]
pytest = ">=8"
)");
  auto deps = read_pipfile(t);
  EXPECT_EQ(names(deps).size(), 4u);
  EXPECT_TRUE(dep(deps, "requests")->pinned);
  EXPECT_FALSE(dep(deps, "flask")->pinned);
  EXPECT_TRUE(dep(deps, "django")->pinned);
  EXPECT_FALSE(dep(deps, "pytest")->pinned);
}

TEST(Manifests, CondaEnvironmentWithPipSection) {
  YAML::Node doc = YAML::Load(R"(name: demo
channels: [conda-forge]
dependencies:
  - python=3.11
  - numpy=1.26.4
  - pandas>=2
  - conda-forge::scikit-learn==1.4.0
  - pytorch
  - pip
  - pip:
      - mlflow==2.11.0
      - Great_Expectations>=0.18
)");
  auto deps = read_conda_env(doc);
  EXPECT_EQ(names(deps), (std::vector<std::string>{"numpy", "pandas", "scikit-learn", "pytorch", "mlflow",
                                                   "great-expectations"}));
  EXPECT_TRUE(dep(deps, "numpy")->pinned);
  EXPECT_EQ(dep(deps, "numpy")->line, 5);
  EXPECT_FALSE(dep(deps, "pandas")->pinned);
  EXPECT_TRUE(dep(deps, "scikit-learn")->pinned);
  EXPECT_FALSE(dep(deps, "pytorch")->pinned);
  EXPECT_TRUE(dep(deps, "mlflow")->pinned);
  EXPECT_EQ(dep(deps, "mlflow")->line, 11);
  EXPECT_FALSE(dep(deps, "great-expectations")->pinned);
}

TEST(Manifests, CondaEnvironmentOddShapes) {
  EXPECT_TRUE(read_conda_env(YAML::Load("[1, 2]")).empty());
  EXPECT_TRUE(read_conda_env(YAML::Load("dependencies: numpy")).empty());
  EXPECT_TRUE(read_conda_env(YAML::Load("name: x")).empty());
  EXPECT_TRUE(read_conda_env(YAML::Node()).empty());
  auto deps = read_conda_env(YAML::Load("dependencies:\n  - {channel: x}\n  - numpy\n  - pip: notalist\n"));
  EXPECT_EQ(names(deps), (std::vector<std::string>{"numpy"}));
}

}  // namespace
}  // namespace mlops

namespace mlops {

TEST(SetupPy, ReadsLiteralRequirementListsWithoutRunningAnything) {
  auto deps = read_setup_py(
      "from setuptools import setup\n"
      "REQS = open('requirements.txt').read().split()\n"
      "setup(\n"
      "    name='churn',\n"
      "    install_requires=[\n"
      "        'numpy==1.26.4',\n"
      "        \"scikit-learn>=1.4\",\n"
      "    ],\n"
      "    extras_require={'dev': ['pytest==8.2.0']},\n"
      ")\n");
  ASSERT_EQ(deps.size(), 3u);
  EXPECT_EQ(deps[0].name, "numpy");
  EXPECT_TRUE(deps[0].pinned);
  EXPECT_EQ(deps[0].line, 6);
  EXPECT_EQ(deps[1].name, "scikit-learn");
  EXPECT_FALSE(deps[1].pinned);
  EXPECT_EQ(deps[2].name, "pytest");
}

TEST(SetupPy, ComputedListsAreNotGuessed) {
  EXPECT_TRUE(read_setup_py("setup(install_requires=REQS)\n").empty());
  EXPECT_TRUE(read_setup_py("setup(install_requires=read('requirements.txt'))\n").empty());
}

TEST(SetupCfg, ReadsInstallRequiresAndExtras) {
  auto deps = read_setup_cfg(
      "[metadata]\nname = churn\n\n[options]\ninstall_requires =\n    pandas==2.2.2\n    torch>=2\n"
      "python_requires = >=3.10\n\n[options.extras_require]\ndev = pytest\n");
  ASSERT_EQ(deps.size(), 3u);
  EXPECT_EQ(deps[0].name, "pandas");
  EXPECT_EQ(deps[0].line, 6);
  EXPECT_TRUE(deps[0].pinned);
  EXPECT_EQ(deps[1].name, "torch");
  EXPECT_FALSE(deps[1].pinned);
  EXPECT_EQ(deps[2].name, "pytest");
}

}  // namespace mlops

namespace mlops {

TEST(Requirements, VersionTagsAndArchivesArePinnedBranchesAreNot) {
  auto deps = read_requirements(
      "tagged @ git+https://github.com/org/tagged@v1.2.0\n"
      "dotgit @ git+https://github.com/org/dotgit.git@2.0.1\n"
      "branch @ git+https://github.com/org/branch@main\n"
      "bare @ git+https://github.com/org/bare\n");
  ASSERT_EQ(deps.size(), 4u);
  EXPECT_TRUE(deps[0].pinned);
  EXPECT_TRUE(deps[1].pinned);
  EXPECT_FALSE(deps[2].pinned);
  EXPECT_FALSE(deps[3].pinned);
}

}  // namespace mlops

namespace mlops {

TEST(Requirements, BareUrlsAreDependenciesNotSkipped) {
  auto deps = read_requirements(
      "git+https://github.com/huggingface/peft.git\n"
      "git+https://github.com/org/lib.git@0123456789abcdef0123456789abcdef01234567#egg=mylib\n"
      "git+https://github.com/org/tagged@v1.2.0\n");
  ASSERT_EQ(deps.size(), 3u);
  EXPECT_EQ(deps[0].name, "peft");
  EXPECT_FALSE(deps[0].pinned);  // installs whatever the default branch holds
  EXPECT_EQ(deps[0].line, 1);
  EXPECT_EQ(deps[1].name, "mylib");
  EXPECT_TRUE(deps[1].pinned);
  EXPECT_EQ(deps[2].name, "tagged");
  EXPECT_TRUE(deps[2].pinned);
}

}  // namespace mlops

namespace mlops {
namespace {

TEST(Manifests, PyprojectMarksOptionalDependenciesAndDropsOwnExtras) {
  auto deps = read_pyproject(
      toml::parse("[project]\nname = \"Churn_Serving\"\ndependencies = [\"numpy\"]\n"
                  "[project.optional-dependencies]\nall = [\"churn-serving[gpu]\"]\ngpu = [\"cupy\"]\n"
                  "[dependency-groups]\ndev = [\"pytest\"]\n"));
  ASSERT_EQ(deps.size(), 3u);
  EXPECT_EQ(deps[0].name, "numpy");
  EXPECT_FALSE(deps[0].optional);
  EXPECT_EQ(deps[1].name, "cupy");
  EXPECT_TRUE(deps[1].optional);
  EXPECT_EQ(deps[2].name, "pytest");
  EXPECT_TRUE(deps[2].optional);
  EXPECT_EQ(pyproject_name(toml::parse("[tool.poetry]\nname = \"My.Pkg\"\n")), "my-pkg");
  auto pip = read_pipfile(toml::parse("[packages]\ntorch = \"==2.3.0\"\n[dev-packages]\npytest = \"*\"\n"));
  ASSERT_EQ(pip.size(), 2u);
  EXPECT_FALSE(pip[0].optional);
  EXPECT_TRUE(pip[1].optional);
}

TEST(RequirementIncludes, AllSpellings) {
  auto inc = read_requirement_includes(
      "-r base.txt\n"
      "  -rdev.in  # comment\n"
      "--requirement reqs/common.txt\n"
      "--requirement=other.txt\n"
      "-c constraints.txt\n"
      "--constraint=pins/c.txt\n"
      "# -r commented.txt\n"
      "pandas==2.2.2\n"
      "-e .\n");
  ASSERT_EQ(inc.size(), 6u);
  EXPECT_EQ(inc[0].ref, "base.txt");
  EXPECT_FALSE(inc[0].constraint);
  EXPECT_EQ(inc[1].ref, "dev.in");
  EXPECT_EQ(inc[1].line, 2);
  EXPECT_EQ(inc[2].ref, "reqs/common.txt");
  EXPECT_EQ(inc[3].ref, "other.txt");
  EXPECT_TRUE(inc[4].constraint);
  EXPECT_EQ(inc[5].ref, "pins/c.txt");
  EXPECT_TRUE(inc[5].constraint);
}

TEST(RequirementIncludes, PathsStayInsideTheRepository) {
  EXPECT_EQ(resolve_repo_path("requirements.txt", "base.in"), "base.in");
  EXPECT_EQ(resolve_repo_path("svc/requirements.txt", "../common/base.txt"), "common/base.txt");
  EXPECT_EQ(resolve_repo_path("a/b/req.txt", "./c/../d.txt"), "a/b/d.txt");
  EXPECT_EQ(resolve_repo_path("a/req.txt", "..\\x.txt"), "x.txt");
  EXPECT_EQ(resolve_repo_path("requirements.txt", "../outside.txt"), std::nullopt);
  EXPECT_EQ(resolve_repo_path("a/req.txt", "../../outside.txt"), std::nullopt);
  EXPECT_EQ(resolve_repo_path("requirements.txt", "/etc/passwd"), std::nullopt);
  EXPECT_EQ(resolve_repo_path("requirements.txt", "C:/x.txt"), std::nullopt);
  EXPECT_EQ(resolve_repo_path("requirements.txt", "https://example.org/r.txt"), std::nullopt);
  EXPECT_EQ(resolve_repo_path("requirements.txt", "."), std::nullopt);
  EXPECT_EQ(resolve_repo_path("requirements.txt", ""), std::nullopt);
}

TEST(RequirementIncludes, RequirementName) {
  EXPECT_EQ(requirement_name("Scikit_Learn>=1.4 ; python_version > '3'"), "scikit-learn");
  EXPECT_EQ(requirement_name("git+https://github.com/org/peft.git"), "peft");
  EXPECT_EQ(requirement_name("-r x.txt"), "");
}

}  // namespace
}  // namespace mlops

namespace mlops {

TEST(Manifests, CondaFilesNamedForTheirUse) {
  EXPECT_EQ(manifest_kind("scripts/gpu_environment.yml"), ManifestKind::CondaEnv);
  EXPECT_EQ(manifest_kind("tpu-environment.yaml"), ManifestKind::CondaEnv);
  // Such a name without a top-level dependencies list declares nothing.
  EXPECT_TRUE(read_conda_env(YAML::Load("replicas: 2\nenv: {LOG_LEVEL: info}\n")).empty());
}

TEST(Manifests, BareMeansNoVersionAtAll) {
  auto deps = read_requirements("torch\nnumpy>=1.2\nscipy==1.13.0\npandas ; python_version>'3.8'\n");
  ASSERT_EQ(deps.size(), 4u);
  EXPECT_TRUE(deps[0].bare);
  EXPECT_FALSE(deps[1].bare);
  EXPECT_FALSE(deps[2].bare);
  EXPECT_TRUE(deps[3].bare);  // a marker is no version
}

TEST(Manifests, SetupExtrasAndTestRequirementsAreOptional) {
  auto py = read_setup_py(
      "setup(install_requires=['torch'], extras_require={'dev': ['pytest']},\n"
      "      tests_require=['hypothesis'])\n");
  ASSERT_EQ(py.size(), 3u);
  EXPECT_FALSE(py[0].optional);
  EXPECT_TRUE(py[1].optional);
  EXPECT_TRUE(py[2].optional);
  auto cfg = read_setup_cfg(
      "[options]\ninstall_requires =\n    torch\ntests_require = pytest\n"
      "[options.extras_require]\ndev = ruff\n");
  ASSERT_EQ(cfg.size(), 3u);
  EXPECT_FALSE(cfg[0].optional);
  EXPECT_TRUE(cfg[1].optional);
  EXPECT_TRUE(cfg[2].optional);
}

std::vector<std::string> unpinned_names(const std::vector<Dependency>& deps) {
  std::vector<std::string> out;
  for (const Dependency* d : unpinned_in_metadata(deps)) out.push_back(d->name);
  return out;
}

TEST(PackagingMetadata, RangesAreTheNormAListWithoutAnyVersionIsNot) {
  // A bare name beside ranges is the library's choice.
  auto ranged = read_setup_py(
      "setup(install_requires=['torch', 'numpy>=1.21', 'scipy<2'],\n"
      "      extras_require={'dev': ['pytest']})\n");
  EXPECT_TRUE(unpinned_names(ranged).empty());
  auto bare =
      read_setup_py("setup(install_requires=['torch', 'tqdm'], extras_require={'dev': ['pytest']})\n");
  EXPECT_EQ(unpinned_names(bare), (std::vector<std::string>{"torch", "tqdm"}));
  EXPECT_TRUE(unpinned_names({}).empty());
}

TEST(PackagingMetadata, ARangeWhereTheOthersArePinnedIsUnpinned) {
  toml::table t = toml::parse(
      "[project]\nname = 'x'\ndependencies = ['torch==2.3.1', 'lightning==2.3.0', 'orion>=0.2.4']\n"
      "[project.optional-dependencies]\ndev = ['pytest>=8']\n");
  EXPECT_EQ(unpinned_names(read_pyproject(t)), std::vector<std::string>{"orion"});
  // Half pinned is no majority: the ranges stay a library's own choice.
  toml::table half = toml::parse("[project]\nname = 'x'\ndependencies = ['torch==2.3.1', 'numpy>=1']\n");
  EXPECT_TRUE(unpinned_names(read_pyproject(half)).empty());
}

TEST(PackagingMetadata, PoetryStarIsBare) {
  toml::table t = toml::parse("[tool.poetry.dependencies]\npython = '^3.10'\npandas = '*'\nnumpy = ''\n");
  EXPECT_EQ(unpinned_names(read_pyproject(t)), (std::vector<std::string>{"numpy", "pandas"}));
  toml::table ranged = toml::parse("[tool.poetry.dependencies]\npandas = '*'\nnumpy = '^1.26'\n");
  EXPECT_TRUE(unpinned_names(read_pyproject(ranged)).empty());
}

TEST(Utf16Manifest, LittleAndBigEndianBecomeUtf8LineForLine) {
  const std::string le(
      "\xFF\xFE"
      "a\0=\0=\0"
      "1\0\r\0\n\0"
      "b\0",
      16);
  auto text = utf16_manifest_as_utf8(le);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "a==1\r\nb");
  auto deps = read_requirements(*text);
  ASSERT_EQ(deps.size(), 2u);
  EXPECT_TRUE(deps[0].pinned);
  EXPECT_EQ(deps[1].line, 2);
  const std::string be("\xFE\xFF\0x\0\xE9", 6);  // "xé"
  EXPECT_EQ(utf16_manifest_as_utf8(be), std::optional<std::string>("x\xC3\xA9"));
}

TEST(Utf16Manifest, OnlyWithABomAndNeverNulBytes) {
  EXPECT_FALSE(utf16_manifest_as_utf8("torch==2.3.1\n"));
  EXPECT_FALSE(utf16_manifest_as_utf8(""));
  EXPECT_FALSE(utf16_manifest_as_utf8("\xFF"));
  // A NUL code unit, a lone surrogate and an odd last byte: replaced or dropped, never a NUL.
  const std::string odd(
      "\xFF\xFE"
      "\0\0"
      "\x00\xD8"
      "a\0"
      "z",
      9);
  auto text = utf16_manifest_as_utf8(odd);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->find('\0'), std::string::npos);
  EXPECT_EQ(*text,
            "\xEF\xBF\xBD\xEF\xBF\xBD"
            "a");
}

}  // namespace mlops

namespace mlops {

TEST(SetupPy, ReadsAListBoundOnceToAModuleLevelName) {
  auto deps = read_setup_py(
      "REQUIRED = [\n    'torch',\n]\nEXTRAS = {'dev': ['pytest']}\n"
      "setup(name='x', install_requires=REQUIRED, extras_require=EXTRAS)\n");
  ASSERT_EQ(deps.size(), 2u);
  EXPECT_EQ(deps[0].name, "torch");
  EXPECT_EQ(deps[0].line, 2);
  EXPECT_FALSE(deps[0].optional);
  EXPECT_EQ(deps[1].name, "pytest");
  EXPECT_TRUE(deps[1].optional);
  // Bound twice (or built by code): not knowable, not guessed.
  EXPECT_TRUE(read_setup_py("REQS = ['a']\nREQS = ['b']\nsetup(install_requires=REQS)\n").empty());
  EXPECT_TRUE(read_setup_py("REQS = read('requirements.txt')\nsetup(install_requires=REQS)\n").empty());
  // A variable named like the keyword is read once, not again through the keyword argument.
  EXPECT_EQ(read_setup_py("install_requires = ['numpy']\nsetup(install_requires=install_requires)\n").size(),
            1u);
}

}  // namespace mlops

namespace mlops {

TEST(SetupPy, SubscriptsAndOperandsAreNotRequirements) {
  // The versions live in a table the lists look up by name: not knowable without running it.
  auto deps = read_setup_py(
      "deps = {'torch': 'torch>=2'}\n"
      "install_requires = [\n    deps['torch'],\n    deps[ \"numpy\" ],\n]\n"
      "setup(install_requires=install_requires + ['tqdm'],\n"
      "      extras_require={'gpu': ['cupy-cuda' + CUDA, 'triton']})\n");
  EXPECT_EQ(names(deps), (std::vector<std::string>{"triton"}));
}

}  // namespace mlops
