#!/usr/bin/env python3
"""Checks the shape of the code (docs/architecture.md):

- layers: the libraries, their folders and what each may use come from the
  CMake files alone (add_library / add_executable and target_link_libraries,
  followed transitively): every #include "kchaos/<library>/..." or
  <kchaos/<library>/...> is the file's own library or one it links; every
  other quoted include stays inside its folder; a source file outside every
  library's folder, or a .cpp no target of its folder compiles, is an error;
  docs/architecture.md names every library; project code throws only the
  project's errors;
- size: no source file over 350 lines, no function over 80.

Prints each violation with its file and line and exits 1 if there is any.
Usage: scripts/check-layout.py [REPO_ROOT] [--table]   (--table: print the layer
table of docs/architecture.md instead)
"""
import os
import re
import sys

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
ROOT = os.path.abspath(ARGS[0] if ARGS else os.path.join(os.path.dirname(__file__), ".."))
MAX_FILE_LINES = 350
MAX_FUNCTION_LINES = 80
# Folders of test and benchmark code: they may use any layer.
FREE = ("tests/", "bench/")
SKIP_DIRS = {".git", "build", "build-fuzz", "build-bench", "node_modules"}

COMMAND = re.compile(r"\b(add_library|add_executable|target_link_libraries)\s*\(([^)]*)\)", re.S)
LINKED = re.compile(r"\bkchaos(?:::|_)(\w+)")


def walk(top):
    for dirpath, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("build"))
        yield dirpath, names


def cmake_libraries(root):
    """{library: {"dir": folder, "links": set, "compiles": set of .cpp}} from
    every CMakeLists.txt outside the free folders."""
    libs, owner = {}, {}
    for dirpath, names in walk(root):
        rel = os.path.relpath(dirpath, root).replace(os.sep, "/") + "/"
        if "CMakeLists.txt" not in names or rel == "./" or rel.startswith(FREE):
            continue
        with open(os.path.join(dirpath, "CMakeLists.txt"), encoding="utf-8") as f:
            text = re.sub(r"#[^\n]*", "", f.read())
        for kind, args in COMMAND.findall(text):
            words = args.split()
            if not words or "::" in words[0] or "ALIAS" in words:
                continue
            target = words[0]
            if kind == "target_link_libraries":
                name = owner.get(target)
                if name:
                    libs[name]["links"] |= {w for w in LINKED.findall(" ".join(words[1:]))
                                            if w not in ("warnings", name)}
                continue
            # An executable beside a library (kchaos-pagefs, kchaos) is part
            # of the folder's library; one alone (kchaos-worker) is its own.
            name = next((n for n, l in libs.items() if l["dir"] == rel),
                        re.sub(r"^kchaos[-_]", "", target))
            lib = libs.setdefault(name, {"dir": rel, "links": set(), "compiles": set()})
            lib["compiles"] |= {rel + w for w in words[1:] if w.endswith(".cpp")}
            owner[target] = name
    return libs


def allowed_closure(libs):
    allowed = {}
    for name in libs:
        seen, todo = set(), list(libs[name]["links"])
        while todo:
            dep = todo.pop()
            if dep in seen or dep not in libs:
                continue
            seen.add(dep)
            todo.extend(libs[dep]["links"])
        allowed[name] = seen
    return allowed


def library_of(path, libs):
    """The library whose folder holds path (the deepest such folder)."""
    best = None
    for name, lib in libs.items():
        if path.startswith(lib["dir"]) and (best is None or len(lib["dir"]) > len(libs[best]["dir"])):
            best = name
    return best


def sources():
    for dirpath, names in walk(ROOT):
        for name in sorted(names):
            if name.endswith((".h", ".cpp")):
                yield os.path.relpath(os.path.join(dirpath, name), ROOT).replace(os.sep, "/")


INCLUDE = re.compile(r'^\s*#include\s+(?:"([^"]+)"|<(kchaos/[^>]+)>)')


def check_includes(path, lines, lib, allowed, problems):
    for n, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        target = m.group(1) or m.group(2)
        if target.startswith("kchaos/"):
            used = target.split("/")[1]
            if used != lib and lib is not None and used not in allowed[lib]:
                problems.append(f"{path}:{n}: {lib} includes {target}: a {used} header, not a "
                                f"layer {lib} may use ({', '.join(sorted(allowed[lib])) or 'none'})")
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


def bottom_up(libs, allowed):
    """Library names, each after everything it may use."""
    return sorted(libs, key=lambda n: (len(allowed[n]), libs[n]["dir"], n))


def layer_table(libs, allowed):
    rows = ["| library | folder | links | may include |", "|---|---|---|---|"]
    for name in bottom_up(libs, allowed):
        links = ", ".join(sorted(l for l in libs[name]["links"] if l in libs)) or "-"
        uses = ", ".join(bottom_up({n: libs[n] for n in allowed[name]}, allowed)) or "-"
        rows.append(f"| {name} | `{libs[name]['dir']}` | {links} | {uses} |")
    return "\n".join(rows) + "\n"


STD_THROW = re.compile(r"\bthrow\s+std::(runtime_error|logic_error|invalid_argument|out_of_range|"
                       r"domain_error|length_error|range_error|overflow_error|exception)\b")


def check_throws(path, lines, problems):
    """Project code throws the project's errors (kchaos/common/Error.h)."""
    for n, line in enumerate(lines, 1):
        m = STD_THROW.search(line)
        if m and not line.lstrip().startswith("//"):
            problems.append(f"{path}:{n}: throws std::{m.group(1)}; throw UserError, TransientError "
                            "or HarnessError (kchaos/common/Error.h)")


def check_docs(libs, allowed, problems):
    """docs/architecture.md holds the table this script derives."""
    path = os.path.join(ROOT, "docs", "architecture.md")
    if not os.path.exists(path):
        return
    text = open(path, encoding="utf-8").read()
    begin, end = text.find("<!-- layers:begin"), text.find("<!-- layers:end -->")
    if begin < 0 or end < 0:
        problems.append("docs/architecture.md: no <!-- layers:begin --> ... <!-- layers:end --> table")
        return
    if text[text.find("\n", begin) + 1:end] != layer_table(libs, allowed):
        problems.append("docs/architecture.md: the layer table differs from the CMake files; "
                        "regenerate it with scripts/check-layout.py --table")
    for name, lib in sorted(libs.items()):
        if f"{name} ({lib['dir'].rstrip('/')})" not in text[:begin]:
            problems.append(f"docs/architecture.md: the picture does not draw library {name} as "
                            f"\"{name} ({lib['dir'].rstrip('/')})\"")


def main():
    problems = []
    libs = cmake_libraries(ROOT)
    allowed = allowed_closure(libs)
    if "--table" in sys.argv:
        print(layer_table(libs, allowed), end="")
        return 0
    for path in sources():
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        free = path.startswith(FREE)
        lib = None if free else library_of(path, libs)
        if not free and lib is None:
            problems.append(f"{path}: in no library's folder (a folder whose CMakeLists.txt "
                            "defines a kchaos library): move it into one, or give its folder one")
            continue
        if path.endswith(".cpp") and lib is not None and path not in libs[lib]["compiles"]:
            problems.append(f"{path}: no target of {libs[lib]['dir']}CMakeLists.txt compiles it")
        if len(lines) > MAX_FILE_LINES:
            problems.append(f"{path}: {len(lines)} lines (at most {MAX_FILE_LINES}): split it along "
                            "what it does")
        check_includes(path, lines, lib, allowed, problems)
        if not free:
            check_throws(path, lines, problems)
        check_functions(path, lines, problems)
    check_docs(libs, allowed, problems)
    for p in problems:
        print(p)
    if problems:
        print(f"check-layout: {len(problems)} problem(s)")
        return 1
    print(f"check-layout: {len(libs)} libraries from the CMake files; layers, file and function "
          "sizes hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
