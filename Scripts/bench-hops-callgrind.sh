#!/usr/bin/env bash
# Instructions per job hop, counted by valgrind's callgrind (steady on a noisy machine, unlike
# seconds): for each executor (runviz with events on, off, Swift's global executor) and each
# workload (yield loop, ping-pong), two runs of different sizes; the difference in instructions
# divided by the difference in hops cancels start-up and shutdown.
#
#   bash Scripts/bench-hops-callgrind.sh [path/to/release/runviz]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${1:-}"
if [ -z "$BIN" ]; then
    swift build -c release --package-path "$ROOT" --product runviz >/dev/null
    BIN="$(swift build -c release --package-path "$ROOT" --show-bin-path)/runviz"
fi
[[ -x $BIN && ! -d $BIN ]] || { echo "bench-hops-callgrind: $BIN is not a runviz binary (usage: $0 [path/to/release/runviz])" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
TASKS=2
# valgrind 3.19 cannot read the debug info Swift 6 emits: measure a stripped copy.
strip -o "$WORK/runviz" "$BIN"
BIN="$WORK/runviz"

instructions() {  # instructions EXECUTOR YIELDS PINGS
    valgrind --tool=callgrind --callgrind-out-file="$WORK/out" "$BIN" bench --workers "$TASKS" \
        --executor "$1" --yields "$2" --pings "$3" --repeats 1 >/dev/null 2>"$WORK/err"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/err"
}

printf '%-12s %22s %22s\n' executor "yield: instr/hop" "ping-pong: instr/hop"
for executor in events-on events-off global; do
    y1=$(instructions "$executor" 10000 1)
    y2=$(instructions "$executor" 30000 1)
    p1=$(instructions "$executor" 1 5000)
    p2=$(instructions "$executor" 1 15000)
    yield=$(( (y2 - y1) / (TASKS * 20000) ))
    ping=$(( (p2 - p1) / (2 * 10000) ))
    printf '%-12s %22d %22d\n' "$executor" "$yield" "$ping"
done
