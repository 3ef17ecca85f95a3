#!/usr/bin/env bash
# The default scenario and claims 1 and 4 on the compose backend, from the
# image kchaos builds (built when missing). Passes when every configuration
# holds its expectations; when local runs are given (--local DIR, once or
# more: ctest passes its claims suite run and its run of the default
# scenario), each of these configurations must also have the same verdict as
# it had on the local backend: its expectations held or not, and each anomaly
# the scenario limits (all but those it allows "any" of) counted or not. A
# configuration with no local verdict to compare with fails.
# Other options go to kchaos run (e.g. --lane K, --parallel N).
# Usage: scripts/compose-scenarios.sh --out DIR [--local RUN_DIR]... [--seed N]
set -euo pipefail
cd "$(dirname "$0")/.."
kchaos="${KCHAOS:-build/harness/kchaos}"
version=3.9.2
out="" seed=1
local_runs=() more=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --local) local_runs+=("$2"); shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) more+=("$1"); shift ;;
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
  --seed "$seed" "${more[@]}" || status=$?
[ ${#local_runs[@]} -eq 0 ] && exit "$status"
python3 - "$out" "${local_runs[@]}" <<'PY' || status=1
import json, pathlib, sys
compose, locals_ = pathlib.Path(sys.argv[1]), [pathlib.Path(p) for p in sys.argv[2:]]
def verdicts(report):
    out = {}
    for c in json.loads(report.read_text())["configurations"]:
        counts = (c.get("verdict") or {}).get("counts", {})
        limited = [k for k, v in c.get("expect", {}).items() if v != "any"]
        out[c["name"]] = (c["passed"], sorted(k for k in limited if counts.get(k)))
    return out
def local_report(scenario):
    # A suite's run (one directory per scenario), or one scenario's own run.
    for local in locals_:
        for there in (local / scenario / "report.json", local / "report.json"):
            if there.exists() and json.loads(there.read_text()).get("scenario") == scenario:
                return there
    return None
same = True
for report in sorted(compose.glob("*/report.json")):
    if json.loads((report.parent / "run.json").read_text()).get("backend") != "compose":
        print(f"{report.parent.name}: run.json does not say it ran on compose")
        same = False
    there = local_report(report.parent.name)
    if there is None:
        print(f"{report.parent.name}: no local verdict to compare with in "
              f"{', '.join(map(str, locals_))}")
        same = False
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
