#!/usr/bin/env bash
# The layout check must fail where the shape is broken: a fault including
# the run, reports including the cluster layer, a file too long, a function
# too long, an include across folders. Then it must pass on the project.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
check="$root/scripts/check-layout.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/faults/src" "$tmp/reports/src" "$tmp/harness/run/src"
echo '#include "kchaos/run/ConfigurationRun.h"' >"$tmp/faults/src/Bad.cpp"
echo '#include "kchaos/cluster/Cluster.h"' >"$tmp/reports/src/Bad.cpp"
echo '#include "harness/run/src/Other.h"' >"$tmp/harness/run/src/Across.cpp"
{
  echo 'int long_function() {'
  for i in $(seq 1 90); do echo "  int x$i = $i;"; done
  echo '  return 0;'
  echo '}'
  for i in $(seq 1 300); do echo "// line $i"; done
} >"$tmp/harness/run/src/Long.cpp"
if out=$(python3 "$check" "$tmp"); then
  echo "check-layout passed a broken tree:"; echo "$out"; exit 1
fi
for expected in "faults/src/Bad.cpp:1: faults includes kchaos/run/ConfigurationRun.h" \
                "reports/src/Bad.cpp:1: reports includes kchaos/cluster/Cluster.h" \
                "harness/run/src/Across.cpp:1: include \"harness/run/src/Other.h\" reaches across folders" \
                "harness/run/src/Long.cpp: 393 lines" \
                "harness/run/src/Long.cpp:1: function of 93 lines"; do
  grep -qF "$expected" <<<"$out" || { echo "missing: $expected"; echo "$out"; exit 1; }
done
python3 "$check" "$root"
