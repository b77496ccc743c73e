#!/usr/bin/env bash
# End-to-end test of "Watch your own code": runs the commands of that article as written.
#
#   usage: bash Tests/e2e/example.sh
#
# Reads the first ```sh block of Sources/RunvizWatch/RunvizWatch.docc/WatchYourCode.md
# (the library reference's article "Watch your own code"): its first line
# builds Examples/relay (a package that uses only runviz's library product), its second starts the
# relay with RUNVIZ_TELEMETRY set (terminal 1), its third runs `runviz attach` (terminal 2). Each
# runs in its own tmux window. The viewer must show the relay's own tasks by name (the listener,
# the ticker, the bots), the lint its blocking call in async earns (a worker blocked by a
# connection task), and, for a key that acts on a runtime, that the program takes no commands;
# `q` exits 0. The relay keeps counting deliveries the whole time.
#
# Bounded in time: every wait polls with its own deadline. Prints "example: N passed, 0 failed";
# exits 1 on the first failure, after printing the last screen it saw.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."
e2e_init example
e2e_need tmux
E2E_POLL=0.3
SESSION=example
tmux_server

# The section's commands, comments stripped, in order.
mapfile -t COMMANDS < <(doc_commands Sources/RunvizWatch/RunvizWatch.docc/WatchYourCode.md "Watch your own code")
((${#COMMANDS[@]} == 3)) ||
    { echo "example: expected 3 commands in the article's block, found ${#COMMANDS[@]}" >&2; exit 1; }
printf 'example: running %s\n' "${COMMANDS[@]}"

# 1. Build the example (and, once, the viewer, so the tmux window shows the dashboard at once).
bash -c "${COMMANDS[0]}" >"$WORK/build.out" 2>&1 || { cat "$WORK/build.out"; fail "the example builds against the library"; }
pass "the example builds against runviz's library product"
swift build -c release --product runviz >"$WORK/viewer-build.out" 2>&1 || fail "runviz builds"

"${TM[@]}" new-session -d -s example -x 120 -y 40 -n app "${COMMANDS[1]} 2>$WORK/app.out; sleep 60"
wait_for -t app 30 'published [0-9]+ delivered [1-9]' || fail "the relay runs and delivers messages"
pass "the relay runs with RUNVIZ_TELEMETRY set and delivers messages"

"${TM[@]}" new-window -d -n viewer "${COMMANDS[2]}; echo \$? >$WORK/viewer.status; sleep 600"
wait_for -t viewer 300 'LIVE' || fail "the viewer attaches (header LIVE; swift run may build first)"
pass "runviz attach draws the relay's dashboard"
wait_for -t viewer 20 'relay listener|ticker|bot [0-9]' || fail "the Tasks panel names the relay's tasks"
pass "the Tasks panel names the relay's own tasks"
wait_for -t viewer 30 'blocked [0-9.]+ ?ms by t[0-9]+ connection [0-9]+' || fail "the blocking call in async earns a lint"
pass "the lint names a worker blocked by a connection task (the blocking call in async)"

key -t viewer s
wait_for -t viewer 10 'takes no commands|accept(s)? no commands|does not accept commands' ||
    fail "a key that acts on a runtime says the program takes none"
pass "a key that acts on a runtime says the program takes none"

capture app
grep -Eq 'published [0-9]+ delivered [1-9]' <<<"$SCREEN" || fail "the relay still delivers"
key -t viewer q
deadline=$((SECONDS + 15))
while [[ ! -s $WORK/viewer.status ]] && ((SECONDS <= deadline)); do sleep 0.2; done
[[ "$(cat "$WORK/viewer.status" 2>/dev/null)" == 0 ]] || fail "q exits the viewer with 0"
pass "q exits the viewer with 0"

e2e_done
