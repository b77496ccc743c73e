#!/usr/bin/env bash
# Echo-server peers side by side: builds what SERVERS needs (build.sh), then measures every server
# with echoload on this machine (loopback only), interleaving servers, and prints a table of
# medians. Every server is started fresh for each measurement and stopped by its PID afterwards.
# A server that could not be built here is skipped with one line saying why.
#
#   bash Benchmarks/run-all.sh                        # full run (~11 min with the defaults)
#   REPS=2 CONNS="1 100" bash Benchmarks/run-all.sh   # quicker
#   SERVERS="c-epoll-1 nio" bash Benchmarks/run-all.sh
#   PEER_EXTRA='runviz=/path/to/runviz serve --port {PORT}' bash Benchmarks/run-all.sh
#       (extra servers: name=command, ';'-separated; {PORT} is replaced; the command must bind
#        127.0.0.1:{PORT} and run the server in the foreground: it is started with exec, so the
#        PID run-all sees is the server's, whose RSS and CPU are read from /proc/PID)
#
# Settings (environment): SERVERS ("c-epoll-1 c-epoll-2 tokio nio go py-asyncio"), CONNS
# ("1 100 1000 10000"), SIZE (64), DUR (5 measured seconds), WARM (1 s warm-up, not measured),
# REPS (3), LG_THREADS (1 echoload thread), IDLE_CONNS (10000), IDLE_S (2), SKIP_BUILD=1,
# SKIP_IDLE=1, BASE_PORT (19400), PYTHON (python3), BENCH_WORK (/tmp/runviz-bench: binaries and
# results), PIN: none (default: the scheduler places everything), split (echoload on CPU 0, the
# server on CPU 1: multi-threaded servers then share one core), lg0 (echoload on CPU 0, the
# server anywhere).
#
# Output: $BENCH_WORK/results/raw-<stamp>.txt (one RESULT/IDLE line per run) and
# $BENCH_WORK/results/summary-<stamp>.md (the tables printed at the end).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="${BENCH_WORK:-/tmp/runviz-bench}"
BIN="$WORK/bin"

SERVERS=${SERVERS:-"c-epoll-1 c-epoll-2 tokio nio go py-asyncio"}
CONNS=${CONNS:-"1 100 1000 10000"}
SIZE=${SIZE:-64}
DUR=${DUR:-5}
WARM=${WARM:-1}
REPS=${REPS:-3}
LG_THREADS=${LG_THREADS:-1}
IDLE_CONNS=${IDLE_CONNS:-10000}
IDLE_S=${IDLE_S:-2}
BASE_PORT=${BASE_PORT:-19400}
PIN=${PIN:-none}
case $PIN in
    none) LG_PIN="" SRV_PIN="" ;;
    split) LG_PIN="taskset -c 0" SRV_PIN="taskset -c 1" ;;
    lg0) LG_PIN="taskset -c 0" SRV_PIN="" ;;
    *) echo "run-all: PIN must be none, split or lg0" >&2; exit 2 ;;
esac
for knob in SIZE DUR WARM REPS LG_THREADS IDLE_CONNS IDLE_S BASE_PORT; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || { echo "run-all: $knob must be a whole number, not '${!knob}'" >&2; exit 2; }
done
for c in $CONNS; do
    [[ $c =~ ^[1-9][0-9]*$ ]] || { echo "run-all: CONNS must be counts of connections, not '$c'" >&2; exit 2; }
done
if [[ -z ${PYTHON:-} ]]; then
    if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi

# Extra servers (runviz, say) from PEER_EXTRA="name=cmd {PORT};name2=cmd2 {PORT}".
declare -A EXTRA_CMD=()
if [[ -n ${PEER_EXTRA:-} ]]; then
    IFS=';' read -r -a extras <<<"$PEER_EXTRA"
    for e in "${extras[@]}"; do
        [[ -n $e ]] || continue
        name=${e%%=*}
        EXTRA_CMD[$name]=${e#*=}
        case " $SERVERS " in *" $name "*) ;; *) SERVERS="$SERVERS $name" ;; esac
    done
fi

# peer SERVER: the build.sh peer a server comes from, or nothing for an extra server.
peer() {
    case $1 in
        c-epoll-*) echo c-epoll ;;
        py-asyncio) echo py ;;
        tokio | nio | go) echo "$1" ;;
    esac
}

# File descriptors: up to 10,000 connections on each side.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

if [[ -z ${SKIP_BUILD:-} ]]; then
    peers=(echoload)
    for s in $SERVERS; do
        p=$(peer "$s")
        [[ -z $p || " ${peers[*]} " == *" $p "* ]] || peers+=("$p")
    done
    mkdir -p "$WORK"
    BENCH_WORK="$WORK" bash "$HERE/build.sh" "${peers[@]}" >"$WORK/build.log" 2>&1 ||
        { cat "$WORK/build.log" >&2; exit 1; }
fi
[[ -x $BIN/echoload ]] || { echo "run-all: no $BIN/echoload: run Benchmarks/build.sh" >&2; exit 1; }

# server_cmd NAME PORT: the server's command line, or nothing if it is not built.
server_cmd() {
    local name=$1 port=$2
    case $name in
        c-epoll-1) [[ -x $BIN/echo-epoll ]] && echo "$BIN/echo-epoll $port 1" ;;
        c-epoll-2) [[ -x $BIN/echo-epoll ]] && echo "$BIN/echo-epoll $port 2" ;;
        tokio) [[ -x $BIN/tokio-echo ]] && echo "$BIN/tokio-echo $port" ;;
        nio) [[ -x $BIN/nio-echo ]] && echo "$BIN/nio-echo $port 2" ;;
        go) [[ -x $BIN/go-echo ]] && echo "$BIN/go-echo $port" ;;
        py-asyncio) command -v "$PYTHON" >/dev/null && echo "$PYTHON $HERE/py-echo/echo.py $port" ;;
        *) [[ -n ${EXTRA_CMD[$name]:-} ]] && echo "${EXTRA_CMD[$name]//\{PORT\}/$port}" ;;
    esac
    return 0
}

AVAILABLE=()
for s in $SERVERS; do
    if [[ -n $(server_cmd "$s" 1) ]]; then
        AVAILABLE+=("$s")
    else
        p=$(peer "$s")
        if [[ -n $p && -s $WORK/skipped/$p ]]; then
            echo "skipping $s: $(cat "$WORK/skipped/$p")"
        elif [[ -n $p ]]; then
            echo "skipping $s: not built (run Benchmarks/build.sh $p)"
        else
            echo "skipping $s: no such server (c-epoll-1 c-epoll-2 tokio nio go py-asyncio, or PEER_EXTRA)"
        fi
    fi
done
((${#AVAILABLE[@]} > 0)) || { echo "run-all: no server to run" >&2; exit 1; }

mkdir -p "$WORK/results"
STAMP=$(date +%Y%m%d-%H%M%S)
RAW="$WORK/results/raw-$STAMP.txt"
SUMMARY="$WORK/results/summary-$STAMP.md"
LOGDIR="$WORK/results/logs-$STAMP"
mkdir -p "$LOGDIR"
{
    echo "# peers run $STAMP on $(uname -srm), $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
    echo "# servers: ${AVAILABLE[*]}; conns: $CONNS; size $SIZE; warm ${WARM}s + ${DUR}s; reps $REPS; loadgen threads $LG_THREADS; pin $PIN"
} >"$RAW"
echo "raw results -> $RAW"

CUR_PID=""
PORT_SEQ=0
# stop_server: SIGTERM, up to 3 s to go, then SIGKILL; by the PID we started.
stop_server() {
    [[ -n $CUR_PID ]] || return 0
    kill -TERM "$CUR_PID" 2>/dev/null || true
    for _ in $(seq 30); do
        kill -0 "$CUR_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$CUR_PID" 2>/dev/null || true
    wait "$CUR_PID" 2>/dev/null || true
    CUR_PID=""
}
trap 'stop_server; exit 130' INT TERM
trap stop_server EXIT

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

next_port() {
    local p
    for _ in $(seq 200); do
        p=$((BASE_PORT + PORT_SEQ % 200))
        PORT_SEQ=$((PORT_SEQ + 1))
        listening "$p" || { echo "$p"; return; }
    done
    echo "$BASE_PORT"
}

# start_server NAME PORT LOG: sets CUR_PID; non-zero if the server never listens.
start_server() {
    local cmd
    cmd=$(server_cmd "$1" "$2")
    bash -c "exec $SRV_PIN $cmd" >"$3" 2>&1 &
    CUR_PID=$!
    for _ in $(seq 200); do
        if listening "$2"; then
            sleep 0.3
            return 0
        fi
        kill -0 "$CUR_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "  $1 did not start listening on $2 (log $3)" >&2
    stop_server
    return 1
}

n=${#AVAILABLE[@]}
for rep in $(seq "$REPS"); do
    # The order rotates every repetition, so no server always runs first or last.
    order=()
    for i in $(seq 0 $((n - 1))); do order+=("${AVAILABLE[$(((i + rep - 1) % n))]}"); done
    for c in $CONNS; do
        for s in "${order[@]}"; do
            port=$(next_port)
            log="$LOGDIR/$s-c$c-r$rep.log"
            start_server "$s" "$port" "$log" || { echo "server=$s rep=$rep FAILED-START conns_req=$c" >>"$RAW"; continue; }
            out=$($LG_PIN "$BIN/echoload" -p "$port" -c "$c" -s "$SIZE" -d "$DUR" -w "$WARM" -t "$LG_THREADS" \
                -P "$CUR_PID" -q 2>>"$log") || true
            stop_server
            line=$(grep '^RESULT' <<<"$out") || line="RESULT conns_req=$c FAILED"
            echo "server=$s rep=$rep pin=$PIN ${line#RESULT }" >>"$RAW"
            printf 'rep %s  %-11s conns %-5s %s\n' "$rep" "$s" "$c" \
                "$(grep -o 'rtps=[0-9]*\|p99_us=[0-9.]*\|errors=[0-9]*\|srv_rss_kb=[0-9]*' <<<"$line" | tr '\n' ' ')"
        done
    done
    if [[ -z ${SKIP_IDLE:-} ]]; then
        for s in "${order[@]}"; do
            port=$(next_port)
            log="$LOGDIR/$s-idle-r$rep.log"
            start_server "$s" "$port" "$log" || continue
            out=$($LG_PIN "$BIN/echoload" -p "$port" -c "$IDLE_CONNS" -s "$SIZE" -I "$IDLE_S" -P "$CUR_PID" -q 2>>"$log") || true
            stop_server
            line=$(grep '^IDLE' <<<"$out") || line="IDLE conns_req=$IDLE_CONNS FAILED"
            echo "server=$s rep=$rep pin=$PIN ${line}" >>"$RAW"
            printf 'rep %s  %-11s idle %s\n' "$rep" "$s" \
                "$(grep -o 'conns=[0-9]*\|srv_rss_kb=[0-9]*\|per_conn_b=[0-9-]*' <<<"$line" | tr '\n' ' ')"
        done
    fi
done

"$PYTHON" "$HERE/summarize.py" "$RAW" | tee "$SUMMARY"
echo "summary -> $SUMMARY"
