#!/usr/bin/env bash
# Memory per idle echo connection, by the definition the dashboard's "per conn" row uses: the
# server's growth across the arrival of CONNS connections, divided by them. echoload reads the
# server's VmRSS (/proc/PID/status) before any client and with CONNS idle connections open, each
# having made one round trip (its idle mode, -I); runviz prints its own figure for the same step
# (`serve`'s "per conn" field, the dashboard's ConnectionCostProbe, sampled every 0.25 s), shown
# beside it. runviz serve with a task per connection (events on and --no-instrumentation) and with a
# thread per connection (`--mode threads`, which also shows the virtual growth per thread), and
# tokio-echo for the reference when it builds (offline, from Debian's librust-tokio-dev:
# Benchmarks/build.sh; skipped with one line saying why where it cannot). Release builds. The sample is taken after IDLE_SECONDS, once the accept
# loop and the observer have settled.
#
#   bash Scripts/bench-idle-memory.sh          # CONNS=10000 IDLE_SECONDS=4 RUNS=1
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CONNS="${CONNS:-10000}"
IDLE="${IDLE_SECONDS:-4}"
RUNS="${RUNS:-1}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-bench-idle.XXXXXX")"
SERVER=""
trap 'rm -rf "$WORK"; [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null || true' EXIT

swift build -c release --package-path "$ROOT" --product runviz >/dev/null
RUNVIZ="$(swift build -c release --package-path "$ROOT" --show-bin-path)/runviz"
gcc -O2 -o "$WORK/echoload" "$ROOT/Benchmarks/echoload/echoload.c" -lpthread
# tokio-echo (unless NO_TOKIO), or one line saying why it is skipped.
source "$ROOT/Benchmarks/peers.sh"
TOKIO=""
[[ -n ${NO_TOKIO:-} ]] || TOKIO="$(tokio_echo bench-idle-memory)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# measure NAME COMMAND...: the server runs COMMAND (with {PORT}); prints one table row per run.
measure() {
    local name=$1
    shift
    local run
    for ((run = 1; run <= RUNS; run++)); do
        local port=$((20000 + RANDOM % 20000))
        "${@//\{PORT\}/$port}" >"$WORK/server.out" 2>/dev/null &
        SERVER=$!
        # The server is up when its port accepts.
        local i
        for ((i = 0; i < 100; i++)); do
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
            sleep 0.1
        done
        sleep 1
        "$WORK/echoload" -p "$port" -c "$CONNS" -I "$IDLE" -P "$SERVER" -q >"$WORK/load.out" 2>&1 || true
        kill -TERM "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
        SERVER=""
        local line
        line="$(grep '^IDLE' "$WORK/load.out" || true)"
        if [[ -z $line ]]; then
            echo "bench-idle-memory: $name: echoload gave no IDLE line: $(tr '\n' ' ' <"$WORK/load.out")" >&2
            continue
        fi
        # runviz serve's last "per conn task N B, thread N B + N B virtual" (tokio has none: "-").
        local own
        own="$(grep -o 'per conn task .*' "$WORK/server.out" 2>/dev/null | tail -1 || true)"
        awk -v name="$name" -v own="$own" '{
            for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            gsub(",", "", own)
            n = split(own, w, " ")
            task = "-"; thread = "-"; virt = "-"
            for (i = 1; i <= n; i++) {
                if (w[i] == "task" && w[i + 1] != "-") task = w[i + 1]
                if (w[i] == "thread" && w[i + 1] != "-") thread = w[i + 1]
                if (w[i] == "virtual") virt = w[i - 2]
            }
            figure = name ~ /threads/ ? thread : task
            printf "%-17s %8d %10d %10d %10d %10s %12s\n", name, v["conns"], v["srv_rss0_kb"], v["srv_rss_kb"],
                v["per_conn_b"], figure, name ~ /threads/ ? virt : ""
        }' <<<"$line"
    done
}

echo "server VmRSS with $CONNS idle connections, $IDLE s after one round trip each ($(date -u +%F))"
printf '%-17s %8s %10s %10s %10s %10s %12s\n' server conns "rss0 kB" "rss kB" "B/conn" "own B/conn" "own virt B"
[[ -n $TOKIO ]] && measure tokio "$TOKIO" "{PORT}"
measure runviz "$RUNVIZ" serve --port "{PORT}" --interval 0.25
measure runviz-no-events "$RUNVIZ" serve --port "{PORT}" --interval 0.25 --no-instrumentation
measure runviz-threads "$RUNVIZ" serve --port "{PORT}" --interval 0.25 --mode threads
