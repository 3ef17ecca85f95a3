#!/usr/bin/env bash
# Sets up a fresh machine (scripts/setup.sh) and runs every test: unit tests,
# the unit tests again under ASan and UBSan with each fuzz target for a
# bounded time (scripts/fuzz.sh), then the integration and claims tests
# against real local Kafka clusters, one at a time (they share the network
# namespaces). It starts the Docker daemon when none answers and leaves it
# running: the Kafka image is built and tested, the compose backend's tests
# and scenarios run (label compose), and the local backend's tests run beside
# Docker's firewall rules.
# Usage: scripts/test.sh [ctest arguments, e.g. -L unit]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/start-docker.sh
cd build
if [ $# -gt 0 ]; then
  exec ctest --output-on-failure "$@"
fi
ctest --output-on-failure -L unit
(cd .. && scripts/fuzz.sh "${KCHAOS_FUZZ_SECONDS:-45}")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ctest --output-on-failure -L 'integration|claims' --timeout 1800 | tee "$log"
# This machine has everything the integration and claims tests need: a test
# that skipped itself did not test anything.
if grep -q '(Skipped)' "$log"; then
  echo "test: integration or claims tests skipped themselves (see above); they must run here" >&2
  exit 1
fi
