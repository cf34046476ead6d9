#!/usr/bin/env python3
"""Writes the reproducers of the bounded-work cases into fuzz/corpus/<target>/: small ones are
committed; `--large` writes the full-size ones (a 200 KB notebook, a 400 KB Python chain, ...)
into fuzz/corpus-large/<target>/, not committed, which run.sh adds to the seeds when present."""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))


corpus = "corpus"


def write(target, name, text):
    os.makedirs(os.path.join(here, corpus, target), exist_ok=True)
    with open(os.path.join(here, corpus, target, name), "w") as f:
        f.write(text)


def main(large):
    global corpus
    corpus = "corpus-large" if large else "corpus"
    scale = 100 if large else 1
    tag = "-large" if large else ""
    depth = 1000 * scale
    nested = "[" * depth + "]" * depth
    write("notebook", f"deep-outputs{tag}.ipynb",
          '{"cells":[{"cell_type":"code","execution_count":1,"metadata":{},"outputs":[{"output_type":'
          '"execute_result","data":' + nested + '}],"source":["import numpy\\n"]}],"nbformat":4}')
    write("notebook_outputs", f"deep{tag}.json", '{"data":' + nested + "}")
    escaped = "".join("\\u%04x" % ord(c) for c in "x = 1") + "\\n"
    write("notebook_lines", f"escapes{tag}.ipynb",
          '{"cells":[{"cell_type":"code","source":[' + ",\n".join(['"%s"' % escaped] * (300 * scale)) + "]}]}")
    write("toml_guard", f"dotted-key{tag}.toml", ".".join(["a"] * (500 * scale)) + " = 1\n")
    write("toml_manifests", f"dotted-key{tag}.toml", "[project]\n" + ".".join(["a"] * (500 * scale)) + " = 1\n")
    write("toml_guard", f"deep-arrays{tag}.toml", "x = " + "[" * 300 + "]" * 300 + "\n")
    write("python", f"chain{tag}.py", "import numpy as np\na = np.b()" + ".b()" * (1000 * scale) + "\n")
    write("python", f"apply{tag}.py", "import numpy as np\nnp.f" + "(1)" * (1000 * scale) + "\n")
    write("dataflow", f"deep{tag}.py", "X_train, X_test = train_test_split(X)\nm.fit(" + "f(" * (1000 * scale) +
          "X_test" + ")" * (1000 * scale) + ")\n")
    write("dataflow", f"wide{tag}.py", ", ".join(f"v{i}" for i in range(300 * scale)) + " = train_test_split(X)\n")
    write("dataflow", f"chain{tag}.py", "import pandas as pd\nv = pd.read_csv('x')\n" + "v = v.copy()\n" * (1000 * scale))
    bomb = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        bomb.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    if large:
        return
    write("yaml_queries", "alias-bomb.yaml", "\n".join(bomb) + "\n")
    write("config", "alias-bomb.yaml", "\n".join(bomb) + "\nexclude: *a8\n")


if __name__ == "__main__":
    main("--large" in sys.argv)
