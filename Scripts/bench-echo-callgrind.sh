#!/usr/bin/env bash
# Instructions per echo round trip, counted by valgrind's callgrind (steady on a noisy machine,
# unlike seconds), events on and off: `runviz serve` runs under callgrind, one thread per output
# file, and echoload (Benchmarks/echoload) drives it twice on the same connections count, N1 then N2
# round trips, with a callgrind dump after each; the difference in instructions divided by the
# difference in round trips cancels start-up, connecting and closing. The observer thread (the
# serve loop: draining the rings and the aggregator's apply) is shown apart from the runtime's
# threads, since on 2 cores it competes with the workers.
#
#   bash Scripts/bench-echo-callgrind.sh [path/to/release/runviz]    # CONNS=100 N1=20000 N2=60000
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CONNS="${CONNS:-100}"
N1="${N1:-20000}"
N2="${N2:-60000}"
BIN="${1:-}"
if [ -z "$BIN" ]; then
    swift build -c release --package-path "$ROOT" --product runviz >/dev/null
    BIN="$(swift build -c release --package-path "$ROOT" --show-bin-path)/runviz"
fi
[[ -x $BIN && ! -d $BIN ]] || { echo "bench-echo-callgrind: $BIN is not a runviz binary (usage: $0 [path/to/release/runviz])" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "bench-echo-callgrind: valgrind is not installed" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-echo-callgrind.XXXXXX")"
SERVER=""
trap '[[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
# valgrind 3.19 cannot read the debug info Swift 6 emits: measure a stripped copy.
strip -o "$WORK/runviz" "$BIN"
gcc -O2 -o "$WORK/echoload" "$ROOT/Benchmarks/echoload/echoload.c" -lpthread

# thread_totals DUMP: "observer runtime" instructions of dump number DUMP (thread 1 is the serve
# loop, the observer; every other thread belongs to the runtime).
thread_totals() {
    local observer=0 runtime=0 f n
    for f in "$WORK"/out.*; do
        case $f in *".$1-"*) ;; *) continue ;; esac
        n=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$f")
        [ -n "$n" ] || n=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$f")
        [ -n "$n" ] || n=0
        case $f in *-01) observer=$((observer + n)) ;; *) runtime=$((runtime + n)) ;; esac
    done
    echo "$observer $runtime"
}

# measure LABEL SERVE-FLAGS...: prints one row.
measure() {
    local label=$1
    shift
    rm -f "$WORK"/out.*
    local port=$((20000 + RANDOM % 20000))
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$WORK/out" \
        "$WORK/runviz" serve --port "$port" "$@" >/dev/null 2>"$WORK/valgrind.err" &
    SERVER=$!
    for _ in $(seq 300); do
        ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
        sleep 0.1
    done
    "$WORK/echoload" -p "$port" -c "$CONNS" -n 2000 -q >/dev/null
    callgrind_control -z "$SERVER" >/dev/null 2>&1
    "$WORK/echoload" -p "$port" -c "$CONNS" -n "$N1" -q >/dev/null
    callgrind_control -d "$SERVER" >/dev/null 2>&1
    "$WORK/echoload" -p "$port" -c "$CONNS" -n "$N2" -q >/dev/null
    callgrind_control -d "$SERVER" >/dev/null 2>&1
    kill -TERM "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    read -r o1 r1 <<<"$(thread_totals 1)"
    read -r o2 r2 <<<"$(thread_totals 2)"
    # Each dump counts from the previous one: dump 2 covers the N2 run alone.
    local observer=$(((o2 - o1) / (N2 - N1))) runtime=$(((r2 - r1) / (N2 - N1)))
    printf '%-12s %14d %14d %14d\n' "$label" "$runtime" "$observer" $((runtime + observer))
}

echo "instructions per echo round trip under callgrind, $CONNS connections, runs of $N1 and $N2 ($(date -u +%F))"
printf '%-12s %14s %14s %14s\n' events runtime observer total
measure events-on
measure events-off --no-instrumentation
