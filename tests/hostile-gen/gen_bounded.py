#!/usr/bin/env python3
"""Writes the hostile inputs of the bounded-work cases into DIR, one sub-directory per case, so
that `mlops-lint check DIR/<case>` reproduces them (with /usr/bin/time -v for peak memory).
Nothing is committed that is this large: the unit tests build smaller versions in memory."""
import json
import os
import sys


def write(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def main(out):
    # 1a. Notebook whose outputs nest 100k deep (about 200 KB).
    depth = 100_000
    nested = "[" * depth + "]" * depth
    write(f"{out}/nb-deep/deep.ipynb",
          '{"cells":[{"cell_type":"code","execution_count":1,"metadata":{},"source":["import numpy\\n"],'
          '"outputs":[{"output_type":"execute_result","data":' + nested + '}]}],'
          '"metadata":{},"nbformat":4,"nbformat_minor":5}')
    # 1b. A 9.6 MB notebook whose source lines are written as \u escapes.
    line = "".join("\\u%04x" % ord(c) for c in "x = 1") + "\\n"
    lines = ",".join('"%s"' % line for _ in range(260_000))
    write(f"{out}/nb-escapes/escapes.ipynb",
          '{"cells":[{"cell_type":"code","metadata":{},"outputs":[],"source":["import numpy as np\\n",' + lines + ']}],'
          '"metadata":{},"nbformat":4,"nbformat_minor":5}')
    # 2. pyproject.toml with a 50k-segment dotted key.
    write(f"{out}/toml-dotted/pyproject.toml", ".".join(["a"] * 50_000) + " = 1\n")
    # 3. Python: chained method calls, chained applications, 10 MB of f(x) lines.
    write(f"{out}/py-chain/chain.py", "import numpy as np\na = np.b()" + ".b()" * 100_000 + "\n")
    write(f"{out}/py-apply/apply.py", "import numpy as np\nnp.f" + "(1)" * 100_000 + "\n")
    write(f"{out}/py-calls/calls.py", "import numpy as np\n" + "f(x)\n" * 2_000_000)
    # 4. YAML alias bomb in the configuration.
    bomb = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        bomb.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    bomb.append("exclude: *a8")
    write(f"{out}/yaml-bomb/.mlops-lint.yaml", "\n".join(bomb) + "\n")
    # 5. 10k rules in a repository rule directory.
    rules = f"{out}/many-rules/rules"
    os.makedirs(rules, exist_ok=True)
    for i in range(10_000):
        rid = "XQ" + chr(65 + i // 1000) + f"{i % 1000:03d}"
        write(f"{rules}/{rid}.yaml",
              f"id: {rid}\nname: rule-{i}\npractice: tests\ncategory: code\nseverity: info\n"
              f"kind: requirement\nsummary: s\nmessage: m\nrationale: r\nremediation: x\n"
              f"check:\n  content: {{files: ['*.py'], pattern: 'nothing{i}[a-z]+'}}\n")
    write(f"{out}/many-rules/.mlops-lint.yaml", "rules: [rules]\n")
    # 6. A 200 MB single line in a Python file.
    if "--big-line" in sys.argv:
        with open(f"{out}/big-line.py", "w") as f:
            f.write("import numpy\nx = '" + "a" * (200 << 20) + "'\n")


if __name__ == "__main__":
    main(sys.argv[1])
