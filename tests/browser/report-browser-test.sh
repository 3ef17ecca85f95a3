#!/usr/bin/env bash
# A real browser opens the report.html of a real run with faults: headless
# Chromium renders the page to a screenshot (it must not be blank) and its
# DOM must hold what a reader looks for. The run is of a directory, so the
# suite page (its report.html) is checked too: each configuration's verdict
# must lie within a 1,100-pixel window. The screenshot is kept beside the
# run (REPORT_SCREENSHOT names where to copy it).
set -euo pipefail
kchaos="$1"
command -v chromium >/dev/null || { echo "SKIPPED: chromium is not installed (scripts/setup.sh installs it)"; exit 0; }
dir=$(mktemp -d /tmp/kchaos-browser-test.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/scenarios"
cat >"$dir/scenarios/browser.json" <<'JSON'
{
  "name": "report-browser",
  "description": "A short run with two faults, for the browser test of report.html.",
  "topic": { "partitions": 3, "config": { "min.insync.replicas": "2" } },
  "producer": { "config": { "acks": "all", "enable.idempotence": "true" }, "rate": 500 },
  "faults": [
    { "type": "broker-kill", "target": "leader-of-most", "at": 2, "duration": 5 },
    { "type": "broker-pause", "target": "follower", "at": 4, "duration": 4 }
  ],
  "timings": { "warmup_s": 3, "faults_s": 12, "recovery_timeout_s": 60, "drain_timeout_s": 60 },
  "expect": { "lost": 0 },
  "matrix": { "topic.flush.messages": ["9223372036854775807", "1"] }
}
JSON
"$kchaos" run "$dir/scenarios" --out "$dir/run" --seed 5 --lane "${KCHAOS_TEST_LANE:-0}" >"$dir/run.log" 2>&1 || {
  tail -30 "$dir/run.log"; echo "the run failed"; exit 1; }
page="$dir/run/report-browser/report.html"
suite="$dir/run/report.html"
[ -s "$page" ] && [ -s "$suite" ] || { echo "no report.html"; exit 1; }
browser=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
         --disable-background-networking --disable-component-update --disable-sync
         --user-data-dir="$dir/profile" --hide-scrollbars)
timeout 120 "${browser[@]}" --dump-dom "file://$page" >"$dir/dom.html" 2>/dev/null
for text in "kchaos report: report-browser" "PASS" "messages per second" "produce latency, ms" \
            "consumer lag, messages" "seconds since the configuration began" "broker-kill broker" \
            "broker-pause broker" "Counts and limits" "Equation"; do
  grep -qF "$text" "$dir/dom.html" || { echo "the rendered page lacks: $text"; exit 1; }
done
# The suite page: one block for the scenario, both sides with their verdicts,
# Kafka's "never" shown as such. A copy gets a script that measures where the
# verdicts lie once laid out (the page itself has none).
sed 's|</body>|<script>document.body.dataset.right = Math.max(...Array.from(document.querySelectorAll("table.sides .badge"), b => b.getBoundingClientRect().right));</script></body>|' \
  "$suite" >"$dir/run/measured.html"
timeout 120 "${browser[@]}" --window-size=1100,900 --dump-dom "file://$dir/run/measured.html" \
  >"$dir/suite-dom.html" 2>/dev/null
for text in "kchaos suite" "1 scenario run(s), 2 configuration(s)" \
            "A short run with two faults, for the browser test of report.html." \
            "topic.flush.messages = default (never)" "topic.flush.messages = 1" "every count" \
            "limit 0"; do
  grep -qF "$text" "$dir/suite-dom.html" || { echo "the rendered suite page lacks: $text"; exit 1; }
done
right=$(grep -o 'data-right="[0-9.]*"' "$dir/suite-dom.html" | grep -o '[0-9.]*' || true)
[ -n "$right" ] || { echo "the suite page's verdicts were not laid out"; exit 1; }
python3 -c "import sys; r = float(sys.argv[1]); print(f'suite page: the verdicts end {r:.0f} px from the left'); sys.exit(r > 1100)" "$right" \
  || { echo "a verdict lies outside a 1100-pixel window"; exit 1; }
timeout 120 "${browser[@]}" --window-size=1100,1600 --screenshot="$dir/report.png" "file://$page" \
  >/dev/null 2>&1
python3 - "$dir/report.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, chunks = 8, {}
idat = b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
    if kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
channels = {2: 3, 6: 4}[colour]
stride = width * channels
prev = bytearray(stride)
non_white, colours, i = 0, set(), 0
for y in range(height):
    kind = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = prev[x]; c = prev[x - channels] if x >= channels else 0
        if kind == 1: line[x] = (line[x] + a) & 255
        elif kind == 2: line[x] = (line[x] + b) & 255
        elif kind == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, channels * 4):
        px = tuple(line[x:x + 3]); colours.add(px)
        non_white += px != (255, 255, 255)
    prev = line
sampled = (width // 4) * height
share = non_white / sampled
print(f"screenshot {width}x{height}: {share:.1%} of sampled pixels not white, {len(colours)} colours")
assert share > 0.05, "the page rendered (nearly) blank"
assert len(colours) > 20, "the page has too few colours to hold the charts"
PY
if [ -n "${REPORT_SCREENSHOT:-}" ]; then cp "$dir/report.png" "$REPORT_SCREENSHOT"; fi
echo "report.html renders in Chromium: $(du -k "$page" | cut -f1) KiB, one file"
