#!/usr/bin/env bash
# Fetches the Apache Kafka broker jars of one version from Maven Central into
# a cache outside the repository: $KCHAOS_CACHE/kafka-<version>/libs.
# Usage: scripts/fetch-kafka.sh [VERSION]   (default: the pinned 3.9.x)
set -euo pipefail

version="${1:-${KCHAOS_KAFKA_VERSION:-3.9.2}}"
cache="${KCHAOS_CACHE:-/var/cache/kchaos}"
dest="$cache/kafka-$version"

if [ -f "$dest/.complete" ]; then
  echo "kafka $version: already in $dest"
  exit 0
fi

case "$version" in
  3.*) logging='
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
    <dependency><groupId>ch.qos.reload4j</groupId><artifactId>reload4j</artifactId><version>1.2.25</version></dependency>' ;;
  4.*) logging='
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>' ;;
  *) echo "fetch-kafka: unsupported Kafka version '$version' (use 3.x or 4.x, e.g. 3.9.2 or 4.1.1)" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kchaos</groupId><artifactId>kafka-jars</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$version</version></dependency>$logging
  </dependencies>
</project>
POM

echo "kafka $version: fetching broker jars from Maven Central into $dest"
mkdir -p "$dest.tmp/libs"
mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$dest.tmp/libs"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "$version" >"$dest/.complete"
echo "kafka $version: $(ls "$dest/libs" | wc -l) jars in $dest/libs"
