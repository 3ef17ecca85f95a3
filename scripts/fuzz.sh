#!/usr/bin/env bash
# The unit tests under AddressSanitizer and UndefinedBehaviorSanitizer, then
# each libFuzzer target for a bounded time, then every input that once broke
# something. Builds with clang into build-fuzz/ (never touching build/).
# A crash, a leak, undefined behaviour or an allocation over the limit fails.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 45)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-45}"
build="${KCHAOS_FUZZ_BUILD:-build-fuzz}"
for tool in clang-14 clang++-14; do
  command -v "$tool" >/dev/null || { echo "fuzz: $tool is missing (scripts/setup.sh installs it)" >&2; exit 2; }
done
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DKCHAOS_SANITIZE=ON -DKCHAOS_FUZZ=ON >/dev/null
echo "fuzz: building the unit tests and the fuzz targets with ASan and UBSan"
ninja -C "$build" unit_tests fuzz_scenario fuzz_reconcile >"$build/fuzz-build.log" 2>&1 || {
  grep -E "error|FAILED" -A4 "$build/fuzz-build.log" | head -40
  echo "fuzz: the sanitizer build failed (all of it: $build/fuzz-build.log)" >&2; exit 1; }

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
echo "fuzz: unit tests under the sanitizers"
(cd "$build" && ctest --output-on-failure --no-tests=error -L unit -E '^(layout|cli_help|docs_links)$' -j 2 \
  >fuzz-unit.log 2>&1) || {
  grep -E "Failure|Sanitizer|runtime error|FAILED" -A6 "$build/fuzz-unit.log" | head -80
  echo "fuzz: unit tests failed under the sanitizers (all of it: $build/fuzz-unit.log)" >&2; exit 1; }
if grep -q '(Skipped)\|\*\*\*Skipped' "$build/fuzz-unit.log"; then
  grep '(Skipped)\|\*\*\*Skipped' "$build/fuzz-unit.log"
  echo "fuzz: unit tests skipped themselves under the sanitizers; they must run here" >&2; exit 1
fi
tail -3 "$build/fuzz-unit.log"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
limits=(-malloc_limit_mb=512 -rss_limit_mb=1536 -timeout=10)
run_target() {  # target seconds seed-dirs...
  local target=$1 secs=$2
  shift 2
  mkdir -p "$work/$target"
  echo "fuzz: $target for $secs s"
  "$build/tests/fuzz/$target" "${limits[@]}" -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$work/$target-" "$work/$target" "$@" 2>"$work/$target.log" || {
    tail -40 "$work/$target.log"; cp "$work/$target"-* . 2>/dev/null || true
    echo "fuzz: $target found a failing input (copied here as $target-*)" >&2; exit 1; }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/$target.log" | tr '\n' ' '
  echo
}
run_target fuzz_scenario "$seconds" scenarios scenarios/claims scenarios/examples
run_target fuzz_reconcile "$seconds" tests/fuzz/corpus/reconcile

echo "fuzz: the inputs that once broke something"
for target in fuzz_scenario fuzz_reconcile; do
  dir="tests/fuzz/regressions/${target#fuzz_}"
  ls "$dir"/* >/dev/null 2>&1 || continue
  "$build/tests/fuzz/$target" "${limits[@]}" "$dir"/* 2>"$work/$target-regressions.log" || {
    tail -40 "$work/$target-regressions.log"; exit 1; }
done
echo "fuzz: no crash, leak, undefined behaviour or runaway allocation"
