#!/usr/bin/env bash
# The locally built Kafka image: `kchaos image build` makes kchaos/kafka:V
# (or keeps it), a container of it runs kafka.Kafka of exactly that version
# with nothing but Java on the PATH, its /opt/kafka/libs holds the same jars
# as the cache, its JVM maps the class-data archive the image names, and no
# build container is left behind.
set -euo pipefail
kchaos="$1"
version="${2:-3.9.2}"
docker=/usr/bin/docker
[ -x "$docker" ] || docker=docker
"$docker" info >/dev/null 2>&1 || { echo "SKIPPED: no Docker daemon answers (scripts/start-docker.sh starts one)"; exit 0; }
"$kchaos" image build --kafka-version "$version"
image="kchaos/kafka:$version"
got=$("$docker" run --rm --network none "$image" java -cp '/opt/kafka/libs/*' kafka.Kafka --version 2>/dev/null | tail -1)
[ "$got" = "$version" ] || { echo "kafka.Kafka --version in $image printed '$got', expected '$version'"; exit 1; }
cache="${KCHAOS_CACHE:-/var/cache/kchaos}/kafka-$version/libs"
diff <(ls "$cache" | sort) <("$docker" run --rm --network none "$image" ls /opt/kafka/libs | sort) >/dev/null || {
  echo "$image's /opt/kafka/libs differs from $cache"; exit 1; }
label=$("$docker" image inspect -f '{{index .Config.Labels "org.kchaos.kafka-version"}}' "$image")
[ "$label" = "$version" ] || { echo "$image carries label '$label', expected '$version'"; exit 1; }
# Its class-data archive is the image JVM's own: with -Xshare:on a JVM that
# cannot map it refuses to start.
archive=$("$docker" image inspect -f '{{index .Config.Labels "org.kchaos.class-archive"}}' "$image")
[ -n "$archive" ] && [ "$archive" != "<no value>" ] || { echo "$image names no class-data archive"; exit 1; }
mapped=$("$docker" run --rm --network none "$image" java -XX:SharedArchiveFile="$archive" -Xshare:on \
  -cp '/opt/kafka/libs/*' kafka.Kafka --version 2>&1 | tail -1)
[ "$mapped" = "$version" ] || { echo "the JVM of $image cannot map $archive: $mapped"; exit 1; }
left=$("$docker" ps -a --filter name=kchaos-image-build --format '{{.Names}}')
[ -z "$left" ] || { echo "build containers left behind: $left"; exit 1; }
echo "image: $image runs Kafka $version; its jars match the cache; its JVM maps $archive"
