"""mlops-lint, a linter for machine-learning projects, packaged as a native binary.

The wheel installs the binary itself as the `mlops-lint` script (no Python in between);
this module only finds it, for `python -m mlops_lint` and for tools that want its path.
"""

import os
import sys
import sysconfig


def find_binary() -> str:
    """Path of the installed mlops-lint binary."""
    name = "mlops-lint" + (".exe" if sys.platform == "win32" else "")
    candidates = [os.path.join(sysconfig.get_path("scripts"), name)]
    user_scheme = sysconfig.get_preferred_scheme("user") if hasattr(sysconfig, "get_preferred_scheme") else None
    if user_scheme:
        candidates.append(os.path.join(sysconfig.get_path("scripts", user_scheme), name))
    for path in candidates:
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(f"{name} is not installed beside this Python ({', '.join(candidates)})")
