#!/usr/bin/env bash
# The default scenario and claims 1 and 4 on the compose backend, from the
# image kchaos builds (built when missing). Passes when every configuration
# holds its expectations; when a local run of the claims suite is given
# (--local DIR, as ctest's claims test writes it), each of these
# configurations must also have the same verdict as it had on the local
# backend: its expectations held or not, and each anomaly the scenario
# limits (all but those it allows "any" of) counted or not.
# Usage: scripts/compose-scenarios.sh --out DIR [--local CLAIMS_RUN_DIR] [--seed N]
set -euo pipefail
cd "$(dirname "$0")/.."
kchaos="${KCHAOS:-build/harness/kchaos}"
version=3.9.2
out="" local_run="" seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --local) local_run="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "compose-scenarios: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "compose-scenarios: --out DIR is required" >&2; exit 2; }
rm -rf "$out"
scenarios=$(mktemp -d)
trap 'rm -rf "$scenarios"' EXIT
for f in scenarios/default.json scenarios/claims/01-*.json scenarios/claims/04-*.json; do
  ln -s "$PWD/$f" "$scenarios/"
done
"$kchaos" image build --kafka-version "$version"
status=0
"$kchaos" run "$scenarios" --backend compose --image "kchaos/kafka:$version" --out "$out" \
  --seed "$seed" || status=$?
[ -z "$local_run" ] && exit "$status"
if [ ! -d "$local_run" ]; then
  echo "compose-scenarios: no local run in $local_run to compare with (run the claims first)"
  exit "$status"
fi
python3 - "$out" "$local_run" <<'PY' || status=1
import json, pathlib, sys
compose, local = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
def verdicts(report):
    out = {}
    for c in json.loads(report.read_text())["configurations"]:
        counts = (c.get("verdict") or {}).get("counts", {})
        limited = [k for k, v in c.get("expect", {}).items() if v != "any"]
        out[c["name"]] = (c["passed"], sorted(k for k in limited if counts.get(k)))
    return out
same = True
for report in sorted(compose.glob("*/report.json")):
    there = local / report.parent.name / "report.json"
    if not there.exists():
        print(f"{report.parent.name}: no local run to compare with")
        continue
    mine, theirs = verdicts(report), verdicts(there)
    for name, v in mine.items():
        w = theirs.get(name)
        ok = v == w
        same = same and ok
        print(f"{report.parent.name} {name}: compose {'held' if v[0] else 'FAILED'} "
              f"{','.join(v[1]) or '-'} | local {'held' if w and w[0] else 'FAILED'} "
              f"{(','.join(w[1]) or '-') if w else '?'} {'same' if ok else 'DIFFERENT'}")
sys.exit(0 if same else 1)
PY
exit "$status"
