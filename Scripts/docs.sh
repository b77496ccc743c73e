#!/usr/bin/env bash
# Builds the library reference: the DocC catalogs of RunvizRuntime and RunvizWatch
# (Sources/*/*.docc, their articles, and every public symbol's doc comment) into two documentation
# archives, with swift-docc-plugin. Warnings are errors, so a ``Symbol`` link that resolves to
# nothing, a parameter documented that the function does not take, or an article's broken
# <doc:Article> link fails the build (and the CI step that runs this). Then builds and runs the
# code of the article Getting started against the core product, as a user would copy it.
#
#   usage: bash Scripts/docs.sh [more generate-documentation arguments, e.g. --disable-indexing]
#
# RUNVIZ_DOCS=1 is what adds swift-docc-plugin to Package.swift's dependencies: an ordinary build,
# and a package that depends on runviz, resolve nothing more. The build has a scratch path of its
# own (.build-docs), so it never invalidates .build. Prints where the archives are: each is a static
# site (the plugin transforms for static hosting by default), so any web server serves it.

set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build-docs
RUNVIZ_DOCS=1 swift package --scratch-path "$scratch" generate-documentation \
    --target RunvizRuntime --target RunvizWatch --warnings-as-errors "$@"

echo "docs: built with no warning; the archives are in $PWD/$scratch/plugins/Swift-DocC/outputs"

# The code of the article Getting started is one program: its first ```swift block is the package
# manifest (Examples/hello's), the others in order are main.swift. Built against this checkout's
# core product and run, it must print what its `print(…)  // value` comments say.
article=Sources/RunvizRuntime/RunvizRuntime.docc/GettingStarted.md
package=$scratch/getting-started
rm -rf "$package"
mkdir -p "$package/Sources/hello"
# swift_blocks 1: the manifest's lines; swift_blocks 0: those of the other ```swift blocks, in order.
swift_blocks() {
    awk -v manifest="$1" '
        /^```swift/ { n++; code = 1; next }
        /^```/ { code = 0 }
        code && (n == 1) == manifest
    ' "$article"
}
swift_blocks 1 | sed "s|path: \"../..\"|path: \"$PWD\"|" >"$package/Package.swift"
swift_blocks 0 >"$package/Sources/hello/main.swift"
expected="$(sed -nE 's|^print\([a-z]+\)  // (.*)$|\1|p' "$package/Sources/hello/main.swift")"
swift build --package-path "$package" --scratch-path "$package/.build" >"$package/build.out" 2>&1 ||
    { cat "$package/build.out"; echo "docs: the code of $article does not build" >&2; exit 1; }
printed="$(timeout 60 "$package/.build/debug/hello")" ||
    { echo "docs: the program of $article failed: $printed" >&2; exit 1; }
if [[ -z $expected || $printed != "$expected" ]]; then
    echo "docs: the program of $article printed" $printed "where its comments say" $expected >&2
    exit 1
fi
echo "docs: the code of $article builds and prints what it says:" $printed
