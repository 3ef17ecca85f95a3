#!/usr/bin/env bash
# Installs everything kchaos needs on a fresh Debian 12 machine (as root),
# fetches the pinned Kafka broker jars and builds kchaos into build/.
# Usage: scripts/setup.sh   (KCHAOS_KAFKA_VERSIONS="3.9.2 4.1.1", the default, names the versions to fetch)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git ccache
  librdkafka-dev libboost-dev libboost-filesystem-dev nlohmann-json3-dev
  prometheus-cpp-dev libgtest-dev googletest
  openjdk-17-jre-headless maven
  clang-14 libclang-rt-14-dev chromium
  iproute2 iptables procps util-linux curl kcat python3
  fuse3 libfuse3-dev
  docker.io docker-compose debootstrap
  prometheus prometheus-pushgateway
)

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: run as root (it installs Debian packages, and kchaos creates network namespaces)" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian prometheus packages start their services; kchaos's tests start
# their own on loopback ports, so the system ones are not needed.
for svc in prometheus prometheus-pushgateway prometheus-node-exporter; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  fi
done

for v in ${KCHAOS_KAFKA_VERSIONS:-3.9.2 4.1.1}; do
  scripts/fetch-kafka.sh "$v"
done

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j 2
echo "setup: done; kchaos is build/harness/kchaos"
