#!/usr/bin/env bash
# Echo benchmark: `runviz serve` (events on and off) beside the peer servers of Benchmarks/
# (tokio, SwiftNIO, C epoll), all driven by the same independent load generator (echoload) in one
# run: rt/s, p99, server CPU per round trip at 100 / 1,000 / 10,000 connections, and resident
# memory per idle connection at 10,000. Release build. A peer that cannot build on this machine is
# skipped with one line saying why. Peers build into $BENCH_WORK (default /tmp/runviz-bench). The
# summary ends with runviz against tokio: CPU per round trip on and off, the ratios and rt/s.
#
#   bash Scripts/bench-echo.sh              # REPS=2 DUR=5 by default; knobs as in Benchmarks/run-all.sh
#   SERVERS="tokio" CONNS="1000" bash Scripts/bench-echo.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export BENCH_WORK="${BENCH_WORK:-/tmp/runviz-bench}"

SCRATCH="${SCRATCH:-$ROOT/.build}"
swift build -c release --package-path "$ROOT" --scratch-path "$SCRATCH" --product runviz >/dev/null
BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$SCRATCH" --show-bin-path)/runviz"

export SERVERS="${SERVERS:-c-epoll-1 tokio nio}"
export CONNS="${CONNS:-100 1000 10000}"
export REPS="${REPS:-2}"
export DUR="${DUR:-5}"
export PEER_EXTRA="runviz=$BIN serve --port {PORT};runviz-off=$BIN serve --port {PORT} --no-instrumentation"
bash "$ROOT/Benchmarks/run-all.sh"
