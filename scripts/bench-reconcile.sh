#!/usr/bin/env bash
# Builds and runs the reconcile benchmark: synthetic journals for 10 million
# seqs, then the time and peak memory of reconcile() on them. It builds in its
# own directory (build-bench/, or KCHAOS_BENCH_BUILD), never touching build/.
# Usage: scripts/bench-reconcile.sh [--seqs N] [--anomalies]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${KCHAOS_BENCH_BUILD:-build-bench}"
if [ "$(realpath -m "$build")" = "$(realpath -m build)" ]; then
  echo "bench-reconcile: build/ is the test build; choose another KCHAOS_BENCH_BUILD" >&2
  exit 2
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKCHAOS_TESTS=OFF >/dev/null
ninja -C "$build" kchaos_reconcile_bench
exec "$build/bench/kchaos_reconcile_bench" "$@"
