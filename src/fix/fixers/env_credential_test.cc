// Tests of the env-credential fixer (SEC001) on in-memory files: the variable it reads, the os
// import, the uses it declines; and the fixer behind the rule through run_check + attach_fixes.
#include <gtest/gtest.h>

#include "fix/edits.h"
#include "fix/fixer.h"
#include "fix/fixes.h"
#include "repo/memory_snapshot.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"

namespace mlops {

std::optional<Fix> fix_env_credential(const FixContext&, const Finding&);

namespace {

const std::string kWandb = "3f8a1c9e2b7d4f6a8c0e1b3d5f7a9c2e4b6d8f0a";
const std::string kHf = "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
const std::string kAkia = "AKIAIOSFODNN7EXAMPLQ";

// Runs the fixer with the finding at the `nth` occurrence of `marker` (where the rule's match
// starts) and returns the fixed text, or nullopt when it declines. Checks that neither the
// replacement nor the message holds the credential and that the message says to revoke it.
std::optional<std::string> fixed(const std::string& text, std::string_view marker,
                                 const std::string& path = "app.py", int nth = 0) {
  MemorySnapshot snapshot(std::map<std::string, std::string>{{path, text}});
  CheckResult result;
  RuleSet rules;
  std::map<std::string, std::string> options;
  FixContext context(snapshot, result, rules);
  context.set_options(&options);
  size_t at = text.find(marker);
  for (int i = 0; i < nth && at != std::string::npos; ++i) at = text.find(marker, at + 1);
  EXPECT_NE(at, std::string::npos) << marker;
  Finding f;
  f.rule_id = "SEC001";
  f.where.path = path;
  TextEdit pos = make_edit(path, text, at, at, "");
  f.where.line = pos.start_line;
  f.where.column = pos.start_column;
  auto fix = fix_env_credential(context, f);
  if (!fix) return std::nullopt;
  EXPECT_EQ(fix->applicability, Applicability::Unsafe);
  EXPECT_NE(fix->message.find("revoke"), std::string::npos);
  for (const std::string& secret : {kWandb, kHf, kAkia}) {
    EXPECT_EQ(fix->message.find(secret), std::string::npos);
    for (const auto& e : fix->edits) EXPECT_EQ(e.replacement.find(secret), std::string::npos);
  }
  std::sort(fix->edits.begin(), fix->edits.end());
  return apply_edits(text, fix->edits);
}

TEST(EnvCredentialFixer, AssignmentsReadTheirOwnNameOrTheStandardOne) {
  EXPECT_EQ(fixed("import wandb\n\nWANDB_API_KEY = \"" + kWandb + "\"\n", "WANDB_API_KEY"),
            "import os\nimport wandb\n\nWANDB_API_KEY = os.environ[\"WANDB_API_KEY\"]\n");
  // A lower-case name is not an environment variable: the standard one for the kind.
  EXPECT_EQ(fixed("token = '" + kHf + "'\n", "hf_"), "import os\ntoken = os.environ[\"HF_TOKEN\"]\n");
  EXPECT_EQ(fixed("MY_HUB_TOKEN = '" + kHf + "'\n", "hf_"),
            "import os\nMY_HUB_TOKEN = os.environ[\"MY_HUB_TOKEN\"]\n");
  // A known variable in any case; attributes; annotated assignments; dict values; subscripts.
  EXPECT_EQ(fixed("cfg = {'wandb_api_key': '" + kWandb + "'}\n", "wandb_api_key"),
            "import os\ncfg = {'wandb_api_key': os.environ[\"WANDB_API_KEY\"]}\n");
  EXPECT_EQ(fixed("settings.aws_key: str = '" + kAkia + "'\n", "AKIA"),
            "import os\nsettings.aws_key: str = os.environ[\"AWS_ACCESS_KEY_ID\"]\n");
  EXPECT_EQ(fixed("conf['HF_TOKEN'] = '" + kHf + "'\n", "hf_a"),
            "import os\nconf['HF_TOKEN'] = os.environ[\"HF_TOKEN\"]\n");
  EXPECT_EQ(fixed("OPENAI_KEY = 'sk-" + std::string(40, 'a') + "'\n", "sk-"),
            "import os\nOPENAI_KEY = os.environ[\"OPENAI_KEY\"]\n");
  EXPECT_EQ(fixed("aws_secret_access_key = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'\n", "aws_secret"),
            "import os\naws_secret_access_key = os.environ[\"AWS_SECRET_ACCESS_KEY\"]\n");
  EXPECT_EQ(fixed("NEPTUNE_API_TOKEN = 'eyJhcGlfYWRkcmVzcyI6Imh0dHBz'\n", "NEPTUNE"),
            "import os\nNEPTUNE_API_TOKEN = os.environ[\"NEPTUNE_API_TOKEN\"]\n");
}

TEST(EnvCredentialFixer, ArgumentsAndDefaults) {
  EXPECT_EQ(fixed("import os\nwandb.login(key=\"" + kWandb + "\")\n", "login"),
            "import os\nwandb.login(key=os.environ[\"WANDB_API_KEY\"])\n");
  EXPECT_EQ(fixed("import os\nHfFolder.save_token(\"" + kHf + "\")\n", "hf_"),
            "import os\nHfFolder.save_token(os.environ[\"HF_TOKEN\"])\n");
  EXPECT_EQ(fixed("import os\ndef push(token='" + kHf + "'):\n    pass\n", "hf_"),
            "import os\ndef push(token=os.environ[\"HF_TOKEN\"]):\n    pass\n");
  // A default value is evaluated where the function is defined: os must be imported above it.
  EXPECT_EQ(fixed("def push(token='" + kHf + "'):\n    pass\nimport os\n", "hf_"),
            "import os\ndef push(token=os.environ[\"HF_TOKEN\"]):\n    pass\nimport os\n");
  // A 40-hex string is a W&B key only where W&B takes one.
  EXPECT_EQ(fixed("import os\nclient.login(user=\"" + kWandb + "\")\n", kWandb), std::nullopt);
}

TEST(EnvCredentialFixer, DropsAFallbackOfAnEnvironmentRead) {
  EXPECT_EQ(fixed("import os\nT = os.getenv(\"HF_TOKEN\", \"" + kHf + "\")\n", "hf_a"),
            "import os\nT = os.getenv(\"HF_TOKEN\")\n");
  EXPECT_EQ(
      fixed("import os\nwandb.login(key=os.environ.get('WANDB_API_KEY',\n    '" + kWandb + "',))\n", kWandb),
      "import os\nwandb.login(key=os.environ.get('WANDB_API_KEY',))\n");
  // A comment between the arguments, or a 40-hex fallback of a variable that is not W&B's.
  EXPECT_EQ(fixed("import os\nT = os.getenv('HF_TOKEN',  # dev\n    '" + kHf + "')\n", "hf_a"), std::nullopt);
  EXPECT_EQ(fixed("import os\nT = os.getenv('GIT_SHA', '" + kWandb + "')\n", kWandb), std::nullopt);
  // A first argument that is not a variable name (it would be quoted in the message).
  EXPECT_EQ(fixed("import os\nT = os.getenv('a b', '" + kHf + "')\n", "hf_"), std::nullopt);
}

TEST(EnvCredentialFixer, TheOsImport) {
  // Under an alias: that name.
  EXPECT_EQ(fixed("import os as _os\nT = '" + kHf + "'\n", "hf_"),
            "import os as _os\nT = _os.environ[\"HF_TOKEN\"]\n");
  // Imported below a module-level use: imported again above it.
  EXPECT_EQ(fixed("T = '" + kHf + "'\nimport os\n", "hf_"),
            "import os\nT = os.environ[\"HF_TOKEN\"]\nimport os\n");
  // ... but inside a function a later module-level import is in scope.
  EXPECT_EQ(fixed("def f():\n    return '" + kHf + "'\nimport os\n", "hf_"),
            std::nullopt);  // a return: not handled
  EXPECT_EQ(fixed("def f(t='x'):\n    t = '" + kHf + "'\nimport os\n", "hf_"),
            "def f(t='x'):\n    t = os.environ[\"HF_TOKEN\"]\nimport os\n");
  // After the docstring and __future__ imports; CRLF line breaks on the inserted line.
  EXPECT_EQ(fixed("\"\"\"Keys.\"\"\"\r\nfrom __future__ import annotations\r\nK = '" + kHf + "'\r\n", "hf_"),
            "\"\"\"Keys.\"\"\"\r\nfrom __future__ import annotations\r\nimport os\r\nK = "
            "os.environ[\"HF_TOKEN\"]\r\n");
}

TEST(EnvCredentialFixer, PicksTheLiteralAtTheFindingOnItsLine) {
  std::string text =
      "import os\nA, B = '" + kHf + "', '" + kAkia + "'\nX = ('" + kHf + "', '" + kAkia + "')\n";
  EXPECT_EQ(fixed(text, "AKIA"), std::nullopt);  // a tuple assignment: not one name
  std::string call = "import os\nconnect(token='" + kHf + "', key_id='" + kAkia + "')\n";
  EXPECT_EQ(fixed(call, "AKIA"),
            "import os\nconnect(token='" + kHf + "', key_id=os.environ[\"AWS_ACCESS_KEY_ID\"])\n");
  EXPECT_EQ(fixed(call, "hf_"),
            "import os\nconnect(token=os.environ[\"HF_TOKEN\"], key_id='" + kAkia + "')\n");
}

TEST(EnvCredentialFixer, Declines) {
  // Written into the environment: reading it back would read itself.
  EXPECT_EQ(fixed("import os\nos.environ[\"HF_TOKEN\"] = \"" + kHf + "\"\n", "hf_"), std::nullopt);
  EXPECT_EQ(fixed("import os\nos.environ.update({\"HF_TOKEN\": \"" + kHf + "\"})\n", "hf_"), std::nullopt);
  EXPECT_EQ(fixed("import os\nos.environ.setdefault(\"HF_TOKEN\", \"" + kHf + "\")\n", "hf_"), std::nullopt);
  // Not the whole value: f-strings, concatenations, a longer text, escapes, bytes.
  EXPECT_EQ(fixed("T = f'{p}" + kHf + "'\n", "hf_"), std::nullopt);
  EXPECT_EQ(fixed("T = 'Bearer ' + '" + kHf + "'\n", "hf_"), std::nullopt);
  EXPECT_EQ(fixed("T = 'x' '" + kHf + "'\n", "hf_"), std::nullopt);
  EXPECT_EQ(fixed("T = 'token " + kHf + "'\n", "hf_"), std::nullopt);
  EXPECT_EQ(fixed("T = b'" + kHf + "'\n", "hf_"), std::nullopt);
  // Private keys, files other than Python, a file that does not parse, no credential on the line.
  EXPECT_EQ(
      fixed("K = '''-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----'''\n", "-----"),
      std::nullopt);
  EXPECT_EQ(fixed("HF_TOKEN=" + kHf + "\n", "hf_", ".env"), std::nullopt);
  EXPECT_EQ(fixed("{\"cells\": [\"T = '" + kHf + "'\"]}", "hf_", "n.ipynb"), std::nullopt);
  EXPECT_EQ(fixed("T = '" + kHf + "'\ndef (:\n", "hf_"), std::nullopt);
  EXPECT_EQ(fixed("T = 'short'\n", "short"), std::nullopt);
}

// Through the rule: the fix attaches to SEC001's finding, is unsafe, and once applied the rule
// no longer fires (a second --fix changes nothing).
TEST(EnvCredentialFixer, AttachedToTheRuleAndIdempotent) {
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules({}, errors);  // the built-in rules
  ASSERT_TRUE(errors.empty());
  std::string text = "import wandb\n\nwandb.login(key=\"" + kWandb + "\")\nHF_TOKEN = \"" + kHf + "\"\n";
  MemorySnapshot snapshot(std::map<std::string, std::string>{{"train.py", text}});
  auto check = [&](const Snapshot& s) {
    CheckOptions opts;
    opts.jobs = 1;
    CheckResult r = run_check(s, rules, opts);
    std::erase_if(r.findings, [](const Finding& f) { return f.rule_id != "SEC001"; });
    attach_fixes(r, s, rules);
    return r;
  };
  CheckResult before = check(snapshot);
  ASSERT_EQ(before.findings.size(), 2u);
  for (const auto& f : before.findings) {
    ASSERT_TRUE(f.fix) << f.where.line;
    EXPECT_EQ(f.fix->applicability, Applicability::Unsafe);
  }
  FixRun run = run_fixes(snapshot, true, check);
  ASSERT_EQ(run.fixed.count("train.py"), 1u);
  EXPECT_EQ(run.fixed["train.py"],
            "import os\nimport wandb\n\nwandb.login(key=os.environ[\"WANDB_API_KEY\"])\nHF_TOKEN = "
            "os.environ[\"HF_TOKEN\"]\n");
  EXPECT_TRUE(run.result.findings.empty());
}

}  // namespace
}  // namespace mlops
