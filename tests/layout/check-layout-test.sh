#!/usr/bin/env bash
# The layout check must fail where the shape is broken: a fault including
# the run, reports including the cluster layer (quoted or in angle brackets),
# a file too long, a function too long, an include across folders, a
# standard exception thrown, a source in no library's folder, a .cpp no
# target compiles, a layer table in the docs that no longer matches the
# CMake files. Then it must pass on the
# project. The broken tree has the project's CMake files, so its layers are
# the project's.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
check="$root/scripts/check-layout.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && find . -name CMakeLists.txt -not -path './build*' -not -path './.git/*' |
  while read -r f; do mkdir -p "$tmp/$(dirname "$f")"; cp "$f" "$tmp/$f"; done)
mkdir -p "$tmp/faults/src" "$tmp/reports/src" "$tmp/harness/run/src" "$tmp/newlib/src" "$tmp/docs"
echo '#include "kchaos/run/ConfigurationRun.h"' >"$tmp/faults/src/Bad.cpp"
echo '#include "kchaos/cluster/Cluster.h"' >"$tmp/reports/src/Bad.cpp"
echo '#include <kchaos/run/Suite.h>' >"$tmp/reports/src/Angle.h"
echo '#include "harness/run/src/Other.h"' >"$tmp/harness/run/src/Across.cpp"
echo 'int x;' >"$tmp/newlib/src/Stray.cpp"
echo 'void f() { throw std::runtime_error("no"); }' >"$tmp/harness/run/src/Throws.cpp"
{
  echo 'int long_function() {'
  for i in $(seq 1 90); do echo "  int x$i = $i;"; done
  echo '  return 0;'
  echo '}'
  for i in $(seq 1 300); do echo "// line $i"; done
} >"$tmp/harness/run/src/Long.cpp"
sed 's/| common | `workloads\/common\/` | - | - |/| common | `elsewhere\/` | - | - |/' \
  "$root/docs/architecture.md" >"$tmp/docs/architecture.md"
if out=$(python3 "$check" "$tmp"); then
  echo "check-layout passed a broken tree:"; echo "$out"; exit 1
fi
for expected in "faults/src/Bad.cpp:1: faults includes kchaos/run/ConfigurationRun.h" \
                "reports/src/Bad.cpp:1: reports includes kchaos/cluster/Cluster.h" \
                "reports/src/Angle.h:1: reports includes kchaos/run/Suite.h" \
                "harness/run/src/Across.cpp:1: include \"harness/run/src/Other.h\" reaches across folders" \
                "harness/run/src/Long.cpp: 393 lines" \
                "harness/run/src/Long.cpp:1: function of 93 lines" \
                "newlib/src/Stray.cpp: in no library's folder" \
                "faults/src/Bad.cpp: no target of faults/CMakeLists.txt compiles it" \
                "docs/architecture.md: the layer table differs from the CMake files" \
                "harness/run/src/Throws.cpp:1: throws std::runtime_error"; do
  grep -qF "$expected" <<<"$out" || { echo "missing: $expected"; echo "$out"; exit 1; }
done
python3 "$check" "$root"
