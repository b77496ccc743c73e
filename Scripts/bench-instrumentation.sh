#!/usr/bin/env bash
# What event recording costs the echo server: `runviz serve` with events on and with them off
# (`--no-instrumentation`), under the same independent load generator (echoload from
# Benchmarks/echoload: 64-byte messages, one in flight per connection), at 100, 1,000 and 10,000
# connections, in one run. Server CPU per round trip is the server's CPU time over echoload's
# measured window divided by the round trips in it (the observer thread counts: it is the same
# process). On and off alternate, in turn order, every repetition, so a neighbour's load falls on
# both alike. The on and off runs of one repetition are a pair: the table shows the median of the
# pairs' ratios on ÷ off (with their spread), beside the medians of each. tokio's echo server runs beside
# them when it builds (offline, from Debian's librust-tokio-dev), else one line says why it is
# skipped. Release build.
#
#   bash Scripts/bench-instrumentation.sh [path/to/release/runviz]    # REPS=15 DUR=4 CONNS="100 1000 10000"
#   BASE=path/to/other/runviz bash Scripts/bench-instrumentation.sh   # also an earlier build, on and off
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REPS="${REPS:-15}"
DUR="${DUR:-4}"
WARM="${WARM:-1}"
CONNS="${CONNS:-100 1000 10000}"
BIN="${1:-}"
if [ -z "$BIN" ]; then
    swift build -c release --package-path "$ROOT" --product runviz >/dev/null
    BIN="$(swift build -c release --package-path "$ROOT" --show-bin-path)/runviz"
fi
[[ -x $BIN && ! -d $BIN ]] || { echo "bench-instrumentation: $BIN is not a runviz binary (usage: $0 [path/to/release/runviz])" >&2; exit 2; }
if [[ -n ${BASE:-} && ! ( -x $BASE && ! -d $BASE ) ]]; then
    echo "bench-instrumentation: BASE=$BASE is not a runviz binary" >&2
    exit 2
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-bench-instrumentation.XXXXXX")"
SERVER=""
trap '[[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
# echoload prints the server's CPU in whole percent; two decimals are needed to see 1 %.
sed 's/srv_cpu=%.0f/srv_cpu=%.2f/' "$ROOT/Benchmarks/echoload/echoload.c" >"$WORK/echoload.c"
gcc -O2 -o "$WORK/echoload" "$WORK/echoload.c" -lpthread
# tokio-echo, or one line saying why it is skipped.
source "$ROOT/Benchmarks/peers.sh"
TOKIO="$(tokio_echo bench-instrumentation)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# run NAME CONNS REP: one measurement; appends "NAME CONNS cpu_us_per_rt rtps REP" to results.
run() {
    local name=$1 conns=$2 rep=$3 port=$((20000 + RANDOM % 20000))
    case $name in
        on) "$BIN" serve --port "$port" >/dev/null 2>&1 & ;;
        off) "$BIN" serve --port "$port" --no-instrumentation >/dev/null 2>&1 & ;;
        base-on) "$BASE" serve --port "$port" >/dev/null 2>&1 & ;;
        base-off) "$BASE" serve --port "$port" --no-instrumentation >/dev/null 2>&1 & ;;
        tokio) "$TOKIO" "$port" >/dev/null 2>&1 & ;;
    esac
    SERVER=$!
    for _ in $(seq 100); do
        ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
        sleep 0.1
    done
    local out
    out=$("$WORK/echoload" -p "$port" -c "$conns" -d "$DUR" -w "$WARM" -P "$SERVER" -q 2>/dev/null || true)
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    awk -v name="$name" -v conns="$conns" -v rep="$rep" '/^RESULT/ {
        for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        if (f["rt"] > 0) printf "%s %s %.4f %.0f %s\n", name, conns, f["srv_cpu"] / 100 * f["window_s"] / f["rt"] * 1e6, f["rtps"], rep
    }' <<<"$out" >>"$WORK/results"
}

servers="on off"
[ -n "${BASE:-}" ] && servers="$servers base-on base-off"
[ -n "$TOKIO" ] && servers="$servers tokio"
read -r -a order <<<"$servers"
for rep in $(seq "$REPS"); do
    for conns in $CONNS; do
        n=${#order[@]}
        for i in $(seq 0 $((n - 1))); do run "${order[$(((i + rep) % n))]}" "$conns" "$rep"; done
    done
done

echo "server CPU per echo round trip, events on vs off, $REPS interleaved pairs (${DUR} s each; $(date -u +%F))"
python3 - "$WORK/results" "$CONNS" "${BASE:+base}" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def median(name, conns, col):
    v = [float(r[col]) for r in rows if r[0] == name and r[1] == conns]
    return statistics.median(v) if v else None
def paired(a, b, conns):
    """The ratios a / b of the repetitions where both ran: (median, lowest, highest, pairs)."""
    cost = {(r[0], r[4]): float(r[2]) for r in rows if r[1] == conns}
    v = sorted(cost[(a, rep)] / cost[(b, rep)] for (n, rep) in cost if n == a and cost.get((b, rep)))
    return (statistics.median(v), v[0], v[-1], len(v)) if v else None
print(f"{'conns':>6} {'on µs/rt':>9} {'off µs/rt':>10} {'on/off (pairs: median, range)':>32} {'tokio µs/rt':>12} {'on/tokio':>9} {'rt/s on':>9} {'rt/s off':>9}")
for conns in sys.argv[2].split():
    on, off, tokio = (median(n, conns, 2) for n in ("on", "off", "tokio"))
    ron, roff = median("on", conns, 3), median("off", conns, 3)
    p = paired("on", "off", conns)
    ratio = f"{p[0]:.3f} ({p[1]:.3f}..{p[2]:.3f}, {p[3]})" if p else "-"
    vs = f"{on / tokio:.2f}" if on and tokio else "-"
    t = f"{tokio:.2f}" if tokio else "-"
    print(f"{conns:>6} {on or 0:>9.2f} {off or 0:>10.2f} {ratio:>32} {t:>12} {vs:>9} {ron or 0:>9.0f} {roff or 0:>9.0f}")
if len(sys.argv) > 3 and sys.argv[3]:
    print("the BASE build in the same run:")
    for conns in sys.argv[2].split():
        on, off = median("base-on", conns, 2), median("base-off", conns, 2)
        p = paired("base-on", "base-off", conns)
        ratio = f"{p[0]:.3f} ({p[1]:.3f}..{p[2]:.3f}, {p[3]})" if p else "-"
        print(f"{conns:>6} {on or 0:>9.2f} {off or 0:>10.2f} {ratio:>7}")
EOF
