#!/usr/bin/env bash
# Benchmark (not a test): our journaling producer against Kafka's own
# kafka-producer-perf-test (org.apache.kafka.tools.ProducerPerformance from the
# kafka-tools jar) on the same 3-broker local cluster, same acks, message size
# and partitions. Prints both rates and the ratio. Needs root and a build.
# Usage: scripts/bench-producer.sh [MESSAGES] [ACKS]
set -euo pipefail
cd "$(dirname "$0")/.."
messages="${1:-1000000}"
acks="${2:-all}"
size=100
partitions=6
version=3.9.2
kchaos=$PWD/build/harness/kchaos
worker=$PWD/build/workloads/kchaos-worker
libs="${KCHAOS_CACHE:-/var/cache/kchaos}/kafka-$version/libs"
[ -x "$kchaos" ] && [ -x "$worker" ] || { echo "build first: scripts/setup.sh" >&2; exit 2; }
dir=$(mktemp -d /tmp/kchaos-bench-producer.XXXXXX)
trap '"$kchaos" cluster down --dir "$dir/cluster" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT

"$kchaos" cluster up --dir "$dir/cluster" --kafka-version "$version" | grep ready
bootstrap=10.77.0.11:9092,10.77.0.12:9092,10.77.0.13:9092
in_client() { ip netns exec kc-client "$@"; }
for t in perf-kafka perf-kchaos; do
  in_client java -cp "$libs/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
    --create --topic "$t" --partitions "$partitions" --replication-factor 3 >/dev/null
done

echo "kafka-producer-perf-test: $messages x $size B, acks=$acks, $partitions partitions"
in_client java -Xmx512m -cp "$libs/*" org.apache.kafka.tools.ProducerPerformance \
  --topic perf-kafka --num-records "$messages" --record-size "$size" --throughput -1 \
  --producer-props bootstrap.servers="$bootstrap" acks="$acks" linger.ms=5 >"$dir/perf.out" 2>&1
tail -1 "$dir/perf.out"
kafka_rate=$(tail -1 "$dir/perf.out" | sed -n 's/.* records sent, \([0-9.]*\) records\/sec.*/\1/p')

idem=false; [ "$acks" = all ] && idem=true
cat >"$dir/spec.json" <<JSON
{"bootstrap":"$bootstrap","topic":"perf-kchaos","run_id":1,"producer_id":1,
 "journal":"$dir/producer-1.journal","config":{"acks":"$acks","linger.ms":"5","enable.idempotence":"$idem"},
 "message_bytes":$size,"keys":1000000,"rate":0,"messages":$messages,"duration_s":600}
JSON
echo "kchaos-worker producer: $messages x $size B, acks=$acks (idempotence $idem), journaling every outcome"
in_client "$worker" producer "$dir/spec.json" >"$dir/ours.out"
ours_rate=$(python3 - "$dir/ours.out" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
start = next(e["time"] for e in ev if e["name"] == "started")
done = next(e for e in ev if e["name"] == "done")
print(f'{done["acked"] / (done["time"] - start):.1f}')
PY
)
echo "kchaos producer: $ours_rate records/sec acknowledged"
python3 -c "print(f'ratio kchaos / kafka-producer-perf-test: {float($ours_rate) / float($kafka_rate):.2f}')"
