#!/usr/bin/env python3
"""Prints the RE2 pattern of a /home/<user> segment that is none of the given names.

RE2 has no look-ahead, so "any user but jovyan" is written as a trie: at each node either a
character that leaves the excluded names, or the next character of one of them (a prefix of an
excluded name is still a fine name); a whole excluded name must go on with one more character.
DAT003 and DAT008 paste the output into their patterns (the rule files say which names).

  scripts/user-segment-regex.py --allowed '0-9A-Za-z._-' jovyan kubernetes model-server linuxbrew
  scripts/user-segment-regex.py --negated '/*+?{\\s\\\\\\[(' --first-also '.' model-server linuxbrew
"""
import argparse
import string


def expand(spec):
    """Characters of a simple class body such as '0-9A-Za-z._-' (a trailing '-' is literal)."""
    out, i = set(), 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.update(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.add(spec[i])
            i += 1
    return out


def esc(c):
    return "\\" + c if c in "\\]^-[" else c


def positive_class(chars):
    chars, out, i = sorted(chars), "", 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and ord(chars[j + 1]) == ord(chars[j]) + 1:
            j += 1
        out += esc(chars[i]) + "-" + esc(chars[j]) if j - i >= 2 else "".join(esc(c) for c in chars[i : j + 1])
        i = j + 1
    return "[" + out + "]"


def build(words, allowed=None, negated=None, first_also=""):
    def klass(exclude, first=False):
        exclude = set(exclude) | (set(first_also) if first else set())
        if negated is not None:
            return "[^" + negated + "".join(esc(c) for c in sorted(exclude)) + "]"
        return positive_class(allowed - exclude)

    any_char = klass(set())
    trie = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node["$"] = True

    def visit(node, root=False):
        kids = sorted(c for c in node if c != "$")
        if not kids:  # a whole excluded name: one more character at least
            return "(?:" + any_char + any_char + "*)"
        alts = [klass(kids, first=root) + any_char + "*"]
        for c in kids:
            sub = visit(node[c])
            leaf = not [k for k in node[c] if k != "$"]
            alts.append(("\\" + c if c in ".-" else c) + sub + ("" if leaf else "?"))
        return "(?:" + "|".join(alts) + ")"

    return visit(trie, root=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--allowed", help="positive class body of a user name's characters")
    ap.add_argument("--negated", help="negated class body (characters a name cannot hold)")
    ap.add_argument("--first-also", default="", help="characters a name cannot start with")
    ap.add_argument("names", nargs="+")
    a = ap.parse_args()
    if (a.allowed is None) == (a.negated is None):
        ap.error("give one of --allowed or --negated")
    print(build(a.names, expand(a.allowed) if a.allowed else None, a.negated, a.first_also))


if __name__ == "__main__":
    main()
