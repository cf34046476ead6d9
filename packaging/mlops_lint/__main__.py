"""`python -m mlops_lint ARGS`: runs the installed binary with ARGS."""

import os
import sys

from mlops_lint import find_binary


def main() -> None:
    binary = find_binary()
    # exec, not a child process: exit code and signals are the binary's own.
    os.execv(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    main()
