// The pin-base-image fixer (DPL002): reading the project's declared Python version and retagging
// a `FROM python` line, exposed for unit tests.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "fix/fixer.h"

namespace mlops {

// "3.11" from an exact version ("3.11", "3.11.4"); nullopt for anything else ("pypy3.10", "3").
std::optional<std::string> python_minor_of_version(std::string_view version);
// The X.Y a requires-python range starts at: ">=3.10,<3.13" -> 3.10, "==3.11.*" -> 3.11,
// "~=3.10" -> 3.10, Poetry's "^3.10" / "~3.10" -> 3.10. nullopt without a readable lower bound
// (only "<4", ">3.9", alternatives "||").
std::optional<std::string> python_minor_of_range(std::string_view range);

struct DeclaredPython {
  std::string minor;   // "3.11"
  std::string source;  // the file it was read from
  // The project runs exactly this version (.python-version, runtime.txt, `==3.11.*`); false when
  // it is only a range's lower bound, which may be older than what `latest` builds with today.
  bool exact = false;
};
// The Python version the project declares at its root: `.python-version` and `runtime.txt`
// (exact), `requires-python` / Poetry's `python` in pyproject.toml and `python_requires` in
// setup.cfg (ranges). Exact declarations win when every range admits them; without one, the
// ranges' lower bounds must agree. nullopt when nothing is declared, a declaration cannot be
// read, or they disagree.
std::optional<DeclaredPython> declared_python(const FixContext& context, const std::string& project);

// The FROM line `line` with its image (python, docker.io/library/python, untagged or `latest`)
// tagged `minor`; nullopt for any other line.
std::optional<std::string> retag_python_from(std::string_view line, std::string_view minor);

std::optional<Fix> fix_pin_base_image(const FixContext& context, const Finding& finding);

}  // namespace mlops
