#!/usr/bin/env bash
# End-to-end test of "Watch any Swift program": runs the commands of that article as written.
#
#   usage: bash Tests/e2e/any-program.sh
#
# Reads the first ```sh block of Sources/RunvizRuntime/RunvizRuntime.docc/GlobalExecutor.md
# (the library reference's article "Watch any Swift program"): its first line
# builds Examples/shop (an ordinary Swift concurrency program with runviz installed as its global
# executor), its second starts it with RUNVIZ_TELEMETRY set (terminal 1), its third runs `runviz
# attach` (terminal 2), each in its own tmux window. The program must do the same work on runviz as
# on Swift's default executor (`--default-executor`: every order placed is confirmed); the viewer
# must say it watches a global executor and that main-actor code is off screen, show the workers
# running the program's jobs, its `Task.sleep`s as timers, and their wakeups, a Dispatch thread's wake
# of a continuation as such, and a task count that stays that of the tasks in flight (the tasks that
# end on the main actor are seen to end); `q` exits 0. A wrong
# flag is one line and exit 64.
#
# Bounded in time: every wait polls with its own deadline. Prints "any-program: N passed, 0 failed";
# exits 1 on the first failure, after printing the last screen it saw.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."
e2e_init any-program
e2e_need tmux
E2E_POLL=0.3
SESSION=shop
tmux_server

ARTICLE=Sources/RunvizRuntime/RunvizRuntime.docc/GlobalExecutor.md
mapfile -t COMMANDS < <(doc_commands "$ARTICLE" "Watch any Swift program")
((${#COMMANDS[@]} == 3)) ||
    { echo "any-program: expected 3 commands in the article's first block, found ${#COMMANDS[@]}" >&2; exit 1; }
printf 'any-program: running %s\n' "${COMMANDS[@]}"
SHOP=Examples/shop/.build/release/shop

bash -c "${COMMANDS[0]}" >"$WORK/build.out" 2>&1 || { cat "$WORK/build.out"; fail "the example builds against the library"; }
pass "Examples/shop builds against runviz's library products"
swift build -c release --product runviz >"$WORK/viewer-build.out" 2>&1 || fail "runviz builds"

# The same program on Swift's own executor: the reference its runviz run must match.
status=0
"$SHOP" --default-executor --duration 2 >"$WORK/default.out" 2>&1 || status=$?
((status == 0)) || fail "shop --default-executor exits 0 (status $status)"
grep -Eq '^shop: 2 s, ([1-9][0-9]*) orders placed, \1 confirmed, \1 items reserved$' "$WORK/default.out" ||
    fail "on the default executor every order placed is confirmed: $(tail -1 "$WORK/default.out")"
pass "on Swift's default executor: $(tail -1 "$WORK/default.out")"

"${TM[@]}" new-session -d -s shop -x 120 -y 40 -n app "${COMMANDS[1]} 2>$WORK/app.out; sleep 600"
wait_for -t app 30 'shop: [3-9] s, ([1-9][0-9]*) orders placed, \1 confirmed, \1 items reserved' ||
    fail "on runviz every order placed is confirmed, as on the default executor"
pass "installed as the global executor, the program does the same work (every order confirmed)"

"${TM[@]}" new-window -d -n viewer "${COMMANDS[2]}; echo \$? >$WORK/viewer.status; sleep 600"
wait_for -t viewer 300 'LIVE' || fail "the viewer attaches (header LIVE; swift run may build first)"
pass "runviz attach draws the program's dashboard"
wait_for -t viewer 10 'global executor: every task of this program runs here · @MainActor code runs off screen' ||
    fail "the header says it is the global executor and main-actor code is off screen"
pass "the header says it is the global executor and main-actor code is off screen"
wait_for -t viewer 10 'W[01] .* [1-9][0-9]* runs/s' || fail "the workers run the program's jobs"
pass "the workers run the program's jobs"
wait_for -t viewer 10 'Wakeups per second: timer [1-9]' || fail "the program's Task.sleeps fire as runviz timers"
pass "the program's Task.sleeps fire on runviz's timer heap ($(grep -Eo 'Wakeups per second: [^─]*' <<<"$SCREEN"))"
wait_for -t viewer 10 'timer → wake t[0-9]+' || fail "a timer wakeup names the task it woke"
pass "a timer wakeup names the task it woke"

wait_for -t viewer 10 'thread [^ ]+ → wake t[0-9]+ [^→]*\(continuation\)' ||
    fail "a thread's wake of a task in a continuation names the thread and the continuation"
pass "a thread's wake names what the task waited on ($(grep -Eo 'thread [^ ]+ → wake t[0-9]+ [^→]*\(continuation\)' <<<"$SCREEN" | head -1))"
# The tasks of the program end where they end (many on the main actor): the count stays that of
# the tasks in flight, 20 orders a second of a few tens of ms each, not of every order so far.
sleep 10
wait_for -t viewer 10 '^tasks [0-9]+ ' || fail "the header counts the tasks"
tasks=$(grep -Eo '^tasks [0-9]+' <<<"$SCREEN" | head -1 | cut -d' ' -f2)
((tasks <= 40)) || fail "the header's task count stays that of the tasks in flight (tasks $tasks)"
pass "after 10 s more the header counts $tasks tasks: those in flight"

key -t viewer q
deadline=$((SECONDS + 15))
while [[ ! -s $WORK/viewer.status ]] && ((SECONDS <= deadline)); do sleep 0.2; done
[[ "$(cat "$WORK/viewer.status" 2>/dev/null)" == 0 ]] || fail "q exits the viewer with 0"
pass "q exits the viewer with 0"

status=0
"$SHOP" --bogus >"$WORK/bogus.out" 2>&1 || status=$?
((status == 64)) && grep -q '^shop: unknown option --bogus$' "$WORK/bogus.out" ||
    fail "a wrong flag is one line and exit 64 (status $status: $(head -1 "$WORK/bogus.out"))"
pass "a wrong flag: $(head -1 "$WORK/bogus.out"), exit 64"

e2e_done
