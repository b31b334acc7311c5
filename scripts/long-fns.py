#!/usr/bin/env python3
"""List the long functions and the long files in crates/**/*.rs.

A function runs from a line whose code starts with `fn`, `pub fn`,
`async fn` (and the like) to the line whose closing brace brings the
brace depth back to where it started. Code under `#[cfg(test)] mod` and
files under `tests/` are left out of the function list: the standard is
for the code that runs. Strings and comments are stripped roughly
(enough for this code base), so a `{` in a string does not count.

    scripts/long-fns.py [--fn-lines 80] [--file-lines 600] [ROOT]
"""
import argparse
import pathlib
import re

FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")
TEST_MOD = re.compile(r"^\s*#\[cfg\(test\)\]")


def code_of(line):
    """The line without its // comment and the insides of its strings."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split("//", 1)[0]


def functions(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    depth, open_fns, in_test_from = 0, [], None
    for number, raw in enumerate(lines, 1):
        code = code_of(raw)
        if in_test_from is None and TEST_MOD.match(code):
            in_test_from = depth
        match = FN.match(code)
        if match and in_test_from is None:
            open_fns.append((match.group(6), number, depth))
        depth += code.count("{") - code.count("}")
        while open_fns and depth <= open_fns[-1][2] and "}" in code:
            name, start, _ = open_fns.pop()
            yield name, start, number - start + 1
        if match and ";" in code and "{" not in code and open_fns and open_fns[-1][1] == number:
            open_fns.pop()  # a declaration in a trait: no body
    return


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fn-lines", type=int, default=80)
    parser.add_argument("--file-lines", type=int, default=600)
    parser.add_argument("root", nargs="?", default="crates")
    args = parser.parse_args()
    long_fns, long_files, counts = [], [], []
    for path in sorted(pathlib.Path(args.root).rglob("*.rs")):
        if "target" in path.parts:
            continue
        total = len(path.read_text(encoding="utf-8").splitlines())
        if total > args.file_lines:
            long_files.append((total, path))
        if "tests" in path.parts:
            continue
        for name, start, length in functions(path):
            counts.append(length)
            if length > args.fn_lines:
                long_fns.append((length, f"{path}:{start}", name))
    for length, place, name in sorted(long_fns, reverse=True):
        print(f"fn   {length:5} {place} {name}")
    for total, path in sorted(long_files, reverse=True):
        print(f"file {total:5} {path}")
    if counts:
        print(f"{len(counts)} functions, {sum(counts) / len(counts):.1f} lines on average")


if __name__ == "__main__":
    main()
