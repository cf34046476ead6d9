import a.b as c
from .x import (y as z, w)
from m import *
x = c.f(**kw)
x.g(k=1)
class A:
  def f(self):
    return "s" f"t{1}"
