#!/usr/bin/env bash
# Makes a class-data-sharing archive for one Kafka version and one JVM, so
# that every broker and storage format kchaos starts maps the classes it
# needs instead of loading and verifying them again. kchaos runs this itself
# the first time it starts a local cluster of a Kafka version.
#
# It formats and starts one KRaft node in a network namespace of its own
# (loopback only: no port of the machine is used, none can clash), waits
# until the node has started, stops it cleanly, and the JVM writes the
# classes it loaded to ARCHIVE (through a temporary file, so that a
# concurrent or interrupted run never leaves half an archive).
# Usage: scripts/class-archive.sh JAVA LIBS_DIR ARCHIVE   (as root)
# KCHAOS_ALONE_ON_NETWORK=1 runs the node where it is, for a caller that is
# alone on its network already (kchaos image build runs it in a container
# with no network, where no namespace can be made).
set -euo pipefail
java=$1 libs=$2 archive=$3
work=$(mktemp -d /tmp/kchaos-class-archive.XXXXXX)
trap 'rm -rf "$work"' EXIT

cat >"$work/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
controller.listener.names=CONTROLLER
log.dirs=$work/data
offsets.topic.replication.factor=1
EOF
# Both log4j generations (Kafka 3 reads the first, Kafka 4 the second), to
# the console, where "started" is looked for.
printf '%s\n' 'log4j.rootLogger=INFO, out' 'log4j.appender.out=org.apache.log4j.ConsoleAppender' \
  'log4j.appender.out.layout=org.apache.log4j.PatternLayout' \
  'log4j.appender.out.layout.ConversionPattern=%m (%c)%n' >"$work/log4j.properties"
printf '%s\n' 'appender.out.type=Console' 'appender.out.name=out' \
  'appender.out.layout.type=PatternLayout' 'appender.out.layout.pattern=%m (%c)%n' \
  'rootLogger.level=INFO' 'rootLogger.appenderRef.out.ref=out' >"$work/log4j2.properties"

"$java" -Xmx256m -cp "$libs/*" kafka.tools.StorageTool format -t kchaosClassArchive0 \
  -c "$work/server.properties" >"$work/format.log" 2>&1 || { cat "$work/format.log"; exit 1; }

# The JVM writes the archive when it exits normally, here after SIGTERM and
# Kafka's shutdown; `timeout` bounds the whole run. Run in the background, the
# function's exec makes its pid timeout's, which passes SIGTERM on.
isolated() {
  if [ "${KCHAOS_ALONE_ON_NETWORK:-}" = 1 ]; then
    exec timeout -s KILL 120 "$@"
  else
    exec unshare --net bash -c 'ip link set lo up; exec timeout -s KILL 120 "$@"' _ "$@"
  fi
}
isolated "$java" -XX:ArchiveClassesAtExit="$work/classes.jsa" \
  -Xms512m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
  -Dlog4j.configuration="file:$work/log4j.properties" \
  -Dlog4j2.configurationFile="$work/log4j2.properties" \
  -cp "$libs/*" kafka.Kafka "$work/server.properties" >"$work/broker.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "Kafka Server started\|KafkaRaftServer.*started" "$work/broker.log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "Kafka Server started\|KafkaRaftServer.*started" "$work/broker.log"; then
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  tail -20 "$work/broker.log"
  echo "class-archive: the node did not start within 60 s" >&2
  exit 1
fi
kill -TERM "$pid"  # timeout passes it on to the JVM
wait "$pid" || true
if [ ! -s "$work/classes.jsa" ]; then
  tail -20 "$work/broker.log"
  echo "class-archive: the JVM wrote no archive" >&2
  exit 1
fi
mv "$work/classes.jsa" "$archive.tmp.$$"
mv "$archive.tmp.$$" "$archive"
