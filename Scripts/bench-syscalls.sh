#!/usr/bin/env bash
# Syscalls per echo round trip, runviz beside tokio in one run: each server under the same
# independent load generator (echoload from Benchmarks/: 64-byte messages, one in flight per
# connection), and `perf stat -e 'syscalls:sys_enter_*'` on the server for a few seconds of steady
# load. Prints each server's read/recvfrom, write/sendto and epoll_wait counts, and their sum per
# round trip (round trips counted by the same syscalls: one reply write each). Release builds;
# tokio-echo is built offline from Debian's librust-tokio-dev (Benchmarks/build.sh installs it as
# root); where it cannot build, its row is skipped with one line saying why.
#
#   bash Scripts/bench-syscalls.sh             # CONNS=1000 SECONDS_MEASURED=3
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CONNS="${CONNS:-1000}"
MEASURED="${SECONDS_MEASURED:-3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-bench-syscalls.XXXXXX")"
SERVER=""
trap 'rm -rf "$WORK"; [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null || true' EXIT
command -v perf >/dev/null || { echo "bench-syscalls: perf is not installed (linux-perf)" >&2; exit 2; }

swift build -c release --package-path "$ROOT" --product runviz >/dev/null
RUNVIZ="$(swift build -c release --package-path "$ROOT" --show-bin-path)/runviz"
gcc -O2 -o "$WORK/echoload" "$ROOT/Benchmarks/echoload/echoload.c" -lpthread
# tokio-echo, or one line saying why it is skipped.
source "$ROOT/Benchmarks/peers.sh"
TOKIO="$(tokio_echo bench-syscalls)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

events='syscalls:sys_enter_read,syscalls:sys_enter_recvfrom,syscalls:sys_enter_write,syscalls:sys_enter_sendto,syscalls:sys_enter_epoll_wait'

# measure NAME COMMAND...: the server runs COMMAND (with {PORT}); prints one table row.
measure() {
    local name=$1
    shift
    local port=$((20000 + RANDOM % 20000))
    "${@//\{PORT\}/$port}" >/dev/null 2>&1 &
    SERVER=$!
    sleep 1
    "$WORK/echoload" -p "$port" -c "$CONNS" -d $((MEASURED + 3)) -w 1 -q >"$WORK/load.out" 2>&1 &
    local load=$!
    sleep 2
    perf stat -x, -e "$events" -p "$SERVER" -- sleep "$MEASURED" 2>"$WORK/perf.out" >/dev/null
    wait "$load" || true
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    awk -F, -v name="$name" '
        { n[$3] = $1 }
        END {
            reads = n["syscalls:sys_enter_read"] + n["syscalls:sys_enter_recvfrom"]
            writes = n["syscalls:sys_enter_write"] + n["syscalls:sys_enter_sendto"]
            polls = n["syscalls:sys_enter_epoll_wait"]
            printf "%-8s %12d %12d %12d %10.2f\n", name, reads, writes, polls, (reads + writes + polls) / (writes > 0 ? writes : 1)
        }' "$WORK/perf.out"
}

echo "syscalls of the server over $MEASURED s of echoload at $CONNS connections ($(date -u +%F))"
printf '%-8s %12s %12s %12s %10s\n' server "read+recv" "write+send" epoll_wait "per rt"
[[ -n $TOKIO ]] && measure tokio "$TOKIO" "{PORT}"
measure runviz "$RUNVIZ" serve --port "{PORT}"
