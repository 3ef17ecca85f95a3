#!/usr/bin/env bash
# Builds and runs the reconcile benchmark: synthetic journals for 10 million
# seqs, then the time and peak memory of reconcile() on them.
# Usage: scripts/bench-reconcile.sh [--seqs N] [--anomalies]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${KCHAOS_BENCH_BUILD:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKCHAOS_TESTS=OFF >/dev/null
ninja -C "$build" kchaos_reconcile_bench
exec "$build/bench/kchaos_reconcile_bench" "$@"
