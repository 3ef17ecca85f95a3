#!/usr/bin/env bash
# Sets up a fresh machine (scripts/setup.sh) and runs the default scenario on
# a local 3-broker cluster: the recommended safe configuration for 60 s.
# Usage: scripts/run-default.sh [kchaos run options, e.g. --out DIR --seed N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/harness/kchaos run scenarios/default.json "$@"
