#!/usr/bin/env bash
# Builds gpu/out/: everything gpu/check.sh needs on a GPU machine that has the NVIDIA driver but no
# JDK and no Maven (docs/cuda.md, "Checking on a GPU machine"):
#   gpu/out/jdk/     a jlink'd JDK 25 runtime (java.base, jdk.incubator.vector and what jdeps finds)
#   gpu/out/lib/     grad4j-core.jar, grad4j-examples.jar, grad4j-bench.jar (its classes only: libtorch stays
#                    here; the GPU bench compares with python torch there), the core test classes (core-tests.jar) and their
#                    test dependencies, junit-platform-console-standalone (pinned below)
#   gpu/out/check.sh a copy of gpu/check.sh
# The whole folder must stay within the 64 MiB a run on the GPU machine can carry: the script
# prints `du -sh` and fails above 64 MiB.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
OUT="$ROOT/gpu/out"
CONSOLE_VERSION=1.14.1      # junit-platform-console-standalone: the platform of junit 5.14.1 (pom.xml)
LIMIT_MIB=64
cd "$ROOT"
eval "$(./grad4j env 2>/dev/null | grep '^JAVA_HOME=')" || true
: "${JAVA_HOME:?no JDK 25 found (./grad4j env)}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

rm -rf "$OUT"
mkdir -p "$OUT/lib"
# jars without running tests (package, never install: ~/.m2 is shared)
mvn -B -q -Pbench -pl core,examples,bench -am -DskipTests package
cp core/target/grad4j-core-*[0-9T].jar "$OUT/lib/grad4j-core.jar"
cp examples/target/grad4j-examples-*[0-9T].jar "$OUT/lib/grad4j-examples.jar"
cp bench/target/grad4j-bench-*[0-9T].jar "$OUT/lib/grad4j-bench.jar"
jar --create --file "$OUT/lib/core-tests.jar" -C core/target/test-classes .
# the core tests' dependencies (jqwik...), not junit (the console jar has it) and not jazzer (fuzzing only)
mvn -B -q -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt"
tr ':' '\n' < "$OUT/cp.txt" | grep -v -e junit -e jazzer -e opentest4j -e apiguardian | while read -r j; do
    [ -f "$j" ] && cp "$j" "$OUT/lib/"
done
rm "$OUT/cp.txt"
# the examples' command line parser (xchart, for the demo's PNG, is left out with java.desktop: below)
mvn -B -q -pl examples dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp.txt"
tr ':' '\n' < "$OUT/cp.txt" | grep picocli | while read -r j; do cp "$j" "$OUT/lib/"; done
rm "$OUT/cp.txt"
CONSOLE="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$CONSOLE_VERSION/junit-platform-console-standalone-$CONSOLE_VERSION.jar"
[ -f "$CONSOLE" ] || mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:$CONSOLE_VERSION
cp "$CONSOLE" "$OUT/lib/junit-platform-console-standalone.jar"

# the runtime: the modules the jars use (jdeps), the Vector API, and what the JUnit console needs at run
# time that jdeps does not see in its shaded jar (java.logging; java.xml for the XML reports; jdk.zipfs to scan jars)
# (one jar at a time: core-tests.jar splits core's packages, which jdeps reports on stdout)
MODS=$(for j in "$OUT"/lib/grad4j-core.jar "$OUT"/lib/grad4j-examples.jar "$OUT"/lib/core-tests.jar; do
    jdeps --multi-release 25 --ignore-missing-deps --print-module-deps "$j" 2>/dev/null | tail -1
done | tr ',' '\n' | grep -E '^[a-z][a-z0-9.]*$' | sort -u | paste -sd,)
# java.desktop (19 MiB: only the demo's curves PNG) and java.compiler (DocsCompileTest) do not fit in the
# 64 MiB; the demo prints its accuracy before it writes the PNG, then fails on the missing java.awt
MODS=$(echo "$MODS,jdk.incubator.vector,jdk.unsupported,java.management,java.logging,java.xml,jdk.zipfs" | tr ',' '\n' \
    | grep -v -x -e java.desktop -e java.compiler | sort -u | paste -sd,)
echo "bundle: jlink modules $MODS"
jlink --add-modules "$MODS" --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$OUT/jdk"
# libjvm.so ships with its symbol table (about 5 MiB); the dynamic symbols the JVM needs stay
command -v strip >/dev/null && strip --strip-unneeded "$OUT/jdk/lib/server/libjvm.so"
"$OUT/jdk/bin/java" --add-modules jdk.incubator.vector -version 2>&1 | tail -1
cp "$ROOT/gpu/check.sh" "$OUT/check.sh"
chmod +x "$OUT/check.sh"

du -sh "$OUT" "$OUT"/jdk "$OUT"/lib
size=$(du -sm "$OUT" | cut -f1)
if [ "$size" -gt "$LIMIT_MIB" ]; then echo "bundle: gpu/out is $size MiB, over the $LIMIT_MIB MiB a GPU run can carry" >&2; exit 1; fi
echo "bundle: gpu/out is $size MiB (limit $LIMIT_MIB): run gpu/out/check.sh on the GPU machine"
