#!/usr/bin/env bash
# End-to-end guard for the numbers on screen: the real `runviz launch` in a detached tmux session,
# known paced loads from `runviz load` (its own epoll loop, not the runtime), and the dashboard's
# figures compared with the load generator's own.
#
#   usage: bash Tests/e2e/numbers.sh path/to/runviz
#
# Task mode (2 workers): during a paced load the Echo panel's round trips/s agrees with the load
# generator's rate within 5 %, open connections and registered fds are exact, the header's task
# count agrees within 5 %; after the load everything returns to baseline (0 round trips/s, no
# connection, the listener alone registered). Thread mode (`t`): the same for connections served by
# threads. A stall (1 worker, `b`): while the worker is blocked the screen reads it BLOCKED with
# replies waiting behind it, the blocked second reads 0 round trips/s, and afterwards the rate
# comes back.
#
# Bounded in time: every wait polls the screen with its own deadline. Prints "numbers: N passed, 0
# failed"; exits 1 on the first failure, after printing the last screen it saw.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
e2e_init numbers
e2e_binary "$@"
e2e_need tmux
E2E_LOGS=("load.out")
PORT=""
LOAD_PID=""

# A number as the dashboard prints it: "950", "1,234", "2.0k", "1.2M".
to_number() {
    local text=${1//,/}
    case $text in
        *k) awk -v v="${text%k}" 'BEGIN { printf "%d", v * 1000 }' ;;
        *M) awk -v v="${text%M}" 'BEGIN { printf "%d", v * 1000000 }' ;;
        *) echo "$text" ;;
    esac
}

# The number before " round trips/s", "conns N open", "Registered fds N", the header's "tasks N".
round_trips() { to_number "$(grep -Eo '[0-9.,]+[kM]? round trips/s' <<<"$SCREEN" | head -1 | cut -d' ' -f1)"; }
open_conns() { grep -Eo 'conns [0-9,]+ open' <<<"$SCREEN" | head -1 | tr -dc '0-9'; }
registered_fds() { grep -Eo 'Registered fds [0-9,]+' <<<"$SCREEN" | head -1 | tr -dc '0-9'; }
header_tasks() { sed -n 2p <<<"$SCREEN" | grep -Eo '^tasks [0-9,]+' | tr -dc '0-9'; }

# within A B PERCENT: |A − B| ≤ PERCENT % of B.
within() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= b * p / 100) }'; }

LAUNCHES=0
launch() {
    LAUNCHES=$((LAUNCHES + 1))
    tmux_server "$LAUNCHES"
    "${TM[@]}" new-session -d -s "$SESSION" -x 120 -y 40 "$BIN launch --port 0 --clients 0 $*"
    wait_for 20 'Echo server 127\.0\.0\.1:[0-9]+' || fail "launch $* shows its echo server"
    PORT="$(grep -Eo 'Echo server 127\.0\.0\.1:[0-9]+' <<<"$SCREEN" | head -1 | cut -d: -f2)"
}

# load CLIENTS RATE SECONDS: starts a paced load in the background.
load() {
    "$BIN" load --connect "127.0.0.1:$PORT" --clients "$1" --rate "$2" --duration "$3" >"$WORK/load.out" 2>&1 &
    LOAD_PID=$!
    note_pid "$LOAD_PID"
}

finish_load() {
    wait "$LOAD_PID" || fail "runviz load exits 0"
    LOAD_PID=""
}

# The load generator's own rate once every client was connected.
load_rate() { grep -Eo '[0-9,]+ rt/s from then on' "$WORK/load.out" | tr -dc '0-9'; }

# steady_rate N: the mean of N screen readings of round trips/s, one a second. One reading covers
# one second, and a paced load arrives in ten bursts a second, so a single second can read ±10 %.
steady_rate() {
    local rates=() i
    for ((i = 0; i < $1; i++)); do
        sleep 1
        capture
        rates+=("$(round_trips)")
    done
    printf '%s\n' "${rates[@]}" | awk '{ sum += $1 } END { printf "%d", sum / NR }'
}

# agrees_with_load WHAT CLIENTS: during the load, exact connections and fds, tasks and rate within 5 %.
agrees_with_load() {
    local what=$1 clients=$2
    wait_for 10 "conns $clients open" || fail "$what: $clients open connections"
    pass "$what: conns $clients open (the load generator's clients)"
    sleep 1 # the second in which they connected is not a steady one
    local mean
    mean="$(steady_rate 5)"
    capture
    if [[ $what == tasks ]]; then
        [[ "$(registered_fds)" == "$((clients + 1))" ]] || fail "$what: $((clients + 1)) registered fds"
        pass "$what: Registered fds $((clients + 1)) (connections and the listener)"
        within "$(header_tasks)" "$((clients + 1))" 5 || fail "$what: tasks $(header_tasks) ≈ $((clients + 1))"
        pass "$what: tasks $(header_tasks) ≈ $((clients + 1))"
    fi
    finish_load
    local rate
    rate="$(load_rate)"
    within "$mean" "$rate" 5 || fail "$what: round trips/s $mean within 5 % of the load generator's $rate"
    pass "$what: round trips/s $mean (mean of 5 s) within 5 % of the load generator's $rate"
    wait_for 5 '(^|[^0-9.,k])0 round trips/s' || fail "$what: round trips/s falls to 0 after the load"
    wait_for 5 'conns 0 open' || fail "$what: no open connection after the load"
    pass "$what: after the load, 0 round trips/s and conns 0 open"
}

echo "numbers: task mode, 2 workers, 200 clients at 10/s"
launch --workers 2
load 200 10 9
agrees_with_load tasks 200
[[ "$(registered_fds)" == 1 ]] || { wait_for 3 'Registered fds 1 ' || fail "only the listener stays registered"; }
pass "tasks: Registered fds 1 after the load"

echo "numbers: thread mode (t), 100 clients at 10/s"
key t
wait_for 5 'threads: one per connection' || fail "t switches to thread mode"
load 100 10 9
agrees_with_load threads 100

echo "numbers: a stall, 1 worker, b"
launch --workers 1
load 100 10 9
wait_for 10 'conns 100 open' || fail "stall: 100 open connections"
sleep 2
capture
(($(round_trips) > 0)) || fail "stall: traffic before the block"
key b
# While the block lasts, one screen shows the worker BLOCKED and the replies waiting behind it.
wait_for 2 'W0 ■ BLOCKED' || fail "stall: W0 reads BLOCKED"
wait_for 2 'waiting, oldest [0-9.]+ (ms|s)' || fail "stall: replies waiting, with the oldest wait"
grep -Eq 'W0 ■ BLOCKED' <<<"$SCREEN" || fail "stall: W0 BLOCKED beside the replies waiting"
pass "stall: W0 BLOCKED and '$(grep -Eo '[0-9,]+ waiting, oldest [0-9.]+ m?s' <<<"$SCREEN" | head -1)'"
# Rates are per whole second: the first second wholly inside the 2 s block reads 0, and it is
# published when that second ends, which may be the instant the block ends.
wait_for 3 '(^|[^0-9.,k])0 round trips/s' || fail "stall: round trips/s reads 0 for the blocked second"
pass "stall: 0 round trips/s for the second the only worker was blocked"
wait_for 5 '[1-9][0-9.,]*k? round trips/s' || fail "stall: the rate comes back after the block"
pass "stall: round trips/s back after the block"
finish_load
key q 2>/dev/null || true
e2e_done
