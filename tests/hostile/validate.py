#!/usr/bin/env python3
"""Output validity checks for tests/hostile/run.sh: one line per problem, exit 1 if any.

Usage: validate.py FORMAT=FILE ...   FORMAT: json, xml, html, text.
json and xml must be strict UTF-8 and parse; html must be UTF-8 and carry no element or
attribute planted by the corpus (`x-hostile`, `onmouseover`), which would mean a value from a
repository or an audit report reached the page unescaped. Standard library only.
"""

import html.parser
import json
import sys
import xml.etree.ElementTree as ET


class _Planted(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag == "x-hostile":
            self.problems.append("planted <x-hostile> element rendered as markup")
        for name, _ in attrs:
            if name in ("onmouseover", "x-hostile") or name.startswith("onmouse"):
                self.problems.append(f"planted attribute {name!r} on <{tag}>")


def check(fmt, path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return [f"cannot read: {e}"]
    if fmt == "text":
        return []
    if not data:
        return ["empty"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"not valid UTF-8 at byte {e.start}"]
    if fmt == "json":
        try:
            json.loads(text)
        except ValueError as e:
            return [f"invalid JSON: {e}"]
    elif fmt == "xml":
        try:
            ET.fromstring(data)
        except ET.ParseError as e:
            return [f"invalid XML: {e}"]
    elif fmt == "html":
        p = _Planted()
        p.feed(text)
        p.close()
        return p.problems
    return []


def main(argv):
    failed = False
    for arg in argv[1:]:
        fmt, _, path = arg.partition("=")
        for problem in check(fmt, path):
            failed = True
            print(f"{path}: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
