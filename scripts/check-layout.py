#!/usr/bin/env python3
"""Checks the shape of the code (docs/architecture.md):

- layers: every #include "kchaos/<library>/..." is one the including file's
  library may use (a layer includes only layers below it; reports/ only the
  journal formats), and every other quoted include stays inside its library;
- size: no source file over 350 lines, no function over 80.

Prints each violation with its file and line and exits 1 if there is any.
Usage: scripts/check-layout.py [REPO_ROOT]
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
MAX_FILE_LINES = 350
MAX_FUNCTION_LINES = 80

# Library of a source file, by the folder it lives in (first match wins).
LIBRARIES = [
    ("workloads/common/", "common"),
    ("workloads/journal/", "journal"),
    ("workloads/kafka/", "kafka"),
    ("workloads/protocol/", "protocol"),
    ("workloads/worker/", "worker"),
    ("reports/", "reports"),
    ("pagefs/", "pagefs"),
    ("harness/cluster/", "cluster"),
    ("faults/", "faults"),
    ("harness/scenario/", "scenario"),
    ("harness/metrics/", "metrics"),
    ("harness/html/", "html"),
    ("harness/run/", "run"),
    ("harness/cli/", "cli"),
    ("tests/", "tests"),
    ("bench/", "bench"),
]

# What each library may include, besides itself: the layers below it.
ALLOWED = {
    "common": set(),
    "journal": {"common"},
    "kafka": {"common"},
    "protocol": {"common"},
    "worker": {"common", "journal", "kafka", "protocol"},
    "reports": {"common", "journal"},
    "pagefs": {"common"},
    "cluster": {"common", "kafka"},
    "faults": {"common", "kafka", "cluster"},
    "scenario": {"common", "kafka", "protocol", "reports", "journal", "cluster", "faults"},
    "metrics": {"common", "protocol", "reports", "journal"},
    "html": {"common", "protocol", "reports", "journal"},
    "run": {"common", "journal", "kafka", "protocol", "reports", "cluster", "faults", "scenario",
            "metrics", "html"},
    "cli": {"common", "journal", "kafka", "protocol", "reports", "cluster", "faults", "scenario",
            "metrics", "html", "run"},
}


def library_of(path):
    for prefix, lib in LIBRARIES:
        if path.startswith(prefix):
            return lib
    return None


def sources():
    for top in ("workloads", "reports", "pagefs", "harness", "faults", "tests", "bench"):
        for dirpath, _, names in os.walk(os.path.join(ROOT, top)):
            for name in sorted(names):
                if name.endswith((".h", ".cpp")):
                    yield os.path.relpath(os.path.join(dirpath, name), ROOT)


INCLUDE = re.compile(r'^\s*#include\s+"([^"]+)"')


def check_includes(path, lines, lib, problems):
    for n, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        target = m.group(1)
        if target.startswith("kchaos/"):
            used = target.split("/")[1]
            if used != lib and lib not in ("tests", "bench") and used not in ALLOWED[lib]:
                problems.append(f"{path}:{n}: {lib} includes {target}: a {used} header, not a "
                                f"layer {lib} may use ({', '.join(sorted(ALLOWED[lib])) or 'none'})")
        elif "/" in target:
            problems.append(f"{path}:{n}: include \"{target}\" reaches across folders; include "
                            f"another library's public header as kchaos/<library>/...")


def code_chars(lines):
    """(line number, character) of the code, without comments, literals
    (raw strings included) and preprocessor lines."""
    text = "\n".join(lines) + "\n"
    n, i = 1, 0
    while i < len(text):
        c = text[i]
        if c == "\n":
            yield n, c
            n, i = n + 1, i + 1
            continue
        line_start = text.rfind("\n", 0, i) + 1
        if c == "#" and not text[line_start:i].strip():
            i = text.find("\n", i)
            continue
        if text.startswith("//", i):
            i = text.find("\n", i)
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i) + 2
            n += text.count("\n", i, end)
            i = end
            continue
        if c == '"' and i > 0 and text[i - 1] == "R":
            delim = text[i + 1:text.find("(", i)]
            end = text.find(")" + delim + '"', i) + len(delim) + 2
            n += text.count("\n", i, end)
            yield n, "x"
            i = end
            continue
        if c == "'" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
            yield n, c  # a digit separator: 1'000
            i += 1
            continue
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            yield n, "x"
            i = j + 1
            continue
        yield n, c
        i += 1


def check_functions(path, lines, problems):
    """Every function body (the outermost '{' whose header has a parameter
    list: free and member functions, constructors, TESTs) is at most
    MAX_FUNCTION_LINES long, from its header's first line to its '}'."""
    stack = []  # (kind, first line of its header)
    header, header_line = "", None
    for n, c in code_chars(lines):
        if c == "{":
            text = " ".join(header.split())
            inside_function = any(kind == "function" for kind, _ in stack)
            if re.search(r"\b(namespace|class|struct|enum|union)\b", text.split("(")[0]):
                kind = "scope"
            elif "(" in text and not inside_function and not re.search(r"=\s*$|=\s*\[", text):
                kind = "function"
            else:
                kind = "block"
            stack.append((kind, header_line or n))
            header, header_line = "", None
        elif c == "}":
            if stack:
                kind, start = stack.pop()
                if kind == "function" and n - start + 1 > MAX_FUNCTION_LINES:
                    first = lines[start - 1].strip()
                    problems.append(f"{path}:{start}: function of {n - start + 1} lines (at most "
                                    f"{MAX_FUNCTION_LINES}): {first[:60]}")
            header, header_line = "", None
        elif c == ";":
            header, header_line = "", None
        elif c == "\n":
            header += " "
        else:
            if header_line is None and not c.isspace():
                header_line = n
            header += c


def main():
    problems = []
    for path in sources():
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        lib = library_of(path)
        if lib is None:
            continue
        if len(lines) > MAX_FILE_LINES:
            problems.append(f"{path}: {len(lines)} lines (at most {MAX_FILE_LINES}): split it along "
                            "what it does")
        check_includes(path, lines, lib, problems)
        check_functions(path, lines, problems)
    for p in problems:
        print(p)
    if problems:
        print(f"check-layout: {len(problems)} problem(s)")
        return 1
    print("check-layout: layers, file and function sizes hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
