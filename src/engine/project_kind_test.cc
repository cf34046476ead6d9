// Project kinds from evidence, the kind -> applicability table, and kinds through run_check.
#include "engine/project_kind.h"

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine/scores.h"
#include "repo/memory_snapshot.h"
#include "rules/rule_loader.h"

namespace mlops {
namespace {

KindInput input(std::vector<std::string> paths, std::map<std::string, bool> conditions,
                std::map<std::string, std::string> contents = {}) {
  KindInput in;
  in.paths = std::move(paths);
  in.conditions = std::move(conditions);
  in.read = [contents](const std::string& p) -> std::optional<std::string> {
    auto it = contents.find(p);
    if (it == contents.end()) return std::nullopt;
    return it->second;
  };
  return in;
}

const std::map<std::string, bool> kTrains = {
    {"ml_code", true}, {"ml_project", true}, {"trains_models", true}, {"serves_model", false}};
const std::map<std::string, bool> kNoMl = {
    {"ml_code", false}, {"ml_project", false}, {"trains_models", false}, {"serves_model", false}};

TEST(ProjectKind, DocsAndNotMl) {
  auto docs = project_kind(input({"README.md", "LICENSE", "docs/intro.md"}, kNoMl));
  EXPECT_EQ(docs.kind, "docs");
  EXPECT_FALSE(docs.reasons.empty());
  EXPECT_EQ(project_kind(input({"README.md", "app.py", ".github/workflows/ci.yml"}, kNoMl)).kind, "not_ml");
  EXPECT_FALSE(kind_is_scored("docs"));
  EXPECT_FALSE(kind_is_scored("not_ml"));
  EXPECT_TRUE(kind_is_scored("library"));
}

TEST(ProjectKind, TemplateByPlaceholdersOrManifest) {
  EXPECT_EQ(project_kind(input({"cookiecutter.json", "README.md"}, kNoMl)).kind, "template");
  EXPECT_EQ(project_kind(input({"{{cookiecutter.project_slug}}/train.py"}, kTrains)).kind, "template");
  EXPECT_EQ(project_kind(input({"copier.yml", "template/x.py.jinja"}, kNoMl)).kind, "template");
  KindInput in = input({"train.py"}, kTrains);
  in.root = "{{cookiecutter.project_slug}}";
  EXPECT_EQ(project_kind(in).kind, "template");
}

TEST(ProjectKind, TemplateRootIsAskedForItsOwnHygieneOnly) {
  EXPECT_TRUE(asked_without_ml("template", "", "tests", "TST001"));
  EXPECT_TRUE(asked_without_ml("template", "", "documentation", "DOC001"));
  EXPECT_FALSE(asked_without_ml("template", "", "documentation", "DOC002"));
  EXPECT_FALSE(asked_without_ml("template", "", "data_versioning", "DAT001"));
  EXPECT_FALSE(asked_without_ml("template", "{{cookiecutter.slug}}", "tests", "TST001"));
  EXPECT_FALSE(asked_without_ml("research", "", "tests", "TST001"));
}

TEST(ProjectKind, ServiceWhenServing) {
  auto c = kTrains;
  c["serves_model"] = true;
  EXPECT_EQ(project_kind(input({"app.py", "Dockerfile"}, c)).kind, "service");
}

TEST(ProjectKind, OrchestratorPipelinesMakeAnApplication) {
  // ZenML / Prefect pipelines structure a project as a dvc.yaml does; without them the same
  // training code is research.
  auto c = kTrains;
  EXPECT_EQ(project_kind(input({"src/train.py", "README.md"}, c)).kind, "research");
  c["orchestrates_pipelines"] = true;
  ProjectKind k = project_kind(input({"src/train.py", "README.md"}, c));
  EXPECT_EQ(k.kind, "application");
  ASSERT_EQ(k.reasons.size(), 1u);
  EXPECT_NE(k.reasons[0].find("orchestrator"), std::string::npos);
}

TEST(ProjectKind, AnAirflowDagFolderIsNoPackage) {
  // Poetry metadata and every Python file under dags/ (with an __init__.py): the DAGs are the
  // application's pipeline, not a published package.
  auto c = kTrains;
  c["orchestrates_pipelines"] = true;
  std::vector<std::string> paths = {"pyproject.toml", "dags/__init__.py", "dags/etl_ml_pipeline.py",
                                    "dags/utils/__init__.py", "dags/utils/models.py"};
  std::map<std::string, std::string> meta = {{"pyproject.toml", "[tool.poetry]\nname = \"airflow-ml\"\n"}};
  EXPECT_EQ(project_kind(input(paths, c, meta)).kind, "application");
  // The same files in a package directory are a library.
  std::vector<std::string> lib = {"pyproject.toml", "airflow_ml/__init__.py", "airflow_ml/etl.py",
                                  "airflow_ml/utils/__init__.py", "airflow_ml/utils/models.py"};
  EXPECT_EQ(project_kind(input(lib, kTrains, meta)).kind, "library");
}

TEST(ProjectKind, NotebookCollection) {
  EXPECT_EQ(project_kind(input({"ch1.ipynb", "ch2.ipynb", "ch3.ipynb", "ch4.ipynb", "ch5.ipynb", "util.py",
                                "README.md"},
                               kTrains))
                .kind,
            "notebooks");
  // One analysis notebook is a project whose code lives in a notebook, not a collection.
  EXPECT_EQ(project_kind(input({"analysis.ipynb"}, kTrains)).kind, "research");
  // Notebooks next to a code base are part of it.
  EXPECT_EQ(project_kind(input({"a.ipynb", "train.py", "model.py", "data.py"}, kTrains)).kind, "research");
  // A course's grading, download and plotting helpers serve its notebooks: still a collection.
  std::vector<std::string> course = {"w1/task.ipynb",       "w2/mnist.ipynb",       "w3/cnn.ipynb",
                                     "w4/gan.ipynb",        "w5/rnn.ipynb",         "w6/captions.ipynb",
                                     "grading.py",          "download_utils.py",    "keras_utils.py",
                                     "w3/grading_utils.py", "w4/submit.py",         "w2/util.py",
                                     "w4/lfw_dataset.py",   "setup_google_colab.py"};
  EXPECT_EQ(project_kind(input(course, kTrains)).kind, "notebooks");
  // ... but not a code base's modules, whatever the number of notebooks.
  EXPECT_EQ(project_kind(input({"a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb", "e.ipynb", "train.py", "model.py",
                                "data.py", "utils.py"},
                               kTrains))
                .kind,
            "research");
}

TEST(ProjectKind, LibraryNeedsMetadataLayoutAndNoTrainingEntryPoint) {
  std::vector<std::string> lib = {"pyproject.toml",  "vitlib/__init__.py", "vitlib/vit.py",
                                  "vitlib/cait.py",  "vitlib/mae.py",      "vitlib/deit.py",
                                  "vitlib/levit.py", "vitlib/t2t.py",      "vitlib/cvt.py",
                                  "vitlib/pit.py",   "demo_train.py",      "tests/test_vit.py"};
  std::map<std::string, std::string> meta = {
      {"pyproject.toml", "[project]\nname = \"vitlib\"\nversion='1'\n"}};
  auto k = project_kind(input(lib, kTrains, meta));
  EXPECT_EQ(k.kind, "library");
  ASSERT_FALSE(k.reasons.empty());
  EXPECT_NE(k.reasons[0].find("vitlib"), std::string::npos);
  // Without a package name, it is code that trains.
  EXPECT_EQ(project_kind(input(lib, kTrains)).kind, "research");
  // A training entry point inside the package makes it an application or research code.
  auto with_train = lib;
  with_train.push_back("vitlib/train.py");
  EXPECT_EQ(project_kind(input(with_train, kTrains, meta)).kind, "research");
  // setup.py / setup.cfg names count too; src/ layouts are packages.
  std::vector<std::string> src = {"setup.cfg", "src/pkg/__init__.py", "src/pkg/layers.py"};
  EXPECT_EQ(project_kind(input(src, kTrains, {{"setup.cfg", "[metadata]\nname = pkg\n"}})).kind, "library");
}

TEST(ProjectKind, NamespacePackageNamedLikeTheDistributionIsALibrary) {
  // pytorch-tabnet ships pytorch_tabnet/ without an __init__.py; example notebooks and a
  // development Dockerfile sit beside it.
  std::vector<std::string> repo = {"pyproject.toml",
                                   "poetry.lock",
                                   "Dockerfile",
                                   "Makefile",
                                   "census_example.ipynb",
                                   "pytorch_tabnet/tab_model.py",
                                   "pytorch_tabnet/utils.py",
                                   "pytorch_tabnet/net.py",
                                   "tests/test_loss.py"};
  std::map<std::string, std::string> meta = {
      {"pyproject.toml", "[tool.poetry]\nname = \"pytorch-tabnet\"\nversion = \"4.1\"\n"}};
  auto k = project_kind(input(repo, kTrains, meta));
  EXPECT_EQ(k.kind, "library");
  // A directory of another name without an __init__.py is no package of this distribution.
  std::vector<std::string> scripts = {"pyproject.toml", "Dockerfile", "experiments/run.py",
                                      "experiments/net.py"};
  EXPECT_EQ(project_kind(input(scripts, kTrains, meta)).kind, "application");
}

TEST(ProjectKind, PublishedLibraryBesideExamplesAndTools) {
  // A small model package with a hub entry point, a benchmark script, weight converters and an
  // examples/ training script: fewer than 90 % of the files are in the package.
  std::vector<std::string> repo = {"setup.py",
                                   "convnets/__init__.py",
                                   "convnets/model.py",
                                   "convnets/utils.py",
                                   "hubconf.py",
                                   "benchmark_eval.py",
                                   "convert/tf_weights/load_weights.py",
                                   "convert/tf_weights/reference/__init__.py",
                                   "convert/tf_weights/reference/builder.py",
                                   "convert/tf_weights/reference/eval_ckpt_main.py",
                                   "examples/imagenet/main.py",
                                   "tests/test_model.py"};
  std::map<std::string, std::string> files = {
      // The setup.py template that names the package in a constant.
      {"setup.py",
       "import os\nNAME = 'convnets-pytorch'\nsetup(\n    name=NAME,\n    packages=find_packages(),\n)\n"},
      {"README.md", "# ConvNets\n\nInstall with `pip install convnets_pytorch` and load a model.\n"}};
  auto k = project_kind(input(repo, kTrains, files));
  EXPECT_EQ(k.kind, "library");
  ASSERT_FALSE(k.reasons.empty());
  EXPECT_NE(k.reasons[0].find("README.md installs it"), std::string::npos);
  // An editable install of a clone is no publication.
  auto editable = files;
  editable["README.md"] = "pip install -e .\n";
  EXPECT_EQ(project_kind(input(repo, kTrains, editable)).kind, "research");
  // Another package's name is no publication of this one.
  editable["README.md"] = "pip install convnets-pytorch-extras\n";
  EXPECT_EQ(project_kind(input(repo, kTrains, editable)).kind, "research");
  // A CI workflow that uploads to PyPI is.
  auto with_ci = repo;
  with_ci.push_back(".github/workflows/release.yml");
  auto ci = editable;
  ci[".github/workflows/release.yml"] = "steps:\n  - uses: pypa/gh-action-pypi-publish@release/v1\n";
  EXPECT_EQ(project_kind(input(with_ci, kTrains, ci)).kind, "library");
  // Packaging metadata without any package directory (scripts only) is no library.
  EXPECT_EQ(project_kind(input({"setup.py", "hubconf.py", "model.py"}, kTrains, files)).kind, "research");
  // A training script of its own outside the examples makes it code that trains, published or not.
  auto trains = repo;
  trains.push_back("scripts/train_imagenet.py");
  EXPECT_EQ(project_kind(input(trains, kTrains, files)).kind, "research");
}

TEST(ProjectKind, DocsBuildFilesAreNoApplicationStructure) {
  // Sphinx's docs/Makefile (or a docs Dockerfile) builds the documentation, not the project.
  EXPECT_EQ(project_kind(input({"mnist/main.py", "docs/Makefile", "docs/source/conf.py"}, kTrains)).kind,
            "research");
  EXPECT_EQ(project_kind(input({"train.py", "site/doc/Dockerfile"}, kTrains)).kind, "research");
  EXPECT_EQ(project_kind(input({"train.py", "docs/Makefile", "Makefile"}, kTrains)).kind, "application");
}

TEST(ProjectKind, ResearchOrApplication) {
  EXPECT_EQ(project_kind(input({"train.py", "model.py"}, kTrains)).kind, "research");
  auto app = project_kind(input({"train.py", "model.py", "dvc.yaml", "Dockerfile"}, kTrains));
  EXPECT_EQ(app.kind, "application");
  EXPECT_NE(app.reasons[0].find("dvc.yaml"), std::string::npos);
}

TEST(ProjectKind, PipelineFrameworkProjectsAreApplications) {
  // A Kedro project (pipeline registry, data catalog) or a Snakemake workflow structures the
  // code as an application, without a container or Makefile.
  EXPECT_EQ(project_kind(input({"src/proj/nodes.py", "src/proj/pipeline_registry.py"}, kTrains)).kind,
            "application");
  EXPECT_EQ(project_kind(input({"src/proj/nodes.py", "conf/base/catalog/models.yml"}, kTrains)).kind,
            "application");
  EXPECT_EQ(project_kind(input({"scripts/train.py", "Snakefile"}, kTrains)).kind, "application");
  // A YAML file merely named like a catalog elsewhere is not Kedro's.
  EXPECT_EQ(project_kind(input({"train.py", "conf/catalog.yml"}, kTrains)).kind, "research");
  // Named packaging metadata and every module in the package, as Kedro lays a project out: the
  // pipeline registry `kedro run` starts makes it an application, not a library.
  std::map<std::string, std::string> meta = {{"pyproject.toml", "[project]\nname = \"mlops_project\"\n"}};
  std::vector<std::string> kedro = {"pyproject.toml",
                                    "conf/base/catalog.yml",
                                    "src/mlops_project/__init__.py",
                                    "src/mlops_project/pipeline_registry.py",
                                    "src/mlops_project/pipelines/__init__.py",
                                    "src/mlops_project/pipelines/model_training/__init__.py",
                                    "src/mlops_project/pipelines/model_training/nodes.py"};
  EXPECT_EQ(project_kind(input(kedro, kTrains, meta)).kind, "application");
  kedro.erase(kedro.begin() + 1, kedro.begin() + 4);  // no catalog, no registry: a package
  kedro.insert(kedro.begin() + 1, "src/mlops_project/__init__.py");
  EXPECT_EQ(project_kind(input(kedro, kTrains, meta)).kind, "library");
}

TEST(ProjectKind, ApplicabilityTable) {
  EXPECT_FALSE(applies_to_kind("library", "data_versioning", "DAT001", true));
  EXPECT_FALSE(applies_to_kind("library", "documentation", "DOC002", true));  // a model card
  EXPECT_TRUE(applies_to_kind("library", "documentation", "DOC001", true));   // a README
  EXPECT_TRUE(applies_to_kind("library", "tests", "TST001", true));
  EXPECT_FALSE(applies_to_kind("research", "pipeline_automation", "PIP001", true));
  EXPECT_FALSE(applies_to_kind("not_ml", "tests", "TST001", true));
  // Outside ML, only "missing X" requirements go: a concrete problem in a file is still one.
  EXPECT_TRUE(applies_to_kind("not_ml", "config_management", "DAT003", false));
  EXPECT_TRUE(applies_to_kind("not_ml", "privacy", "SEC001", false));  // secrets matter everywhere
  EXPECT_TRUE(applies_to_kind("application", "data_versioning", "DAT001", true));
  for (const auto& k : project_kinds())
    EXPECT_TRUE(applies_to_kind(k, "large_files_managed", "DAT002", false)) << k;
}

// Through the engine: a repository without ML code gets no findings from ML-practice rules and
// no score, whatever its files.
TEST(ProjectKind, NotMlProjectHasNoScoreThroughEngine) {
  RuleLoader l;
  l.add({"conditions.yaml",
         "conditions:\n  ml_code:\n    python_import: [sklearn]\n  ml_project:\n    condition: ml_code\n"});
  l.add({"r.yaml",
         "id: TST001\nname: tests\npractice: tests\ncategory: code\nseverity: warning\nkind: requirement\n"
         "summary: s\nmessage: m\nrationale: r\nremediation: x\ncheck:\n  file_exists: \"tests/*.py\"\n"});
  RuleSet rules = l.finish();
  ASSERT_TRUE(l.errors().empty());
  MemorySnapshot plain(std::map<std::string, std::string>{{"app.py", "import os\n"}});
  CheckOptions o;
  o.jobs = 1;
  CheckResult r = run_check(plain, rules, o);
  ASSERT_EQ(r.projects.size(), 1u);
  EXPECT_EQ(r.projects[0].kind, "not_ml");
  EXPECT_TRUE(r.findings.empty());
  EXPECT_FALSE(scored_projects(r.projects));
  Scores s = compute_scores(r.projects[0].practices, scored_projects(r.projects));
  EXPECT_FALSE(s.scored);
  EXPECT_EQ(s.score_reason, "not an ML project");
  MemorySnapshot ml(std::map<std::string, std::string>{{"train.py", "import sklearn\n"}});
  CheckResult r2 = run_check(ml, rules, o);
  EXPECT_EQ(r2.projects[0].kind, "research");  // ML code, no application structure
  EXPECT_EQ(r2.findings.size(), 1u);
  EXPECT_TRUE(scored_projects(r2.projects));
}

}  // namespace
}  // namespace mlops
