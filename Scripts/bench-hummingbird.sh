#!/usr/bin/env bash
# What runviz costs a real server: Examples/hummingbird-app (a Hummingbird 2 server) under wrk on
# `GET /`, in four modes, each a fresh server process: `default` (--default-executor: Swift's own
# executor, nothing installed), `runviz` (installed as the global executor, events on, watched:
# RUNVIZ_TELEMETRY set, so the Watch drains the event rings, no viewer attached), `runviz-quiet`
# (installed with --no-events: event recording off, counters on, watched) and `runviz-viewed` (as
# `runviz`, with `runviz attach` drawing it in a detached tmux of 120×40: the server streams its
# events to a viewer; the viewer's own CPU is not the server's). ROUNDS interleaved rounds, each
# running every mode once, their order rotated round by round, so a neighbour's load
# falls on all alike. Each run: the server starts on a free loopback port, a 1 s wrk warms it up,
# then `wrk -t2 -c64 -dDURATION` measures; CPU is the server process's utime+stime from
# /proc/PID/stat across the measured wrk run (wrk shares the two cores: it is in none of the
# figures). Per mode: requests/s min/median/max, CPU µs per request, and the medians over the
# default executor's, plain and paired (this mode ÷ default in the same round). A run with any
# non-2xx response or socket error fails the script. Release build. Run time with the defaults:
# about three minutes, plus the first builds of the example and the viewer (four to five minutes on
# two cores).
#
#   bash Scripts/bench-hummingbird.sh [path/to/release/hummingbird-app]
#   ROUNDS=15 DURATION=10 CONNECTIONS=64 bash Scripts/bench-hummingbird.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-5}"
CONNECTIONS="${CONNECTIONS:-64}"
BIN="${1:-}"
for tool in wrk tmux curl; do
    command -v $tool >/dev/null || { echo "bench-hummingbird: $tool is not installed (apt-get install -y $tool)" >&2; exit 2; }
done
swift build -c release --package-path "$ROOT" --product runviz >/dev/null 2>&1 ||
    swift build -c release --package-path "$ROOT" --product runviz # again, to show why
VIEWER="$(swift build -c release --package-path "$ROOT" --show-bin-path)/runviz"
if [ -z "$BIN" ]; then
    swift build -c release --package-path "$ROOT/Examples/hummingbird-app" >/dev/null 2>&1 ||
        swift build -c release --package-path "$ROOT/Examples/hummingbird-app" # again, to show why
    BIN="$(swift build -c release --package-path "$ROOT/Examples/hummingbird-app" --show-bin-path)/hummingbird-app"
fi
[[ -x $BIN && ! -d $BIN ]] || {
    echo "bench-hummingbird: $BIN is not a hummingbird-app binary (usage: $0 [path/to/release/hummingbird-app])" >&2
    exit 2
}
WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-bench-hummingbird.XXXXXX")"
SERVER=""
TM=(tmux -L "runviz-bench-hummingbird-$$" -f /dev/null)
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; "${TM[@]}" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
MODES=(default runviz runviz-quiet runviz-viewed)
TICKS=$(getconf CLK_TCK)

# A loopback port nobody listens on.
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 12000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
    done
    echo "bench-hummingbird: no free port found" >&2
    exit 1
}

# cpu_ticks PID: the process's user + system time so far, in clock ticks.
cpu_ticks() {
    local stat fields
    stat="$(cat "/proc/$1/stat")"
    read -r -a fields <<<"${stat##*) }"
    echo $((fields[11] + fields[12]))
}

# run ROUND MODE → "round mode requests seconds requests_per_s cpu_us_per_request"
run() {
    local round=$1 mode=$2 port telemetry flags=()
    port=$(free_port)
    case $mode in
        default) flags=(--default-executor) ;;
        runviz-quiet) flags=(--no-events) ;;
    esac
    telemetry="127.0.0.1:$(free_port)"
    RUNVIZ_TELEMETRY=$telemetry "$BIN" --port "$port" "${flags[@]}" >"$WORK/server.out" 2>&1 &
    SERVER=$!
    local deadline=$((SECONDS + 20))
    until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
        ((SECONDS <= deadline)) && kill -0 "$SERVER" 2>/dev/null || {
            cat "$WORK/server.out" >&2
            echo "bench-hummingbird: $mode server did not answer on port $port" >&2
            exit 1
        }
        sleep 0.1
    done
    if [[ $mode == runviz-viewed ]]; then
        "${TM[@]}" new-session -d -s viewer -x 120 -y 40 "$VIEWER attach $telemetry"
        deadline=$((SECONDS + 20))
        until "${TM[@]}" capture-pane -p -t viewer 2>/dev/null | grep -q LIVE; do
            ((SECONDS <= deadline)) || { echo "bench-hummingbird: the viewer did not attach to $telemetry" >&2; exit 1; }
            sleep 0.2
        done
    fi
    wrk -t2 -c"$CONNECTIONS" -d1s "http://127.0.0.1:$port/" >/dev/null
    local before after
    before=$(cpu_ticks "$SERVER")
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$port/" >"$WORK/wrk.out"
    after=$(cpu_ticks "$SERVER")
    if [[ $mode == runviz-viewed ]]; then
        "${TM[@]}" capture-pane -p -t viewer | grep -q LIVE || { echo "bench-hummingbird: the viewer lost the server" >&2; exit 1; }
        "${TM[@]}" kill-server
    fi
    kill -INT "$SERVER"
    wait "$SERVER" || { echo "bench-hummingbird: the $mode server exited with $? on SIGINT" >&2; exit 1; }
    SERVER=""
    if grep -Eq 'Non-2xx|Socket errors' "$WORK/wrk.out"; then
        cat "$WORK/wrk.out" >&2
        echo "bench-hummingbird: $mode: wrk saw errors" >&2
        exit 1
    fi
    awk -v round="$round" -v mode="$mode" -v ticks=$((after - before)) -v hz="$TICKS" '
        / requests in / { requests = $1; seconds = $4; sub(/s,?$/, "", seconds) }
        END {
            if (requests == 0) exit 1
            printf "%s %s %d %.2f %.0f %.2f\n", round, mode, requests, seconds, requests / seconds, ticks / hz * 1e6 / requests
        }' "$WORK/wrk.out"
}

for round in $(seq "$ROUNDS"); do
    for i in 0 1 2 3; do
        run "$round" "${MODES[$(((i + round) % 4))]}" >>"$WORK/results"
    done
done

echo "Examples/hummingbird-app, GET / under wrk -t2 -c$CONNECTIONS -d${DURATION}s, $ROUNDS interleaved rounds ($(nproc) cores; $(date -u +%F))"
python3 - "$WORK/results" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
modes = ["default", "runviz", "runviz-quiet", "runviz-viewed"]
by = {m: [r for r in rows if r[1] == m] for m in modes}
base_rps = {r[0]: float(r[4]) for r in by["default"]}
base_cpu = {r[0]: float(r[5]) for r in by["default"]}
med_rps = statistics.median(base_rps.values())
med_cpu = statistics.median(base_cpu.values())
print(f"{'mode':14} {'min req/s':>10} {'median req/s':>13} {'max req/s':>10} {'cpu µs/req':>11} {'req/s ÷ def':>12} {'cpu ÷ def':>10} {'paired req/s':>13} {'paired cpu':>11}")
for mode in modes:
    rs = by[mode]
    rps = [float(r[4]) for r in rs]
    cpu = [float(r[5]) for r in rs]
    paired_rps = statistics.median(float(r[4]) / base_rps[r[0]] for r in rs)
    paired_cpu = statistics.median(float(r[5]) / base_cpu[r[0]] for r in rs)
    print(f"{mode:14} {min(rps):>10.0f} {statistics.median(rps):>13.0f} {max(rps):>10.0f} {statistics.median(cpu):>11.2f} "
          f"{statistics.median(rps) / med_rps:>12.3f} {statistics.median(cpu) / med_cpu:>10.3f} {paired_rps:>13.3f} {paired_cpu:>11.3f}")
print("cpu µs/req: the server's CPU time (utime+stime) over the measured run ÷ its requests (median over rounds);")
print("÷ def: median ÷ the default executor's median; paired: median over rounds of (this mode ÷ default in the same round).")
print("per run: " + "  ".join(f"{r[0]}:{r[1]} {float(r[4]):.0f}/s {float(r[5]):.1f}µs" for r in rows))
EOF
