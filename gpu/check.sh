#!/usr/bin/env bash
# Runs on a GPU machine with the NVIDIA driver and no JDK/Maven, from the folder gpu/bundle.sh built
# (gpu/out, carried there whole). Writes $OUT/report.txt (and JUnit XML under $OUT/junit) with:
#   1. nvidia-smi
#   2. the device tests: every test tagged "cuda" (@Tag("cuda"); each also gated by
#      assumeTrue(Device.cudaIsAvailable())), through the JUnit console launcher
#   3. org.grad4j.examples.Demo --device cuda --epochs 1
#   4. org.grad4j.bench.BenchMain --device cuda (the GPU rows: LIMIT and RATIO lines; torch rows when python3 has torch)
# Steps run even when an earlier one fails; a class that does not exist is reported "not present".
# Usage: OUT=/some/dir ./check.sh      (OUT defaults to ./report; TEST_TAG=... runs another tag)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
OUT="${OUT:-$HERE/report}"
mkdir -p "$OUT/junit"
REPORT="$OUT/report.txt"
JAVA="$HERE/jdk/bin/java"
CP="$HERE/lib/*"
JVM=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx16g)
STEP_TIMEOUT="${STEP_TIMEOUT:-240}"
: > "$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }
section() { say ""; say "==== $* ($(date -u +%H:%M:%S))"; }
run_step() {   # name, command...
    local name=$1; shift
    local t0=$SECONDS
    timeout "$STEP_TIMEOUT" "$@" > "$OUT/$name.log" 2>&1
    local rc=$?
    tail -n 40 "$OUT/$name.log" >> "$REPORT"
    say "---- $name: exit $rc in $((SECONDS - t0)) s (full log: $name.log)"
}

section "machine"
say "host: $(hostname)  date: $(date -u)"
section "nvidia-smi"
if command -v nvidia-smi >/dev/null; then nvidia-smi 2>&1 | tee -a "$REPORT" >/dev/null; else say "nvidia-smi not found"; fi
"$JAVA" -version 2>&1 | tee -a "$REPORT" >/dev/null

section "device tests (tag cuda)"
run_step tests "$JAVA" "${JVM[@]}" -jar "$HERE/lib/junit-platform-console-standalone.jar" execute \
    --class-path "$(echo "$HERE"/lib/*.jar | tr ' ' ':')" --scan-class-path "$HERE/lib/core-tests.jar" \
    --include-tag "${TEST_TAG:-cuda}" --reports-dir "$OUT/junit" --details=summary --disable-banner

main_step() {   # name, candidate classes (space-separated), args...
    local name=$1 classes=$2; shift 2
    for c in $classes; do
        # a jar's central directory stores entry names uncompressed: no unzip needed
        if grep -aq "${c//.//}.class" "$HERE"/lib/grad4j-*.jar; then
            run_step "$name" "$JAVA" "${JVM[@]}" -cp "$CP" "$c" "$@"
            return
        fi
    done
    say "---- $name: not present (looked for: $classes)"
}
section "demo"
main_step demo "org.grad4j.examples.Demo" --device cuda --epochs 1
section "bench"
main_step bench "org.grad4j.bench.BenchMain" --device cuda

section "summary"
grep -h -E "^---- " "$REPORT" > "$OUT/summary.txt"
cat "$OUT/summary.txt" >> "$REPORT"
say "report: $REPORT"
