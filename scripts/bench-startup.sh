#!/usr/bin/env bash
# Benchmark (not a test): how long a local cluster of 1 and of 3 brokers
# takes from `kchaos cluster up` to ready (brokers registered, a test topic
# with leaders). Prints each try and the median. Needs root and a build.
# Usage: scripts/bench-startup.sh [TRIES] [KAFKA_VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-3}"
version="${2:-3.9.2}"
kchaos=build/harness/kchaos
[ -x "$kchaos" ] || { echo "build first: scripts/setup.sh" >&2; exit 2; }
dir=$(mktemp -d /tmp/kchaos-bench-startup.XXXXXX)
trap '"$kchaos" cluster down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT

for brokers in 1 3; do
  times=()
  for i in $(seq 1 "$tries"); do
    t=$("$kchaos" cluster up --brokers "$brokers" --kafka-version "$version" --dir "$dir" |
        sed -n 's/^cluster ready in \([0-9.]*\) s$/\1/p')
    "$kchaos" cluster down --dir "$dir" >/dev/null
    echo "kafka $version, $brokers broker(s), try $i: ready in $t s"
    times+=("$t")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "kafka $version, $brokers broker(s): median start-up $median s over $tries tries"
done
