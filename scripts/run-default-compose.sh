#!/usr/bin/env bash
# Sets up a fresh machine (scripts/setup.sh), starts the Docker daemon when
# none answers, builds the Kafka image when missing (no registry needed), and
# runs the default scenario on a 3-broker compose cluster.
# Usage: scripts/run-default-compose.sh [kchaos run options, e.g. --out DIR --seed N]
set -euo pipefail
cd "$(dirname "$0")/.."
version=3.9.2
scripts/setup.sh
scripts/start-docker.sh
build/harness/kchaos image build --kafka-version "$version"
exec build/harness/kchaos run scenarios/default.json --backend compose \
  --image "kchaos/kafka:$version" "$@"
