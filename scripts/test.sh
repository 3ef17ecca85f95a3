#!/usr/bin/env bash
# Sets up a fresh machine (scripts/setup.sh) and runs every test: unit tests,
# the unit tests again under ASan and UBSan with each fuzz target for a
# bounded time (scripts/fuzz.sh), then the integration and claims tests
# against real Kafka clusters. Those run in lanes (each its own names,
# subnet and leftovers): the claims suite two configurations at a time in
# lanes 1 and 2, beside the local integration tests (lane 0, one after
# another) and the Docker ones (lane 3). It starts the Docker daemon when
# none answers and leaves it running: the Kafka image is built and tested,
# the compose backend's tests and scenarios run (label compose), and the
# local backend's tests run beside Docker's firewall rules.
# Every stage must run tests (a label that matches none fails), and a test
# that skipped itself fails its stage: this machine has what they all need.
# Usage: scripts/test.sh [ctest arguments, e.g. -L unit]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/start-docker.sh
cd build
if [ $# -gt 0 ]; then
  exec ctest --output-on-failure --no-tests=error "$@"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# stage NAME CTEST_ARGS...: one ctest run, failed by a failure or a skip.
stage() {
  local name=$1
  shift
  local started=$SECONDS status=0
  ctest --output-on-failure --no-tests=error "$@" | tee "$log" || status=$?
  echo "test: stage $name took $((SECONDS - started)) s"
  if grep -q '(Skipped)\|\*\*\*Skipped' "$log"; then
    echo "test: tests of stage $name skipped themselves (see above); they must run here" >&2
    exit 1
  fi
  [ "$status" -eq 0 ] || exit "$status"
}
stage unit -L unit -j 2
(cd .. && scripts/fuzz.sh "${KCHAOS_FUZZ_SECONDS:-45}")
stage 'integration and claims' -L 'integration|claims' -j "${KCHAOS_TEST_JOBS:-4}" --timeout 2700
