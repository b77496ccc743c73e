#!/usr/bin/env bash
# Builds the library reference: the DocC catalogs of RunvizRuntime and RunvizWatch
# (Sources/*/*.docc, their articles, and every public symbol's doc comment) into two documentation
# archives, with swift-docc-plugin. Warnings are errors, so a ``Symbol`` link that resolves to
# nothing, a parameter documented that the function does not take, or an article's broken
# <doc:Article> link fails the build (and the CI step that runs this).
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
