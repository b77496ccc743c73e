#!/usr/bin/env bash
# What serving telemetry costs the observed program, in one run: `runviz serve` under the
# independent load generator (echoload from Benchmarks/: 64-byte messages, one in flight per
# connection) without --telemetry (plain), and with it: no viewer attached, one stuck viewer (it
# says hello and never reads), one viewer that reads everything; interleaved run by run (the machine is shared and noisy),
# at 1,000 and 10,000 connections. Per run: round trips/s and the server's CPU per round trip
# (echoload reads the server's /proc: every thread, the observer's and the endpoint's included);
# the reading viewer also gives the stream's bytes per second. Medians of REPS runs. serve's closing
# line says when the stuck viewer was cut off and what it had not received. Release build.
#
#   bash Scripts/bench-telemetry.sh            # REPS=5 DUR=5 CONNS="1000 10000"
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REPS="${REPS:-5}"
DUR="${DUR:-5}"
CONNS="${CONNS:-1000 10000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-bench-telemetry.XXXXXX")"
trap 'rm -rf "$WORK"; [[ -n ${SERVER:-} ]] && kill "$SERVER" 2>/dev/null || true; [[ -n ${VIEWER:-} ]] && kill "$VIEWER" 2>/dev/null || true' EXIT

swift build -c release --package-path "$ROOT" --product runviz >/dev/null
BIN="$(swift build -c release --package-path "$ROOT" --show-bin-path)/runviz"
ECHOLOAD="$WORK/echoload"
gcc -O2 -o "$ECHOLOAD" "$ROOT/Benchmarks/echoload/echoload.c" -lpthread
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# A viewer speaking the wire by hand: `stuck` says hello and never reads; `read` reads everything
# for SECONDS and prints the bytes per second it received.
cat >"$WORK/viewer.py" <<'PY'
import socket, struct, sys, time
port, mode, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"RUNVIZ\0A" + struct.pack("<H", 1))
if mode == "stuck":
    time.sleep(seconds)
    sys.exit(0)
total, start = 0, time.monotonic()
s.settimeout(0.5)
while time.monotonic() - start < seconds:
    try:
        chunk = s.recv(1 << 20)
    except socket.timeout:
        continue
    if not chunk:
        break
    total += len(chunk)
print(int(total / (time.monotonic() - start)))
PY

# run CONNS VARIANT: one measured run; prints "rtps cpu_us_per_rt stream_bytes_per_s".
run() {
    local conns=$1 variant=$2 port tport i
    # Both ports chosen by the kernel, read back from serve's stderr (a random port may be taken).
    local telemetry=(--telemetry 127.0.0.1:0) ready='telemetry on'
    [[ $variant == plain ]] && telemetry=() && ready='echo on'
    rm -f "$WORK/serve.err"
    "$BIN" serve --port 0 "${telemetry[@]}" >/dev/null 2>"$WORK/serve.err" &
    SERVER=$!
    for ((i = 0; i < 50; i++)); do
        grep -q "$ready" "$WORK/serve.err" 2>/dev/null && break
        sleep 0.1
    done
    port="$(grep -o 'echo on 127.0.0.1:[0-9]*' "$WORK/serve.err" | grep -o '[0-9]*$')"
    tport="$(grep -o 'telemetry on 127.0.0.1:[0-9]*' "$WORK/serve.err" | grep -o '[0-9]*$' || true)"
    sleep 0.5
    VIEWER=""
    if [[ $variant == stuck || $variant == read ]]; then
        python3 "$WORK/viewer.py" "$tport" "$variant" "$((DUR + 2))" >"$WORK/viewer.out" &
        VIEWER=$!
    fi
    local result
    result="$("$ECHOLOAD" -p "$port" -c "$conns" -d "$DUR" -w 1 -P "$SERVER" -q | grep '^RESULT')" || {
        echo "echoload failed; serve said:" >&2
        cat "$WORK/serve.err" >&2
        exit 1
    }
    if [[ -n $VIEWER ]]; then wait "$VIEWER" || true; fi
    VIEWER=""
    kill -INT "$SERVER"
    wait "$SERVER" || true
    SERVER=""
    local stream=0
    if [[ $variant == read ]]; then stream="$(cat "$WORK/viewer.out")"; fi
    if [[ $variant == stuck ]]; then grep 'telemetry:' "$WORK/serve.err" | sed 's/^/    /' >>"$WORK/stuck-lines"; fi
    awk -v stream="$stream" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
           printf "%d %.3f %d\n", v["rtps"], v["srv_cpu"] / 100 * 1e6 / v["rtps"], stream }' <<<"$result"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "runviz serve: plain (no --telemetry); --telemetry with no viewer, one stuck viewer, one reading viewer (median of $REPS interleaved runs of $DUR s, $(date -u +%F))"
printf '%-7s %-8s %10s %12s %14s\n' conns viewer "rt/s" "CPU µs/rt" "stream B/s"
for conns in $CONNS; do
    : >"$WORK/plain" && : >"$WORK/none" && : >"$WORK/stuck" && : >"$WORK/read" && : >"$WORK/stuck-lines"
    for ((r = 0; r < REPS; r++)); do
        run "$conns" plain >>"$WORK/plain"
        run "$conns" none >>"$WORK/none"
        run "$conns" stuck >>"$WORK/stuck"
        run "$conns" read >>"$WORK/read"
    done
    for variant in plain none stuck read; do
        printf '%-7s %-8s %10s %12s %14s\n' "$conns" "$variant" \
            "$(cut -d' ' -f1 "$WORK/$variant" | median)" "$(cut -d' ' -f2 "$WORK/$variant" | median)" \
            "$(cut -d' ' -f3 "$WORK/$variant" | median)"
    done
    echo "  per run, none / stuck CPU µs/rt: $(paste -d/ <(cut -d' ' -f2 "$WORK/none") <(cut -d' ' -f2 "$WORK/stuck") | tr '\n' ' ')"
    echo "  the stuck viewer, as serve reported it at exit:"
    cat "$WORK/stuck-lines"
done
