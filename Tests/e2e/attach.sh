#!/usr/bin/env bash
# End-to-end test of attaching to a running program, on the real binary in a detached tmux server.
#
#   usage: bash Tests/e2e/attach.sh path/to/runviz
#
# `runviz serve --telemetry SOCKET` runs headless in one window; `runviz attach SOCKET` in another
# draws its dashboard: the header reads LIVE, the Tasks panel lists the server's accept-loop, `s`
# sent through attach spawns a demo- task in the server and `b` blocks one of its workers (a row
# reads BLOCKED); `{` rewinds and `T` opens the worker timeline over the attached stream. A second
# viewer attached at the same time shows the same tasks. Killing serve makes both viewers say the
# target is gone and that they are reconnecting; starting serve again makes them say they
# reconnected and show its accept-loop again. `q` exits 0. A bad address and a refused connection
# are one error line each and exit non-zero without touching the terminal.
#
# Bounded in time: every wait polls with its own deadline. Prints "attach: N passed, 0 failed";
# exits 1 on the first failure, after printing the last screen it saw.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
e2e_init attach
e2e_binary "$@"
e2e_need tmux
tmux_server
SOCK="$WORK/telemetry.sock"

# wait_file FILE SECONDS REGEX: polls a file until REGEX matches.
wait_file() {
    local deadline=$((SECONDS + $2))
    while ((SECONDS <= deadline)); do
        if [[ -f $1 ]] && grep -Eq -- "$3" "$1"; then return 0; fi
        sleep 0.2
    done
    return 1
}

# window NAME COMMAND...: runs the command in a new window; its exit status lands in $WORK/NAME.status.
window() {
    local name=$1
    shift
    rm -f "$WORK/$name.status"
    "${TM[@]}" new-window -d -n "$name" "$* 2>$WORK/$name.out; echo \$? >$WORK/$name.status; sleep 60"
}


"${TM[@]}" new-session -d -s runviz -n idle -x 120 -y 40 "sleep 600"
"${TM[@]}" set-option -g default-size 120x40 >/dev/null 2>&1 || true

echo "attach: bad input"
if "$BIN" attach "not an address" 2>"$WORK/bad.err"; then fail "a bad address exits non-zero"; fi
[[ $(grep -c '^Error' "$WORK/bad.err") -eq 1 ]] || fail "a bad address is one error line: $(cat "$WORK/bad.err")"
pass "a bad address is one error line: $(head -1 "$WORK/bad.err")"
if "$BIN" attach "$SOCK" 2>"$WORK/refused.err"; then fail "nothing listening exits non-zero"; fi
grep -q "connection refused" "$WORK/refused.err" || fail "a refused connection says so"
pass "nothing listening is one line: $(cat "$WORK/refused.err")"

echo "attach: serve and a viewer"
window serve "$BIN" serve --port 0 --workers 2 --telemetry "$SOCK"
wait_file "$WORK/serve.out" 20 "telemetry on $SOCK" || fail "serve names its endpoint"
pass "serve --telemetry: $(grep 'telemetry on' "$WORK/serve.out")"
window viewer "$BIN" attach "$SOCK"
wait_for -t runviz:viewer 20 'runviz LIVE' || fail "attach draws the dashboard (LIVE)"
wait_for -t runviz:viewer 10 'accept-loop' || fail "the Tasks panel lists the server's accept-loop"
pass "attach shows the server's accept-loop"
key -t runviz:viewer s
wait_for -t runviz:viewer 10 'demo-[0-9]+' || fail "s through attach spawns a demo- task in the server"
pass "s through attach: a demo- task appears"
key -t runviz:viewer b
wait_for -t runviz:viewer 10 '^W[0-9]+ +[^ ]+ +BLOCKED' || fail "b through attach blocks a worker"
pass "b through attach: a worker reads BLOCKED"
key -t runviz:viewer '{'
wait_for -t runviz:viewer 5 'runviz ◀ -[0-9.]+ s of [0-9.]+ s' || fail "{ rewinds the attached view"
pass "{ rewinds: $(grep -Eo '◀ -[0-9.]+ s of [0-9.]+ s' <<<"$SCREEN")"
key -t runviz:viewer End
wait_for -t runviz:viewer 5 'runviz LIVE' || fail "End is live again"
key -t runviz:viewer T
wait_for -t runviz:viewer 5 'Worker timeline' || fail "T opens the worker timeline over the attached stream"
key -t runviz:viewer Escape
wait_for -t runviz:viewer 5 'accept-loop' || fail "Esc closes the timeline"
pass "T opens the worker timeline, Esc closes it"

echo "attach: a second viewer at once"
window second "$BIN" attach "$SOCK"
wait_for -t runviz:second 20 'accept-loop' || fail "a second viewer shows the accept-loop"
wait_for -t runviz:viewer 5 'accept-loop' || fail "the first viewer still shows it"
pass "two viewers at once show the server's tasks"

echo "attach: the target restarts"
key -t runviz:serve C-c
[[ $(exited serve) == 0 ]] || fail "serve stops with exit 0 on Ctrl-C"
wait_for -t runviz:viewer 10 'target gone.*reconnecting' || fail "the viewer says the target is gone and it reconnects"
pass "serve killed: $(grep -Eo 'target gone[^│]*' <<<"$SCREEN" | head -1 | sed 's/ *$//')"
wait_for -t runviz:second 10 'reconnecting' || fail "the second viewer says it is reconnecting too"
window serve2 "$BIN" serve --port 0 --workers 2 --telemetry "$SOCK"
wait_file "$WORK/serve2.out" 20 "telemetry on $SOCK" || fail "serve starts again"
wait_for -t runviz:viewer 20 'reconnected to' || fail "the viewer says it reconnected"
wait_for -t runviz:viewer 10 'accept-loop' || fail "the viewer shows the new server's accept-loop"
pass "serve restarted: the viewer reconnected and shows it again"
wait_for -t runviz:second 20 'accept-loop' || fail "the second viewer shows the new server"
key -t runviz:viewer q
[[ $(exited viewer) == 0 ]] || fail "attach exits 0 on q"
key -t runviz:second q
[[ $(exited second) == 0 ]] || fail "the second attach exits 0 on q"
pass "q exits 0"
key -t runviz:serve2 C-c
[[ $(exited serve2) == 0 ]] || fail "serve exits 0"

e2e_done
