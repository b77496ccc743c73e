#!/usr/bin/env bash
# What the flight recorder and --record cost, in one run: `runviz serve` with events on, without and
# with `--record`, alternating, under the same independent load generator (echoload from
# Benchmarks/echoload: 64-byte messages, one in flight per connection) at 1,000 and 10,000 connections.
# Per run: round trips/s and server CPU per round trip (echoload reads the server's /proc);
# per recording: its bytes per event, MiB per minute, the history's memory per second of load and
# the time to rebuild any instant in it (`runviz replay FILE --info`). Release build.
#
#   bash Scripts/bench-recording.sh            # REPS=3 DUR=5 CONNS="1000 10000"
#   RUNVIZ=/path/to/runviz bash Scripts/bench-recording.sh   # that binary (e.g. one built before a
#                                              # change, for a before and after in one session)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REPS="${REPS:-3}"
DUR="${DUR:-5}"
CONNS="${CONNS:-1000 10000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-bench-recording.XXXXXX")"
trap 'rm -rf "$WORK"; [[ -n ${SERVER:-} ]] && kill "$SERVER" 2>/dev/null || true' EXIT

if [[ -n ${RUNVIZ:-} ]]; then
    BIN="$RUNVIZ"
else
    swift build -c release --package-path "$ROOT" --product runviz >/dev/null
    BIN="$(swift build -c release --package-path "$ROOT" --show-bin-path)/runviz"
fi
ECHOLOAD="$WORK/echoload"
gcc -O2 -o "$ECHOLOAD" "$ROOT/Benchmarks/echoload/echoload.c" -lpthread
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# run CONNS VARIANT: one measured run; prints "rtps cpu_us_per_rt".
run() {
    local conns=$1 variant=$2 port=$((20000 + RANDOM % 20000)) extra=()
    [[ $variant == rec ]] && extra=(--record "$WORK/rec-$conns.rec")
    "$BIN" serve --port "$port" "${extra[@]}" >/dev/null 2>"$WORK/serve.err" &
    SERVER=$!
    sleep 1
    local result
    result="$("$ECHOLOAD" -p "$port" -c "$conns" -d "$DUR" -w 1 -P "$SERVER" -q | grep '^RESULT')"
    kill -INT "$SERVER"
    wait "$SERVER" || true
    SERVER=""
    awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
           printf "%d %.2f\n", v["rtps"], v["srv_cpu"] / 100 * 1e6 / v["rtps"] }' <<<"$result"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "runviz serve, events on, without and with --record (median of $REPS alternating runs of $DUR s, $(date -u +%F))"
printf '%-7s %-9s %10s %14s\n' conns variant "rt/s" "CPU µs/rt"
for conns in $CONNS; do
    : >"$WORK/plain" && : >"$WORK/rec"
    for ((r = 0; r < REPS; r++)); do
        run "$conns" plain >>"$WORK/plain"
        run "$conns" rec >>"$WORK/rec"
    done
    for variant in plain rec; do
        printf '%-7s %-9s %10s %14s\n' "$conns" "$variant" \
            "$(cut -d' ' -f1 "$WORK/$variant" | median)" "$(cut -d' ' -f2 "$WORK/$variant" | median)"
    done
    "$BIN" replay "$WORK/rec-$conns.rec" --info | sed 's/^/    /'
done
