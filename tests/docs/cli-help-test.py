#!/usr/bin/env python3
"""Every command's --help works (exit 0), and every option it lists, and
every option the top-level help lists, is described in docs/cli.md; every
command the top-level help names has a section there.
Usage: cli-help-test.py KCHAOS DOCS_CLI_MD"""
import re
import subprocess
import sys

kchaos, page = sys.argv[1], open(sys.argv[2]).read()
commands = ["run", "validate", "reconcile", "audit", "journal", "faults", "compare", "cluster",
            "image"]
failures = []


def help_of(argv):
    p = subprocess.run([kchaos] + argv, capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        failures.append(f"`kchaos {' '.join(argv)}` exited {p.returncode}: {p.stderr.strip()}")
    return p.stdout


top = help_of(["--help"])
for command in commands:
    if not re.search(rf"^\s+{command}\b", top, re.M):
        failures.append(f"`kchaos --help` does not name the command {command}")
    if f"## kchaos {command}" not in page:
        failures.append(f"docs/cli.md has no section '## kchaos {command}'")
helps = {"(top level)": top}
for command in commands:
    helps[command] = help_of([command, "--help"])
for where, text in helps.items():
    for option in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))):
        if option == "--help":
            continue
        if f"`{option}" not in page:
            failures.append(f"{where}: {option} is not described in docs/cli.md")
        if where != "(top level)" and option not in top:
            failures.append(f"`kchaos {where} --help` lists {option}, `kchaos --help` does not")

for f in failures:
    print(f)
sys.exit(1 if failures else 0)
