#!/usr/bin/env bash
# Runs the claims suite (scenarios/claims/) and prints the combined table.
#   scripts/claims.sh                 quick form: every claim once
#   scripts/claims.sh --repeat 5      full form: five times, with hit rates
# Other options go to `kchaos run` (--out DIR, --seed N). Needs root and a build.
set -euo pipefail
cd "$(dirname "$0")/.."
kchaos="${KCHAOS:-build/harness/kchaos}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  # A fresh output directory each time.
  if [ "${args[$i]}" = "--out" ] && [ $((i + 1)) -lt ${#args[@]} ]; then rm -rf "${args[$((i + 1))]}"; fi
done
exec "$kchaos" run scenarios/claims/ "$@"
