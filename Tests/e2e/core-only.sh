#!/usr/bin/env bash
# End-to-end test of the core runtime product alone: builds Examples/hello (a package that depends
# on runviz's RunvizRuntime product with no traits), runs it, and fails if any package but
# swift-collections resolves beside runviz, or if the program does not print what its tasks returned.
#
#   usage: bash Tests/e2e/core-only.sh
#
# Uses its own scratch path under .build, so it never touches Examples/hello/.build or its
# Package.resolved in the tree. Prints "core-only: N passed, 0 failed"; exits 1 on the first
# failure, after the logs of the step that failed.

set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source Tests/e2e/lib.sh
e2e_init core-only

# A copy of the example whose path to runviz points back at this checkout.
cp -R "$ROOT/Examples/hello" "$WORK/hello"
rm -rf "$WORK/hello/.build" "$WORK/hello/Package.resolved"
sed -i "s|path: \"../..\"|path: \"$ROOT\"|" "$WORK/hello/Package.swift"
scratch="$ROOT/.build/core-only"

swift package --package-path "$WORK/hello" --scratch-path "$scratch" resolve >"$WORK/resolve.out" 2>&1 ||
    fail "the package resolves"
pins="$(grep -o '"identity" : "[^"]*"' "$WORK/hello/Package.resolved" | cut -d'"' -f4 | sort | tr '\n' ' ')"
[[ $pins == "swift-collections " ]] || fail "only swift-collections resolves beside runviz (got: ${pins:-nothing})"
pass "Package.resolved pins swift-collections alone"

deps="$(swift package --package-path "$WORK/hello" --scratch-path "$scratch" show-dependencies --format flatlist)"
# runviz is a path dependency here: SwiftPM names it after its folder.
self="$(basename "$ROOT" | tr '[:upper:]' '[:lower:]')"
others="$(grep -vx -e "$self" -e swift-collections <<<"$deps" || true)"
[[ -z $others ]] || fail "the dependency graph holds runviz and swift-collections alone (also: $others)"
pass "the dependency graph: $(tr '\n' ' ' <<<"$deps")"

swift build --package-path "$WORK/hello" --scratch-path "$scratch" >"$WORK/build.out" 2>&1 || fail "hello builds"
modules="$(cd "$scratch/debug/Modules" && ls -- *.swiftmodule | sed 's/\.swiftmodule$//' | sort | tr '\n' ' ')"
for unwanted in RunvizObservation RunvizWatch RunvizWire RunvizMetrics Prometheus; do
    [[ " $modules " != *" $unwanted "* ]] || fail "the build compiles no $unwanted (modules: $modules)"
done
pass "hello builds without the observer side (modules: $modules)"

out="$(timeout 30 "$scratch/debug/hello")" || fail "hello runs and exits 0"
[[ $out == "hello: 6 tasks on 2 workers returned 42" ]] || fail "hello prints what its tasks returned (got: $out)"
pass "$out"

e2e_done
