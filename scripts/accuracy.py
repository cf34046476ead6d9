#!/usr/bin/env python3
"""Compares mlops-lint's JSON report with blind labels of real repositories (docs/accuracy/labels).

    scripts/accuracy.py LABELS_DIR CLONES_DIR BINARY [--set A-M] [--profile P] [--json OUT]
                        [--second LABELS_DIR]
    scripts/accuracy.py LABELS_DIR --check-labels

Each label file (<owner>__<name>.yaml) was written by reading the repository before running the
tool. For every labelled repository whose clone is CLONES_DIR/<owner>__<name>, this runs
`BINARY check --no-cache --format json --exit-zero CLONE` and compares:

- practices: the tool's status against the label's, per practice slug. A label `partial` agrees
  with the tool's `partial` when the report has that status (JSON `"schema": 2` or later, #14);
  for an older report without `schema`, which cannot say `partial`, it agrees with `present`
  (said in the output). For a label with several `projects` (monorepo, independent examples) the repository-wide
  `practices` of the report are compared; otherwise those of the project at `.`.
- project-level findings ("no X found", kind `project`): correct when the label says the practice
  is `missing`, wrong when it says `not_applicable` or `present` (an `info` hint against a
  `present` practice, like "no model card", is left to a human), left to a human when `partial`.
- file-level findings (kind `location`): backed by a labelled file finding at the same path and
  line +-2, or by the label of the finding's practice being `missing` / `partial`; anything else is
  listed for a human to judge and never counted as right.

Standard library only: the labels use a small YAML subset (top-level scalars, a mapping of flow
mappings under `practices:`, lists of flow mappings under `projects:` and `file_findings:`) that
this file parses itself.
"""

import argparse
import json
import os
import re
import subprocess
import sys

# The labelled sets, in the order they were labelled (docs/accuracy.md).
SETS = ("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O")

SLUGS = (
    "data_versioning data_split data_validation experiment_tracking config_management seeds "
    "dependency_pinning tests ci ci_runs_tests linting model_versioning deployment monitoring "
    "rollback documentation large_files_managed code_in_modules privacy team_process "
    "notebook_hygiene hyperparameter_tuning explainability model_validation pipeline_automation"
).split()
STATUSES = ("present", "partial", "missing", "not_applicable")
KINDS = ("application", "service", "research", "notebooks", "library", "template", "docs", "not_ml")
LINE_SLACK = 2


class LabelError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# The YAML subset of the label files.


def _strip_comment(line):
    """Drops a `#` comment that is outside double quotes."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"' and (i == 0 or line[i - 1] != "\\"):
            quoted = not quoted
        elif ch == "#" and not quoted and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _scalar(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('\\"', '"')
    if text == "[]":
        return []
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def _flow_mapping(text, where):
    """Parses `{k: v, k: "quoted, text", k: 3}`."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise LabelError(f"{where}: expected {{...}}, got {text[:40]!r}")
    body, items, cur, quoted = text[1:-1], [], "", False
    for i, ch in enumerate(body):
        if ch == '"' and (i == 0 or body[i - 1] != "\\"):
            quoted = not quoted
        if ch == "," and not quoted:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    if quoted:
        raise LabelError(f"{where}: unterminated quote")
    if cur.strip():
        items.append(cur)
    result = {}
    for item in items:
        key, sep, value = item.partition(":")
        if not sep:
            raise LabelError(f"{where}: {item.strip()!r} is not key: value")
        result[key.strip()] = _scalar(value)
    return result


def parse_label_text(text, where):
    data, block = {}, None
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        at = f"{where}:{number}"
        if not line.strip():
            continue
        if not line.startswith((" ", "\t")):
            key, sep, value = line.partition(":")
            if not sep:
                raise LabelError(f"{at}: expected key: value")
            key, value = key.strip(), value.strip()
            if value:
                data[key], block = _scalar(value), None
            else:
                block = key
                data[key] = None
            continue
        if block is None:
            raise LabelError(f"{at}: indented line outside a block")
        item = line.strip()
        if item.startswith("- "):
            if data[block] is None:
                data[block] = []
            if not isinstance(data[block], list):
                raise LabelError(f"{at}: list item in a mapping")
            data[block].append(_flow_mapping(item[2:], at))
        else:
            if data[block] is None:
                data[block] = {}
            if not isinstance(data[block], dict):
                raise LabelError(f"{at}: mapping entry in a list")
            key, sep, value = item.partition(":")
            if not sep:
                raise LabelError(f"{at}: expected key: {{...}}")
            data[block][key.strip()] = _flow_mapping(value, at)
    return data


def validate_label(label, where):
    problems = []
    for key in ("repository", "commit", "set", "kind", "practices"):
        if key not in label:
            problems.append(f"missing {key}")
    if not re.fullmatch(r"[0-9a-f]{40}", str(label.get("commit", ""))):
        problems.append("commit is not a full sha")
    if label.get("set") not in SETS:
        problems.append("set is not one of " + ", ".join(SETS))
    if label.get("kind") not in KINDS:
        problems.append(f"kind {label.get('kind')!r} unknown")
    practices = label.get("practices") or {}
    for slug in SLUGS:
        entry = practices.get(slug)
        if entry is None:
            problems.append(f"practice {slug} not labelled")
        elif entry.get("status") not in STATUSES:
            problems.append(f"practice {slug}: status {entry.get('status')!r}")
        elif not entry.get("why"):
            problems.append(f"practice {slug}: no why")
    for slug in practices:
        if slug not in SLUGS:
            problems.append(f"unknown practice {slug}")
    for finding in label.get("file_findings") or []:
        if not finding.get("path") or not isinstance(finding.get("line"), int):
            problems.append(f"file finding without path/line: {finding}")
    for project in label.get("projects") or []:
        if project.get("kind") not in KINDS or "root" not in project:
            problems.append(f"project entry {project}")
    if problems:
        raise LabelError(f"{where}: " + "; ".join(problems))


def load_labels(labels_dir):
    labels = []
    for name in sorted(os.listdir(labels_dir)):
        if not name.endswith(".yaml"):
            continue
        path = os.path.join(labels_dir, name)
        with open(path, encoding="utf-8") as f:
            label = parse_label_text(f.read(), path)
        validate_label(label, path)
        label["_id"] = name[: -len(".yaml")]
        expected = label["repository"].replace("/", "__")
        if label["_id"] != expected:
            raise LabelError(f"{path}: file name should be {expected}.yaml")
        labels.append(label)
    return labels


# ---------------------------------------------------------------------------------------------
# Comparison.


def run_tool(binary, clone, profile):
    cmd = [binary, "check", "--no-cache", "--format", "json", "--exit-zero"]
    if profile:
        cmd += ["--profile", profile]
    cmd.append(clone)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {proc.stderr.strip()[:300]}")
    return json.loads(proc.stdout)


def clone_head(clone):
    proc = subprocess.run(["git", "-C", clone, "rev-parse", "HEAD"], capture_output=True,
                          text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def tool_view(report, label):
    """The practices and rule results the label is compared with."""
    projects = report.get("projects") or []
    if len(label.get("projects") or []) > 1:
        return report.get("practices") or {}, [r for p in projects for r in p.get("results", [])], \
            "repository-wide practices"
    for project in projects:
        if project.get("root") == ".":
            return project.get("practices") or {}, project.get("results", []), "project ."
    return report.get("practices") or {}, [r for p in projects for r in p.get("results", [])], \
        "repository-wide practices (no project at .)"


def profile_excluded(practice, results):
    """True when every rule of the practice is not applicable only because of the profile."""
    rules = set(practice.get("rules") or [])
    outcomes = [r for r in results if r.get("rule") in rules]
    return bool(outcomes) and all(
        r.get("outcome") == "not_applicable" and "profile" in (r.get("reason") or "")
        for r in outcomes)


def match_labelled(labelled, findings):
    """Maps finding index -> labelled finding index: same path, nearest line within LINE_SLACK.

    A labelled finding backs the tool's findings on one line only (several rules may report the
    same line), so neighbouring lines of a requirements file do not all lean on one label.
    """
    pairs = []
    for fi, finding in enumerate(findings):
        if finding.get("kind") == "project":
            continue
        line = int(finding.get("line") or 0)
        for li, want in enumerate(labelled):
            if want["path"] == finding.get("path") and abs(want["line"] - line) <= LINE_SLACK:
                pairs.append((abs(want["line"] - line), fi, li, line))
    claims, label_line = {}, {}
    for _, fi, li, line in sorted(pairs):
        if fi in claims or label_line.get(li, line) != line:
            continue
        claims[fi] = li
        label_line[li] = line
    return claims


def compare(label, report):
    practices, results, scope = tool_view(report, label)
    knows_partial = any(p.get("status") == "partial" for p in practices.values()) or \
        (report.get("schema") or 1) >= 2
    rows = []
    for slug in SLUGS:
        want = label["practices"][slug]["status"]
        tool = practices.get(slug, {}).get("status", "absent")
        if want == "partial" and not knows_partial:
            agree, mapped = tool == "present", "present"
        else:
            agree, mapped = tool == want, want
        excluded = tool == "not_applicable" and profile_excluded(practices.get(slug, {}), results)
        rows.append({"practice": slug, "label": want, "compared_as": mapped, "tool": tool,
                     "agree": agree, "profile_excluded": excluded})

    labelled = label.get("file_findings") or []
    status = {s: label["practices"][s]["status"] for s in SLUGS}
    project_level = {"correct": [], "wrong": [], "to_judge": []}
    file_level = {"by_finding": [], "by_practice": [], "to_judge": []}
    findings = report.get("findings") or []
    claims = match_labelled(labelled, findings)
    matched_labels = set(claims.values())
    for index, finding in enumerate(findings):
        short = {k: finding.get(k) for k in ("rule", "practice", "severity", "path", "line",
                                             "project")}
        practice_status = status.get(finding.get("practice"), "unlabelled")
        short["label_status"] = practice_status
        if finding.get("kind") == "project":
            # An info hint ("add a model card") can be right while its practice is present.
            if practice_status == "missing":
                project_level["correct"].append(short)
            elif practice_status == "not_applicable" or \
                    (practice_status == "present" and finding.get("severity") != "info"):
                project_level["wrong"].append(short)
            else:
                project_level["to_judge"].append(short)
            continue
        if index in claims:
            short["label_class"] = labelled[claims[index]].get("class")
            file_level["by_finding"].append(short)
        elif practice_status in ("missing", "partial"):
            file_level["by_practice"].append(short)
        else:
            file_level["to_judge"].append(short)
    missed = [labelled[i] for i in range(len(labelled)) if i not in matched_labels]
    return {"scope": scope, "knows_partial": knows_partial, "practices": rows,
            "project_level": project_level, "file_level": file_level, "missed": missed}


# ---------------------------------------------------------------------------------------------
# Output.


def pct(num, den):
    return f"{num}/{den} = {100.0 * num / den:.1f} %" if den else f"{num}/0"


def print_repository(label, result, out):
    rows = result["practices"]
    agree = sum(r["agree"] for r in rows)
    out.write(f"\n## {label['repository']} ({label['commit'][:7]}, set {label['set']}, "
              f"kind {label['kind']}; compared with {result['scope']})\n")
    if not result["knows_partial"]:
        out.write("   (the report has no `partial` status: label `partial` is compared as "
                  "`present`)\n")
    out.write(f"   practices agreed: {pct(agree, len(rows))}\n")
    for r in rows:
        if not r["agree"]:
            note = "  [not_applicable by profile]" if r["profile_excluded"] else ""
            shown = r["label"] if r["label"] == r["compared_as"] else \
                f"{r['label']} (as {r['compared_as']})"
            out.write(f"   - {r['practice']:<22} label {shown:<22} tool {r['tool']}{note}\n")
    pl, fl = result["project_level"], result["file_level"]
    out.write(f"   project-level findings: {len(pl['correct'])} correct, {len(pl['wrong'])} "
              f"wrong, {len(pl['to_judge'])} to judge\n")
    for f in pl["wrong"]:
        out.write(f"     wrong: {f['rule']} ({f['practice']}, label {f['label_status']}) "
                  f"project {f['project']}\n")
    for f in pl["to_judge"]:
        out.write(f"     judge: {f['rule']} ({f['practice']}, label {f['label_status']}) "
                  f"project {f['project']}\n")
    out.write(f"   file-level findings: {len(fl['by_finding'])} backed by a labelled finding, "
              f"{len(fl['by_practice'])} by a missing/partial practice, {len(fl['to_judge'])} "
              f"to judge\n")
    for f in fl["to_judge"]:
        out.write(f"     judge: {f['rule']} {f['path']}:{f['line']} ({f['practice']}, label "
                  f"{f['label_status']})\n")
    if result["missed"]:
        out.write(f"   labelled file findings the tool did not report: {len(result['missed'])}\n")
        for m in result["missed"]:
            out.write(f"     missed: {m.get('class')} {m['path']}:{m['line']}\n")


def totals(results):
    t = {"practices": 0, "agree": 0, "practices_in_profile": 0, "agree_in_profile": 0,
         "pl_correct": 0, "pl_wrong": 0, "pl_judge": 0,
         "fl_finding": 0, "fl_practice": 0, "fl_judge": 0, "missed": 0, "labelled_findings": 0}
    for label, result in results:
        for r in result["practices"]:
            t["practices"] += 1
            t["agree"] += r["agree"]
            if not r["profile_excluded"]:
                t["practices_in_profile"] += 1
                t["agree_in_profile"] += r["agree"]
        t["pl_correct"] += len(result["project_level"]["correct"])
        t["pl_wrong"] += len(result["project_level"]["wrong"])
        t["pl_judge"] += len(result["project_level"]["to_judge"])
        t["fl_finding"] += len(result["file_level"]["by_finding"])
        t["fl_practice"] += len(result["file_level"]["by_practice"])
        t["fl_judge"] += len(result["file_level"]["to_judge"])
        t["missed"] += len(result["missed"])
        t["labelled_findings"] += len(label.get("file_findings") or [])
    return t


def print_totals(t, count, out):
    out.write(f"\n# Totals over {count} repositories\n")
    out.write(f"practice agreement: {pct(t['agree'], t['practices'])}\n")
    out.write(f"  leaving out practices not_applicable only because of the profile: "
              f"{pct(t['agree_in_profile'], t['practices_in_profile'])}\n")
    out.write(f"project-level finding precision: {pct(t['pl_correct'], t['pl_correct'] + t['pl_wrong'])}"
              f" ({t['pl_judge']} to judge: against a `partial` label or info hints, not counted)\n")
    fl_total = t["fl_finding"] + t["fl_practice"] + t["fl_judge"]
    backed = t["fl_finding"] + t["fl_practice"]
    out.write(f"file-level findings backed by the labels: {pct(backed, fl_total)} "
              f"({t['fl_finding']} by a labelled finding, {t['fl_practice']} by a missing/partial "
              f"practice); {t['fl_judge']} to judge by a human, not counted as right\n")
    found = t["labelled_findings"] - t["missed"]
    out.write(f"labelled file findings reported by the tool (recall): "
              f"{pct(found, t['labelled_findings'])}\n")


def print_second_opinion(results, second, out):
    """Two labellers of the same repositories: how often they agree, and the tool against each
    and against their consensus (the practices both labellers gave the same status)."""
    t = {"n": 0, "agree": 0, "tool_first": 0, "tool_second": 0, "consensus": 0, "tool_consensus": 0,
         "kinds": 0, "repos": 0}
    pairs = {}
    out.write("\n# Second labels (independent labellers of the same repositories)\n")
    out.write("| repository | kind (1st / 2nd) | labellers agree | tool = 1st | tool = 2nd | tool = consensus |\n")
    out.write("|---|---|---|---|---|---|\n")
    for label, result in results:
        other = second.get(label["repository"])
        if not other:
            continue
        if other["commit"] != label["commit"]:
            out.write(f"warning: {label['repository']}: second label at {other['commit'][:7]}\n")
        tool = {r["practice"]: r["tool"] for r in result["practices"]}
        r = {"agree": 0, "tool_first": 0, "tool_second": 0, "consensus": 0, "tool_consensus": 0}
        for slug in SLUGS:
            a = label["practices"][slug]["status"]
            b = other["practices"][slug]["status"]
            r["tool_first"] += tool.get(slug) == a
            r["tool_second"] += tool.get(slug) == b
            if a == b:
                r["agree"] += 1
                r["consensus"] += 1
                r["tool_consensus"] += tool.get(slug) == a
            else:
                key = " / ".join(sorted((a, b)))
                pairs[key] = pairs.get(key, 0) + 1
        for k, v in r.items():
            t[k] += v
        t["n"] += len(SLUGS)
        t["repos"] += 1
        t["kinds"] += label["kind"] == other["kind"]
        out.write(f"| {label['repository']} | {label['kind']} / {other['kind']} | {r['agree']}/{len(SLUGS)} | "
                  f"{r['tool_first']}/{len(SLUGS)} | {r['tool_second']}/{len(SLUGS)} | "
                  f"{r['tool_consensus']}/{r['consensus']} |\n")
    if not t["repos"]:
        out.write("no repository has a second label\n")
        return t
    out.write(f"\nkinds agree: {t['kinds']}/{t['repos']}\n")
    out.write(f"labellers agree on practices: {pct(t['agree'], t['n'])}\n")
    out.write(f"tool against the first labeller: {pct(t['tool_first'], t['n'])}; "
              f"against the second: {pct(t['tool_second'], t['n'])}\n")
    out.write(f"tool against the consensus (practices both labellers agree on): "
              f"{pct(t['tool_consensus'], t['consensus'])}\n")
    out.write("labeller disagreements by status pair: " +
              ", ".join(f"{k} {v}" for k, v in sorted(pairs.items(), key=lambda kv: -kv[1])) + "\n")
    return t


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("labels_dir")
    parser.add_argument("clones_dir", nargs="?")
    parser.add_argument("binary", nargs="?")
    parser.add_argument("--set", choices=SETS, help="only the repositories of this set")
    parser.add_argument("--profile", help="passed to the tool (default: its own default)")
    parser.add_argument("--json", help="also write every comparison here as JSON")
    parser.add_argument("--second", metavar="LABELS_DIR",
                        help="second, independent labels of the same repositories: report how often "
                             "the labellers agree and the tool against their consensus")
    parser.add_argument("--check-labels", action="store_true",
                        help="validate the label files and exit (runs nothing)")
    args = parser.parse_args(argv)

    try:
        labels = load_labels(args.labels_dir)
    except LabelError as e:
        print(f"label error: {e}", file=sys.stderr)
        return 2
    if args.set:
        labels = [lb for lb in labels if lb["set"] == args.set]
    if args.check_labels:
        counts = {s: sum(lb["set"] == s for lb in labels) for s in SETS}
        print(f"{len(labels)} labels valid (" + ", ".join(f"set {s}: {n}" for s, n in counts.items() if n) + ")")
        return 0
    if not args.clones_dir or not args.binary:
        parser.error("CLONES_DIR and BINARY are required unless --check-labels")

    out = sys.stdout
    results, skipped = [], []
    for label in labels:
        clone = os.path.join(args.clones_dir, label["_id"])
        if not os.path.isdir(clone):
            skipped.append((label["repository"], "no clone at " + clone))
            continue
        head = clone_head(clone)
        if head and head != label["commit"]:
            out.write(f"\nwarning: {label['repository']}: clone is at {head[:7]}, label at "
                      f"{label['commit'][:7]}\n")
        try:
            report = run_tool(args.binary, clone, args.profile)
        except (RuntimeError, json.JSONDecodeError, subprocess.TimeoutExpired) as e:
            skipped.append((label["repository"], f"tool failed: {e}"))
            continue
        result = compare(label, report)
        results.append((label, result))
        print_repository(label, result, out)
    for repo, why in skipped:
        out.write(f"\nskipped {repo}: {why}\n")
    t = totals(results)
    print_totals(t, len(results), out)
    if args.second:
        try:
            second = {lb["repository"]: lb for lb in load_labels(args.second)}
        except LabelError as e:
            print(f"label error: {e}", file=sys.stderr)
            return 2
        t["second"] = print_second_opinion(results, second, out)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"totals": t, "repositories": [
                {"repository": lb["repository"], "commit": lb["commit"], "set": lb["set"], **res}
                for lb, res in results], "skipped": skipped}, f, indent=1)
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
