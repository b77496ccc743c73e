#!/usr/bin/env bash
# End-to-end guard for concept 1's figures: the Echo panel's "per conn" row of the real
# `runviz launch` (a detached tmux session), checked against the /proc/PID/status change this
# script reads itself around the arrival of `runviz load`'s clients.
#
#   usage: bash Tests/e2e/memory.sh path/to/runviz          (HISTORY=60 seconds of history by default)
#
# Task mode: 200 clients connect at once; the screen's task figure and VmRSS's growth over them,
# divided by 200, agree within 15 % + 256 B. Thread mode (`t`): 200 more, the tasks still connected;
# the thread figure against VmRSS the same way, its virtual figure against VmSize's growth within
# 5 %. The script reads VmRSS before the clients start and as soon as the screen shows them all
# open; the screen's step ends at the first frame after they stopped arriving. Between the two the
# process goes on growing by what the running load records (about 450 KB/s into the history at 200
# clients' 200 round trips/s), up to a frame or two of it, so ~0.2–0.5 KiB per connection, about
# 10 % of a task's: hence 15 % + 256 B. A thread's virtual growth is mostly its stack and arenas,
# mapped when it starts, hence 5 %. Then, while the 400 clients keep going and HISTORY seconds of
# history fill, both figures must not move at all: nothing connects, so nothing may change them.
#
# Bounded in time: every wait polls the screen with its own deadline. Prints "memory: N passed, 0
# failed"; exits 1 on the first failure, after printing the last screen it saw.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
e2e_init memory
e2e_binary "$@"
e2e_need tmux
HISTORY="${HISTORY:-60}"
[[ $HISTORY =~ ^[0-9]+$ && $HISTORY -ge 5 ]] || { echo "memory: HISTORY must be 5 or more seconds" >&2; exit 2; }
E2E_LOGS=("load-*.out")
E2E_POLL=0.1 # VmRSS is read as soon as the screen shows the clients: a late look adds growth
tmux_server

# status FIELD: VmRSS or VmSize of the server, in bytes.
status() { awk -v f="$1:" '$1 == f { printf "%.0f", $2 * 1024 }' "/proc/$PID/status"; }

# bytes "5.2 KiB": the screen's figure in bytes.
bytes() {
    awk -v n="${1% *}" -v u="${1#* }" 'BEGIN {
        m = u == "B" ? 1 : u == "KiB" ? 1024 : u == "MiB" ? 1048576 : u == "GiB" ? 1073741824 : 0
        printf "%.0f", n * m }'
}

# within SCREEN PROC PERCENT SLACK: |SCREEN − PROC| ≤ PERCENT % of PROC + SLACK bytes.
within() {
    awk -v a="$1" -v b="$2" -v p="$3" -v s="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= b * p / 100 + s) }'
}

cost_row() { grep -Eo 'per conn:.*' <<<"$SCREEN" | head -1 | sed 's/[│ ]*$//'; }

# load NAME CLIENTS: CLIENTS connect at once and send a message a second each until the end.
load() {
    "$BIN" load --connect "127.0.0.1:$PORT" --clients "$2" --rate 1 --duration $((HISTORY + 60)) \
        >"$WORK/load-$1.out" 2>&1 &
    note_pid $!
}

echo "memory: launch with no clients and $HISTORY s of history"
"${TM[@]}" new-session -d -s "$SESSION" -x 120 -y 40 "$BIN launch --port 0 --clients 0 --history $HISTORY"
wait_for 20 'Echo server 127\.0\.0\.1:[0-9]+' || fail "launch shows its echo server"
PORT="$(grep -Eo 'Echo server 127\.0\.0\.1:[0-9]+' <<<"$SCREEN" | head -1 | cut -d: -f2)"
PID="$("${TM[@]}" display -p -t "$SESSION" '#{pane_pid}')"
[[ "$(cat "/proc/$PID/comm")" == runviz ]] || fail "the pane's process $PID is runviz"
wait_for 5 'per conn: add 100\+ clients at once' || fail "no figure before any step"
pass "before any client: '$(cost_row)'"

echo "memory: 200 clients served by tasks"
sleep 1
before="$(status VmRSS)"
load tasks 200
wait_for 10 'conns 200 open' || fail "200 open connections"
after="$(status VmRSS)"
wait_for 5 'per conn: task [0-9.]+ [KM]?i?B' || fail "a task figure once 200 connected"
screen_task="$(bytes "$(grep -Eo 'per conn: task [0-9.]+ [KMG]?i?B' <<<"$SCREEN" | head -1 | cut -d' ' -f4-5)")"
proc_task=$(((after - before) / 200))
within "$screen_task" "$proc_task" 15 256 ||
    fail "task: screen $screen_task B per connection, VmRSS $proc_task B (within 15 % + 256 B)"
pass "task: screen $screen_task B per connection, VmRSS +$(((after - before) / 1024)) kB / 200 = $proc_task B"
grep -Eq 'thread: press t, add 100\+ at once' <<<"$SCREEN" || fail "the thread side says how to measure it"
pass "task mode: '$(cost_row)'"

echo "memory: t, then 200 more clients served by threads"
key t
wait_for 5 'threads: one per connection' || fail "t switches to thread mode"
grep -Eq 'thread: add 100\+ at once' <<<"$SCREEN" || { wait_for 3 'thread: add 100\+ at once' || fail "thread hint"; }
sleep 1
before="$(status VmRSS)"
before_virtual="$(status VmSize)"
load threads 200
wait_for 10 'conns 400 open' || fail "400 open connections"
after="$(status VmRSS)"
after_virtual="$(status VmSize)"
wait_for 5 'thread [0-9.]+ [KM]?i?B \+ [0-9.]+ [MG]iB virtual' || fail "a thread figure once 200 more connected"
figures="$(grep -Eo 'thread [0-9.]+ [KMG]?i?B \+ [0-9.]+ [KMG]?i?B virtual' <<<"$SCREEN" | head -1)"
screen_thread="$(bytes "$(cut -d' ' -f2-3 <<<"$figures")")"
screen_virtual="$(bytes "$(cut -d' ' -f5-6 <<<"$figures")")"
proc_thread=$(((after - before) / 200))
proc_virtual=$(((after_virtual - before_virtual) / 200))
within "$screen_thread" "$proc_thread" 15 256 ||
    fail "thread: screen $screen_thread B per connection, VmRSS $proc_thread B (within 15 % + 256 B)"
pass "thread: screen $screen_thread B per connection, VmRSS +$(((after - before) / 1024)) kB / 200 = $proc_thread B"
within "$screen_virtual" "$proc_virtual" 5 0 ||
    fail "thread: screen $screen_virtual B virtual per connection, VmSize $proc_virtual B (within 5 %)"
pass "thread: screen $screen_virtual B virtual per connection, VmSize $proc_virtual B"
grep -Eq 'per conn: task [0-9.]+ [KMG]?i?B · thread [0-9.]+' <<<"$SCREEN" || fail "task and thread side by side"
row="$(cost_row)"
pass "thread mode: '$row'"

echo "memory: the figures hold while $HISTORY s of history fill (400 clients, 400 round trips/s)"
first_rss="$(status VmRSS)"
deadline=$((SECONDS + HISTORY + 2))
while ((SECONDS < deadline)); do
    sleep 2
    capture
    [[ "$(cost_row)" == "$row" ]] || fail "the row holds: '$(cost_row)' after '$row'"
done
wait_for 5 "history ($((HISTORY - 1))|$HISTORY) s" || fail "$HISTORY s of history held"
grep -Eq '[1-9][0-9.,]*k? round trips/s' <<<"$SCREEN" || fail "the clients kept the history filling"
pass "'$row' for $HISTORY s while the process grew $((($(status VmRSS) - first_rss) / 1024)) kB"
key q 2>/dev/null || true
e2e_done
