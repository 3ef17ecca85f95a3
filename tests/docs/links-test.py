#!/usr/bin/env python3
"""Every relative link of the README and of docs/*.md leads somewhere: the
file exists, and an #anchor names a heading of that file (as GitHub makes
anchors: lower case, punctuation dropped, spaces as hyphens). Every page of
docs/ is reachable from the README.
Usage: links-test.py SOURCE_DIR"""
import os
import re
import sys

root = sys.argv[1]
pages = [os.path.normpath(p) for p in [os.path.join(root, "README.md")] + sorted(
    os.path.join(root, "docs", f) for f in os.listdir(os.path.join(root, "docs")) if f.endswith(".md"))]
failures = []


def anchors(path):
    text = open(path).read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # no headings in code blocks
    out = set()
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


linked = set()
for page in pages:
    text = re.sub(r"```.*?```", "", open(page).read(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto: not checked here
        path, _, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        where = os.path.relpath(page, root)
        if not os.path.exists(dest):
            failures.append(f"{where}: link to {target}: no such file")
            continue
        linked.add(dest)
        if anchor and dest.endswith(".md") and anchor not in anchors(dest):
            failures.append(f"{where}: link to {target}: no heading makes #{anchor}")

readme_links = set()
for target in re.findall(r"\]\((docs/[^)#\s]+)", open(pages[0]).read()):
    readme_links.add(os.path.normpath(os.path.join(root, target)))
for page in pages[1:]:
    if page not in readme_links:
        failures.append(f"README.md does not link docs/{os.path.basename(page)}")

for f in failures:
    print(f)
print(f"links: {len(pages)} pages checked, {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
