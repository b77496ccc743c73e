#!/usr/bin/env bash
# End-to-end test of the live dashboard: runs `runviz launch` inside a detached tmux session, presses
# keys with `tmux send-keys`, and reads the screen back with `tmux capture-pane`.
#
#   usage: bash Tests/e2e/dashboard.sh path/to/runviz
#
# Scenario 1 (120×40, UTF-8): every panel title; s spawns a demo- task; b blocks a worker (BLOCKED,
# then free again); c adds 10 synthetic clients (count and open connections +10); with `runviz load`
# attached, b leaves the other worker serving every reply (the demo caption says so) and b again
# stalls both (caption and Echo: replies waiting), the load exiting 0; ? opens the help
# (lines for b and q), Esc closes it; space pauses (PAUSED, the frame freezes), space resumes; a runs
# the join demo (concurrent < sequential); `runviz load` from a second "terminal" adds 200
# connections and 200 registered fds, exits 0, and they go away again; resizing to 70×20 shows the
# centred "terminal too small" message, back to 120×40 the panels return; q exits 0 with the terminal
# restored (alternate screen left, cursor visible).
# Scenario 2 (80×24, LC_ALL=C): the compact layout shows every panel, in plain ASCII; q exits 0.
# Scenario 3 (installed): runviz copied alone into an empty folder and started from another one
# (nothing of the checkout beside it): L shows a lesson's real text, → and ← move to the next and the
# previous lesson; then --lessons with a folder whose lesson 04 was edited shows the edit.
#
# Bounded in time: every wait polls the screen with its own deadline, and the whole run stops at
# BUDGET seconds. Prints "dashboard: N passed, M failed"; exits 1 on the first failure, after
# printing the last screen it saw. Needs bash ≥ 5 (EPOCHREALTIME) and tmux ≥ 3.1 (resize-window).

set -euo pipefail
source "$(dirname "$0")/lib.sh"
e2e_init dashboard
e2e_binary "$@"
e2e_need tmux ps
E2E_LOGS=("load.out")
tmux_server

readonly BUDGET=85 # seconds for the whole script (the brief: under 90)
LOAD_PID=""
START_US=${EPOCHREALTIME/./}
now_ms() { local us=${EPOCHREALTIME/./}; echo $(((us - START_US) / 1000)); }

# The pane's shell, then runviz: runviz names its stderr log after its pid.
PANE_PIDS=()
note_pane_pid() {
    note_pid "$1"
    PANE_PIDS+=("$1")
}

# runviz's stderr log, when a check fails.
on_fail() {
    local pid
    for pid in "${PANE_PIDS[@]}"; do
        if [[ -s /tmp/runviz-launch.$pid.log ]]; then
            echo "--- stderr of runviz (/tmp/runviz-launch.$pid.log):"
            tail -n 30 "/tmp/runviz-launch.$pid.log"
        fi
    done
}

# runviz removes its (empty) stderr log when it quits normally, not when it is hung up on.
on_exit() {
    local pid
    for pid in "${PANE_PIDS[@]}"; do
        if [[ -f /tmp/runviz-launch.$pid.log && ! -s /tmp/runviz-launch.$pid.log ]]; then
            rm -f "/tmp/runviz-launch.$pid.log"
        fi
    done
}

# The first number captured by the regex's first group (thousands separators removed), or "".
number() {
    if [[ $SCREEN =~ $1 ]]; then echo "${BASH_REMATCH[1]//,/}"; else echo ""; fi
}

# wait_until SECONDS DESCRIPTION PREDICATE [ARGS...]: capture every 100 ms until the predicate holds.
# Fails when the time is up, when the whole budget is spent, or when runviz exited under our feet.
EXPECT_EXIT=0
wait_until() {
    local limit_ms=$(($1 * 1000)) what=$2
    shift 2
    local deadline=$(($(now_ms) + limit_ms))
    while :; do
        capture
        if "$@"; then return 0; fi
        if ((EXPECT_EXIT == 0)) && has '^RUNVIZ-EXITED [0-9]+'; then
            fail "runviz exited while waiting for: $what"
        fi
        local now
        now=$(now_ms)
        ((now < BUDGET * 1000)) || fail "time budget of ${BUDGET} s spent while waiting for: $what"
        ((now < deadline)) || fail "not within $((limit_ms / 1000)) s: $what"
        sleep 0.1
    done
}

# start_launch WIDTH HEIGHT PORT [ENV...]: a fresh session running `runviz launch` with 5 synthetic
# clients; the shell prints RUNVIZ-EXITED and the status when runviz returns. LAUNCH_BIN, LAUNCH_DIR
# and LAUNCH_FLAGS, when set, name another binary, the folder it starts in and more flags.
start_launch() {
    WIDTH=$1 HEIGHT=$2
    local port=$3
    shift 3
    local env_words="" command
    if (($# > 0)); then env_words="env $(printf '%q ' "$@")"; fi
    command="${env_words}$(printf '%q' "${LAUNCH_BIN:-$BIN}") launch --port $port --clients 5 ${LAUNCH_FLAGS:-}"
    command+="; echo RUNVIZ-EXITED \$?; sleep 60"
    "${TM[@]}" kill-session -t "$SESSION" 2>/dev/null || true
    "${TM[@]}" new-session -d -s "$SESSION" -c "${LAUNCH_DIR:-$PWD}" -x "$WIDTH" -y "$HEIGHT" "$command" </dev/null
    note_pane_pid "$("${TM[@]}" display-message -p -t "$SESSION" '#{pane_pid}')"
}

# Records runviz's pid (the pane shell's child) once it runs, for its log file and for cleanup.
note_runviz_pid() {
    local child
    for child in $(ps -o pid= --ppid "${PANE_PIDS[-1]}" 2>/dev/null); do note_pane_pid "$child"; done
}

panels_shown() {
    has 'Workers [0-9]+' && has 'Ready queue [0-9]' && has 'Parked tasks [0-9]' &&
        has 'Registered fds [0-9,]+ \(epoll' && has 'Wakeups per second' && has "Echo server 127\.0\.0\.1:$PORT"
}
first_frame_or_exit() { panels_shown || has '^RUNVIZ-EXITED [0-9]+'; }

# q quits; the shell line runs, and the terminal is back: alternate screen off, cursor visible.
quit_and_check_exit() {
    key q
    EXPECT_EXIT=1
    wait_until 5 "RUNVIZ-EXITED after q" has '^RUNVIZ-EXITED [0-9]+'
    EXPECT_EXIT=0
    local status
    status=$(number 'RUNVIZ-EXITED ([0-9]+)')
    [[ $status == 0 ]] || fail "runviz exited with status $status after q (expected 0)"
    pass "$1: q quits with status 0"
    local alternate cursor
    alternate="$("${TM[@]}" display-message -p -t "$SESSION" '#{alternate_on}')"
    cursor="$("${TM[@]}" display-message -p -t "$SESSION" '#{cursor_flag}')"
    [[ $alternate == 0 ]] || fail "the terminal is still on the alternate screen after q"
    [[ $cursor == 1 ]] || fail "the cursor is still hidden after q"
    lacks 'Workers [0-9]+' || fail "the dashboard is still on the screen after q"
    pass "$1: terminal restored (alternate screen left, cursor visible)"
    "${TM[@]}" kill-session -t "$SESSION" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------------
echo "dashboard: $BIN"
echo "dashboard: scenario 1: 120x40, UTF-8"

PORT=""
for attempt in 1 2 3; do
    PORT=$(free_port)
    start_launch 120 40 "$PORT" LC_ALL=C.UTF-8
    EXPECT_EXIT=1
    wait_until 20 "first frame of the dashboard" first_frame_or_exit
    EXPECT_EXIT=0
    if panels_shown; then break; fi
    # runviz exited before drawing: retry only if another process took the port in between.
    if ! has 'in use' || ((attempt == 3)); then
        fail "runviz launch --port $PORT exited before drawing the dashboard"
    fi
    echo "dashboard: port $PORT was taken meanwhile; trying another"
done
note_runviz_pid
for title in 'Workers [0-9]+' 'Ready queue [0-9]' 'Parked tasks [0-9]' 'Registered fds [0-9,]+ \(epoll' \
    'Wakeups per second' 'Echo server 127\.0\.0\.1:'"$PORT"; do
    has "$title" || fail "panel title /$title/ missing"
    pass "panel title /$title/ shown"
done

# s: one task named demo-N, parked on its timer for at least 200 ms.
key s
wait_until 3 "a demo- task after s" has 'demo-[0-9]+'
pass "s spawns a demo- task"

# b: a task that calls usleep(2 s) on a worker: its row reads BLOCKED, then the worker is free again.
worker_blocked() { has '^W[0-9]+ +[^ ]+ +BLOCKED +t[0-9]+ blocker'; }
worker_unblocked() { lacks 'BLOCKED +t[0-9]+ blocker'; }
key b
wait_until 2 "a worker row reading BLOCKED by the blocker task after b" worker_blocked
pass "b blocks a worker (row reads BLOCKED)"
wait_until 6 "the blocked worker free again (usleep is 2 s)" worker_unblocked
pass "the worker is free again after the 2 s block"

# c: 10 more synthetic clients, and 10 more open connections on the server.
echo_numbers() {
    CLIENTS=$(number '· c/C clients ([0-9,]+)')
    CONNS=$(number 'conns ([0-9,]+) open')
    FDS=$(number 'Registered fds ([0-9,]+)')
    [[ -n $CLIENTS && -n $CONNS && -n $FDS ]]
}
settled() { echo_numbers && ((CONNS == CLIENTS)); }
wait_until 5 "the Echo panel's numbers (open connections = synthetic clients)" settled
clients0=$CLIENTS conns0=$CONNS
key c
clients_added() { echo_numbers && ((CLIENTS == clients0 + 10 && CONNS == conns0 + 10)); }
wait_until 5 "synthetic clients $clients0 -> $((clients0 + 10)) and open connections $conns0 -> $((conns0 + 10))" \
    clients_added
pass "c adds 10 clients (synthetic clients $clients0 -> $CLIENTS, open connections $conns0 -> $CONNS)"

# b with the default two workers and `runviz load` attached: one b leaves the other worker serving
# every reply, and the demo caption says so; b again while it blocks takes that worker too: the caption
# reads every worker BLOCKED with replies waiting, Echo shows them waiting, both rows read BLOCKED.
wait_until 5 "the Echo panel's numbers before b under load" settled
conns0=$CONNS
"$BIN" load --connect "127.0.0.1:$PORT" --clients 50 --rate 20 --duration 8 >"$WORK/load-b.out" 2>&1 </dev/null &
LOAD_PID=$!
note_pid "$LOAD_PID"
load_b_conns() { echo_numbers && ((CONNS >= conns0 + 50)); }
wait_until 3 "open connections $conns0 -> at least $((conns0 + 50)) under runviz load" load_b_conns
key b
one_held() {
    has '^b: W([0-9]+) BLOCKED( in usleep [0-9.]+ [^ ]+)?; W[0-9]+ serves every reply · b again blocks W[0-9]+ too' &&
        [[ $(grep -cE '^W[0-9]+ +[^ ]+ +BLOCKED +t[0-9]+ blocker' <<<"$SCREEN") == 1 ]]
}
wait_until 2 "one worker BLOCKED and the caption naming the worker that serves every reply" one_held
pass "b under load: $(grep -oE '^b: .*' <<<"$SCREEN")"
key b
stalled() {
    has '^b: every worker BLOCKED[^·]* · [0-9,]+ repl(y|ies) waiting, oldest [0-9.]+ [^ ]+' &&
        has 'fd ready → reply .*[0-9,]+ waiting, oldest' &&
        [[ $(grep -cE '^W[0-9]+ +[^ ]+ +BLOCKED +t[0-9]+ blocker' <<<"$SCREEN") == 2 ]]
}
wait_until 2 "both workers BLOCKED, the caption and Echo showing replies waiting" stalled
pass "b again stalls: $(grep -oE '^b: .*' <<<"$SCREEN")"
wait_until 6 "both workers free again after the blockers' 2 s" worker_unblocked
load_b_finished() { ! kill -0 "$LOAD_PID" 2>/dev/null; }
wait_until 12 "runviz load (--duration 8) to finish" load_b_finished
load_status=0
wait "$LOAD_PID" || load_status=$?
LOAD_PID=""
((load_status == 0)) || fail "runviz load during b b exited with status $load_status (every echo verified)"
pass "runviz load during b b exits 0: every echoed byte verified ($(grep -E '^round trips:' "$WORK/load-b.out" | tr -s ' '))"

# ?: the help overlay with every key; Esc closes it.
key '?'
help_open() { has 'Keys' && has 'b +block a worker' && has 'q / Ctrl-C +quit' && has 'Esc or \? closes'; }
wait_until 2 "the help overlay after ?" help_open
pass "? opens the help (Keys box, lines for b and for q)"
key Escape
help_closed() { lacks 'block a worker' && lacks 'Esc or \? closes' && has 'Workers [0-9]+'; }
wait_until 2 "the help overlay gone after Esc" help_closed
pass "Esc closes the help"

# space: PAUSED in the header and the frame holds still (uptime frozen); space again resumes.
shown_uptime() { number 'up ([0-9]+:[0-9]+:[0-9]+)'; }
key Space
wait_until 2 "PAUSED in the header after space" has '^runviz PAUSED'
pass "space pauses (PAUSED in the header)"
paused_at=$(shown_uptime)
hold_until=$(($(now_ms) + 1500))
while (($(now_ms) < hold_until)); do
    capture
    [[ $(shown_uptime) == "$paused_at" ]] || fail "the view changed while paused (uptime $paused_at -> $(shown_uptime))"
    sleep 0.1
done
pass "the paused view holds still for 1.5 s (uptime stays $paused_at)"
key Space
resumed() { lacks 'PAUSED' && [[ $(shown_uptime) != "$paused_at" ]]; }
wait_until 3 "PAUSED gone and the uptime moving after space again" resumed
pass "space again resumes (PAUSED gone, uptime moves on)"

# a: async let of 300 ms and 500 ms sleeps (≈ max), then sequentially (≈ sum).
to_ms() { # "501 ms" / "1.2 s" / "850 µs" → milliseconds
    awk -v v="$1" -v u="$2" 'BEGIN { f = (u == "s") ? 1000 : (u == "ms") ? 1 : (u == "ns") ? 1e-6 : 1e-3; print v * f }'
}
join_done() { # the demo's caption ("501 ms ≈ max · …: 802 ms ≈ sum") or its result line ("(≈ max)")
    [[ $SCREEN =~ \ ([0-9.]+)\ ([^ ]*s)\ \(?≈\ max.*\ ([0-9.]+)\ ([^ ]*s)\ \(?≈\ sum ]] || return 1
    CONCURRENT_MS=$(to_ms "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
    SEQUENTIAL_MS=$(to_ms "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}")
}
key a
wait_until 5 "both elapsed times of the join demo after a" join_done
awk -v c="$CONCURRENT_MS" -v s="$SEQUENTIAL_MS" 'BEGIN { exit !(c >= 450 && s >= 750 && c < s) }' ||
    fail "join demo: concurrent $CONCURRENT_MS ms, sequential $SEQUENTIAL_MS ms (want ≈500 < ≈800)"
pass "a: join demo concurrent ${CONCURRENT_MS} ms < sequential ${SEQUENTIAL_MS} ms"
# Its children, sighted on the global executor as child tasks: no handle of their own, their parent
# awaited them (not "not awaited yet").
join_children_done() { (($(grep -Ec 'async let +done .*awaited by parent' <<<"$SCREEN") == 2)); }
wait_until 3 "the join demo's two async let children done, awaited by their parent" join_children_done
pass "a: both async let children read done, awaited by parent"

# A second "terminal": runviz load with 200 clients for 3 s against the same server, each paced at
# 20 messages a second: real load, within what a debug build's observer takes in without dropping
# events (the fd panel is built from events; a dropped deregistration would leave an fd on it).
wait_until 5 "the Echo panel's numbers before the load" settled
conns0=$CONNS fds0=$FDS
"$BIN" load --connect "127.0.0.1:$PORT" --clients 200 --rate 20 --duration 3 >"$WORK/load.out" 2>&1 </dev/null &
LOAD_PID=$!
note_pid "$LOAD_PID"
load_conns() { echo_numbers && ((CONNS >= conns0 + 200)); }
load_fds() { echo_numbers && ((FDS >= fds0 + 200)); }
wait_until 2 "open connections $conns0 -> at least $((conns0 + 200)) under runviz load" load_conns
pass "runviz load: open connections reach $CONNS (from $conns0) within 2 s"
wait_until 1 "registered fds $fds0 -> at least $((fds0 + 200)) under runviz load" load_fds
pass "runviz load: Registered fds title reaches $FDS (from $fds0)"
load_finished() { ! kill -0 "$LOAD_PID" 2>/dev/null; }
wait_until 15 "runviz load (--duration 3) to finish" load_finished
load_status=0
wait "$LOAD_PID" || load_status=$?
LOAD_PID=""
((load_status == 0)) || fail "runviz load exited with status $load_status"
grep -q 'connected: *200/200 clients' "$WORK/load.out" || fail "runviz load did not connect 200/200 clients"
pass "runviz load exits 0 ($(grep -E '^round trips:' "$WORK/load.out" | tr -s ' '))"
load_gone() { echo_numbers && ((CONNS == conns0 && FDS == fds0)); }
wait_until 5 "open connections back to $conns0 and registered fds back to $fds0 after the load" load_gone
pass "after the load: open connections back to $CONNS, registered fds back to $FDS"

# Too small: the centred message; back to full size: the panels.
too_small() { has 'terminal too small: 70[^ ]+20, need 80[^ ]+24' && has 'resize it, or press q to quit'; }
"${TM[@]}" resize-window -t "$SESSION" -x 70 -y 20
WIDTH=70 HEIGHT=20
wait_until 3 "the 'terminal too small' message at 70x20" too_small
row=0 line=""
while IFS= read -r candidate; do
    if [[ $candidate == *"terminal too small"* ]]; then line=$candidate; break; fi
    row=$((row + 1))
done <<<"$SCREEN"
line=${line//×/x}             # one column either way, whatever this shell's locale
text=${line#"${line%%[! ]*}"} # without the leading spaces
left=$((${#line} - ${#text}))
text=${text%"${text##*[! ]}"} # without trailing spaces
want=$(((70 - ${#text}) / 2))
((left >= want - 1 && left <= want + 1)) ||
    fail "'terminal too small' not centred horizontally: starts at column $left, expected $want"
((row >= 20 / 2 - 2 && row <= 20 / 2)) || fail "'terminal too small' not centred vertically: row $row of 20"
pass "70x20: centred 'terminal too small: 70x20, need 80x24' (row $row, column $left)"
"${TM[@]}" resize-window -t "$SESSION" -x 120 -y 40
WIDTH=120 HEIGHT=40
wait_until 3 "every panel back at 120x40" panels_shown
pass "120x40 again: every panel is back"

quit_and_check_exit "scenario 1"

# ---------------------------------------------------------------------------------------------------
echo "dashboard: scenario 2: 80x24 (compact layout), LC_ALL=C (ASCII)"
start_launch 80 24 0 LC_ALL=C
compact_shown() {
    has 'Workers [0-9]+' && has 'Ready queue [0-9]' && has 'Parked tasks [0-9]' &&
        has 'Registered fds [0-9,]+ \(epoll' && has 'Wakeups per second' &&
        has '^echo (tasks|threads) [^ ]+ [0-9,]+ conns' && has '^q quit'
}
wait_until 20 "the compact dashboard at 80x24" compact_shown
note_runviz_pid
for title in 'Workers [0-9]+' 'Ready queue [0-9]' 'Parked tasks [0-9]' 'Registered fds [0-9,]+ \(epoll' \
    'Wakeups per second' '^echo (tasks|threads) [^ ]+ [0-9,]+ conns' '^process threads' '^q quit'; do
    has "$title" || fail "80x24: /$title/ missing"
    pass "80x24: /$title/ shown"
done
if LC_ALL=C grep -nq '[^ -~]' <<<"$SCREEN"; then
    fail "80x24 with LC_ALL=C: non-ASCII characters on the screen: $(LC_ALL=C grep -n '[^ -~]' <<<"$SCREEN" | head -3)"
fi
pass "80x24 with LC_ALL=C: the screen is plain ASCII"
quit_and_check_exit "scenario 2"

# ---------------------------------------------------------------------------------------------------
echo "dashboard: scenario 3: runviz copied alone into an empty folder, started from another (lessons built in)"
mkdir -p "$WORK/installed" "$WORK/elsewhere"
cp "$BIN" "$WORK/installed/runviz"
LAUNCH_BIN="$WORK/installed/runviz" LAUNCH_DIR="$WORK/elsewhere"
start_launch 120 40 0 LC_ALL=C.UTF-8
wait_until 20 "the dashboard of the copied runviz" has 'Workers [0-9]+'
note_runviz_pid
# The focused panel is Workers: L opens its lesson, 04 (the runtime), docked beside the dashboard.
key L
# The whole frame: its title, first line and footer (a capture can fall while a frame is drawn).
lesson_04() {
    has '04 · The runtime · 4/15' && has 'A runtime is what runs async code:' && has '· ←→ lessons · Esc closes'
}
wait_until 3 "lesson 04's title, first line and footer after L" lesson_04
lacks 'was not loaded' || fail "the copied runviz says a lesson was not loaded"
pass "installed: L shows lesson 04's text (\"A runtime is what runs async code:\")"
pass "docked at 120 columns: the footer reads whole ($(grep -Eo '[0-9]+-[0-9]+/[0-9]+ · ←→ lessons · Esc closes' <<<"$SCREEN" | head -1))"
key Right
lesson_05() { has '05 · join: concurrent awaits' && has 'Two independent waits done one after'; }
wait_until 3 "lesson 05 after the right arrow" lesson_05
pass "installed: the right arrow moves to lesson 05 (join)"
# The rest of lesson 05's frame may still be drawing when its title shows: the code line is waited for.
lesson_05_code() { has '^ {0,80}.*│     \.milliseconds\(300\)\) +│$'; }
wait_until 3 "lesson 05's code line wrapped at the dock's edge, not cut" lesson_05_code
pass "docked at 120 columns: lesson 05's code wraps under an indent (.milliseconds(300)) on a line of its own)"
key Left Left
lesson_03() { has '03 · Futures are lazy · 3/15' && has 'In Rust, let f = foo\(\); builds a'; }
wait_until 3 "lesson 03 after the left arrow twice" lesson_03
pass "installed: the left arrow twice moves back to lesson 03 (futures are lazy)"
quit_and_check_exit "scenario 3"

cp -R "$(dirname "$0")/../../Assets/lessons" "$WORK/edited"
sed -i 's/^A runtime is what runs async code:/EDITED: a runtime runs async code:/' "$WORK/edited/04-the-runtime.md"
LAUNCH_FLAGS="--lessons $(printf '%q' "$WORK/edited")"
start_launch 120 40 0 LC_ALL=C.UTF-8
wait_until 20 "the dashboard with --lessons" has 'Workers [0-9]+'
note_runviz_pid
key L
wait_until 3 "the edited line of lesson 04 with --lessons" has 'EDITED: a runtime runs async code:'
pass "--lessons DIR: L shows the folder's edited lesson 04"
quit_and_check_exit "scenario 3, --lessons"
LAUNCH_BIN="" LAUNCH_DIR="" LAUNCH_FLAGS=""

echo "dashboard: done in $(($(now_ms) / 1000)) s"
e2e_done
