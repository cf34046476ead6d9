import nox
nox.options.sessions = ["t"]
@nox.session(name="t", default=False)
def tests(s: nox.Session):
    s.run("pytest", "-q", *s.posargs)
