#!/usr/bin/env bash
# Benchmark (not a test): how long a cluster of 1 and of 3 brokers takes from
# `kchaos cluster up` to ready (brokers registered, a test topic with
# leaders), on the local backend, or on compose (from kchaos/kafka:VERSION,
# built when missing). Prints each try and the median. Needs root and a build.
# Usage: scripts/bench-startup.sh [TRIES] [KAFKA_VERSION] [local|compose]
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-3}"
version="${2:-3.9.2}"
backend="${3:-local}"
kchaos=build/harness/kchaos
[ -x "$kchaos" ] || { echo "build first: scripts/setup.sh" >&2; exit 2; }
dir=$(mktemp -d /tmp/kchaos-bench-startup.XXXXXX)
backend_args=()
if [ "$backend" = compose ]; then
  "$kchaos" image build --kafka-version "$version" >/dev/null
  backend_args=(--backend compose --image "kchaos/kafka:$version")
fi
trap '"$kchaos" cluster down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT

for brokers in 1 3; do
  times=()
  for i in $(seq 1 "$tries"); do
    t=$("$kchaos" cluster up --brokers "$brokers" --kafka-version "$version" --dir "$dir" \
        "${backend_args[@]}" |
        sed -n 's/^cluster ready in \([0-9.]*\) s$/\1/p')
    "$kchaos" cluster down --dir "$dir" >/dev/null
    echo "$backend: kafka $version, $brokers broker(s), try $i: ready in $t s"
    times+=("$t")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$backend: kafka $version, $brokers broker(s): median start-up $median s over $tries tries"
done
