#!/usr/bin/env bash
# Benchmark (not a test): what kchaos-pagefs costs. Runs the default scenario
# with an unbounded producer (MESSAGES messages) twice in one run, the brokers'
# data on the machine's disk and then on kchaos-pagefs (a matrix on
# cluster.pagefs), and prints each configuration's producer and consumer rate
# and the ratio. Needs root, /dev/fuse and a build.
# Usage: scripts/bench-pagefs.sh [MESSAGES]   (default 400000)
set -euo pipefail
cd "$(dirname "$0")/.."
messages="${1:-400000}"
kchaos=build/harness/kchaos
[ -x "$kchaos" ] || { echo "build first: scripts/setup.sh" >&2; exit 2; }
dir=$(mktemp -d /tmp/kchaos-bench-pagefs.XXXXXX)
trap 'rm -rf "$dir"' EXIT

python3 - "$messages" "$dir/bench-pagefs.json" <<'PY'
import json, sys
s = json.load(open("scenarios/default.json"))
s["name"] = "bench-pagefs"
s["description"] = "The default scenario with an unbounded producer, on disk and on kchaos-pagefs."
s["producer"]["rate"] = "unbounded"
s["producer"]["messages"] = int(sys.argv[1])
s["matrix"] = {"cluster.pagefs": [False, True]}
json.dump(s, open(sys.argv[2], "w"), indent=2)
PY

"$kchaos" run "$dir/bench-pagefs.json" --out "$dir/run" >"$dir/run.log" 2>&1 || {
  cat "$dir/run.log" >&2
  echo "bench-pagefs: the run failed (above)" >&2
  exit 1
}

python3 - "$dir/run" <<'PY'
import glob, json, sys

def events(path):
    return [json.loads(line) for line in open(path) if line.startswith("{")]

def producer_rate(path):
    ev = events(path)
    start = next(e["time"] for e in ev if e["name"] == "started")
    done = next(e for e in ev if e["name"] == "done")
    return done["acked"] / (done["time"] - start)

def consumer_rate(path):
    # From the first message processed to the last.
    progress = [e for e in events(path) if e["name"] in ("progress", "done")]
    first = next(e for e in progress if e["consumed"] > 0)
    total = max(e["consumed"] for e in progress)
    last = next(e for e in progress if e["consumed"] == total)
    span = last["time"] - first["time"]
    return (total - first["consumed"]) / span if span > 0 else float("nan")

rates = {}
for conf in sorted(glob.glob(sys.argv[1] + "/[0-9]-*")):
    name = conf.split("/")[-1].split("-", 1)[1]
    rates[name] = (producer_rate(conf + "/producer-1.log"), consumer_rate(conf + "/consumer-1.log"))
    print(f"{name:<14} producer {rates[name][0]:>9.0f} msg/s acknowledged   "
          f"consumer {rates[name][1]:>9.0f} msg/s processed")
disk, fs = rates["pagefs_false"], rates["pagefs_true"]
print(f"pagefs / disk: producer {fs[0] / disk[0]:.2f}, consumer {fs[1] / disk[1]:.2f}")
PY
