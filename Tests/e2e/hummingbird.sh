#!/usr/bin/env bash
# End-to-end test of a real framework on runviz: Examples/hummingbird-app, a Hummingbird 2 server
# installed as its own global executor and watched, served under wrk and read through `runviz attach`.
#
#   usage: bash Tests/e2e/hummingbird.sh
#
# Runs the Hummingbird commands of the article "Watch any Swift program"
# (Sources/RunvizRuntime/RunvizRuntime.docc/GlobalExecutor.md) as written:
# the ```sh block that builds Examples/hummingbird-app gives the build (its first line), the server
# with RUNVIZ_TELEMETRY set and its --port (second; tmux window app) and `runviz attach` (third;
# window viewer, 120×40), and that line's comment the wrk command (run bounded: killed at 30 s).
# Their ports are the article's, so they must be free. Every route answers the same on runviz as on
# Swift's default executor (`--default-executor`, on a free port), a bad query value is a 400 of one
# line, a wrong flag one line and exit 64. The viewer's header says it watches a global executor;
# under wrk the workers run the server's jobs by the thousand a second, its connections are tasks
# on screen (64 or more) and continuations resumed from SwiftNIO's event-loop threads wake them,
# the thread named (`thread NIO-SGLTN-1-#1 → wake t12 …`); the Program panel splits every wake into
# its wait for a worker and the run it led to, and a `/block?ms=300` under the load is the longest
# run of its second; wrk counts requests and no errors. A
# `/sleep?ms=3000` request's task parks on a timer due in more than a second (the server's own
# one-second date timer never is) and that timer wakes that task; a `/block?ms=300` request gets
# the blocked-worker lint naming the worker and a task, with advice in the program's terms (move
# blocking calls off async code), not runviz's own API. Nothing of runviz's echo server or
# demos shows: the Program panel says what it measures (CPU, jobs a second) and that replies are
# not timed (no socket on runviz's reactor), the key legend and the help offer no demo key, the
# header's CPU is the observer's. `q` exits the viewer with 0.
#
# Bounded in time: every wait polls with its own deadline. Prints "hummingbird: N passed, 0 failed";
# exits 1 on the first failure, after printing the last screen it saw.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."
e2e_init hummingbird
e2e_need tmux wrk curl
E2E_POLL=0.3
SESSION=hb
tmux_server
APP=Examples/hummingbird-app/.build/release/hummingbird-app

# The article's block for the Hummingbird app: the ```sh block that builds it.
ARTICLE=Sources/RunvizRuntime/RunvizRuntime.docc/GlobalExecutor.md
mapfile -t LINES < <(doc_block "$ARTICLE" "Watch any Swift program" hummingbird-app)
mapfile -t COMMANDS < <(doc_commands "$ARTICLE" "Watch any Swift program" hummingbird-app)
((${#COMMANDS[@]} == 3)) ||
    { echo "hummingbird: expected 3 commands in the article's Hummingbird block, found ${#COMMANDS[@]}" >&2; exit 1; }
LOAD=$(sed -nE 's/.*#.*[^a-z](wrk .*)$/\1/p' <<<"${LINES[2]}")
[[ $LOAD == wrk\ * ]] || { echo "hummingbird: no wrk command in the comment of the article's third line" >&2; exit 1; }
PORT=$(grep -Eo -- '--port [0-9]+' <<<"${COMMANDS[1]}" | grep -Eo '[0-9]+')
TELEMETRY=$(grep -Eo 'RUNVIZ_TELEMETRY=[^ ]+' <<<"${COMMANDS[1]}" | cut -d= -f2)
[[ -n $PORT && -n $TELEMETRY ]] || { echo "hummingbird: the article's server line names no --port or RUNVIZ_TELEMETRY" >&2; exit 1; }
printf 'hummingbird: running %s\n' "${COMMANDS[@]}" "timeout 30 $LOAD"

bash -c "${COMMANDS[0]}" >"$WORK/build.out" 2>&1 ||
    fail "Examples/hummingbird-app builds against Hummingbird and runviz's library products"
pass "Examples/hummingbird-app builds against Hummingbird and runviz's library products"
swift build -c release --product runviz >"$WORK/viewer-build.out" 2>&1 || fail "runviz builds"

status=0
"$APP" --bogus >"$WORK/bogus.out" 2>&1 || status=$?
((status == 64)) && (($(wc -l <"$WORK/bogus.out") == 1)) &&
    grep -q '^hummingbird-app: unknown option --bogus ' "$WORK/bogus.out" ||
    fail "a wrong flag is one line and exit 64 (status $status: $(cat "$WORK/bogus.out"))"
pass "a wrong flag: $(cat "$WORK/bogus.out"), exit 64"

# get PORT PATH: "STATUS BODY" of one request, bounded in time.
get() { curl -s --max-time 10 -w ' %{http_code}' "http://127.0.0.1:$1$2" | tr -d '\n'; }
ROUTES=(/ "/sleep?ms=50" "/fanout?n=100" "/block?ms=20" "/sleep?ms=x" "/fanout?n=0" "/block")
EXPECTED=("hello from hummingbird 200" "slept 50 ms 200" "100 children, sum 5050 200" "blocked 20 ms 200"
    "ms must be 0…60000 400" "n must be 1…10000 400" "ms must be 0…10000 400")

# answers PORT: every route's answer, checked against EXPECTED.
answers() {
    local i answer
    for i in "${!ROUTES[@]}"; do
        answer=$(get "$1" "${ROUTES[$i]}")
        [[ $answer == "${EXPECTED[$i]}" ]] || fail "GET ${ROUTES[$i]} answers '${EXPECTED[$i]}' (got '$answer')"
    done
}

# serving FILE PORT: the server wrote its ready line.
serving() { grep -q "^hummingbird-app: serving http://127.0.0.1:$2 on" "$1"; }

REFERENCE=$(free_port)
"$APP" --port "$REFERENCE" --default-executor >"$WORK/default.out" 2>&1 &
note_pid $!
DEFAULT=$!
poll 30 serving "$WORK/default.out" "$REFERENCE" || fail "the server starts on Swift's default executor"
answers "$REFERENCE"
kill -INT "$DEFAULT"
status=0
wait "$DEFAULT" || status=$?
((status == 0)) || fail "on SIGINT the server exits 0 (status $status)"
pass "on Swift's default executor every route answers as expected, a bad value is a 400 of one line"

# in_use HOST:PORT: something listens there.
in_use() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }
for address in "127.0.0.1:$PORT" "$TELEMETRY"; do
    ! in_use "$address" || fail "the article's address $address is free (something listens there)"
done
"${TM[@]}" new-session -d -s hb -x 120 -y 40 -n app "${COMMANDS[1]} >$WORK/app.out 2>&1; sleep 600"
poll 30 serving "$WORK/app.out" "$PORT" || fail "the server starts installed on runviz and watched"
grep -q " on runviz$" "$WORK/app.out" || fail "the server says it runs on runviz: $(tail -1 "$WORK/app.out")"
answers "$PORT"
pass "installed as the global executor, every route answers as on the default executor"

"${TM[@]}" new-window -d -n viewer "${COMMANDS[2]}; echo \$? >$WORK/viewer.status; sleep 600"
wait_for -t viewer 300 'LIVE' || fail "the viewer attaches (header LIVE; swift run may build first)"
pass "runviz attach draws the server's dashboard"
wait_for -t viewer 10 'global executor: every task of this program runs here' ||
    fail "the header says it watches a global executor"
pass "the header says it watches a global executor"

# The screen of a program that is not runviz's echo server: nothing of that server or its demos.
wait_for -t viewer 5 '─ Program its process ' || fail "the panel beside the ready queue is the program's"
has 'no socket on runviz.s reactor: replies are not timed' && lacks 'fd ready → reply|a reply: a write' ||
    fail "no echo-server reply line: the Program panel says replies are not timed here"
has 'observer CPU [0-9.]+%' && lacks 'UI CPU' || fail "the header's CPU is the observer thread's, not a UI's"
pass "no echo-server figures: $(grep -Eo 'no socket on runviz.s reactor: [^│]*' <<<"$SCREEN" | sed 's/ *$//'); $(grep -Eo 'observer CPU [0-9.]+%' <<<"$SCREEN")"
lacks 's/S spawn|b/B block|c/C clients|m/M lock|demos: a join' && has 'T worker timeline' ||
    fail "the key legend offers no demo key (they do nothing here), and the keys that do work"
pass "the key legend offers only keys that act: $(tail -1 <<<"$SCREEN" | sed -E 's/ +$//')"
key -t viewer '?'
wait_for -t viewer 5 'Esc or \? closes' || fail "? opens the help"
lacks 'spawn one task|block a worker|add / remove 10 clients|channel demo|instrumentation on' && has 'worker timeline' ||
    fail "the help lists no demo key"
pass "the help lists no demo key ($(grep -c '│ [^ ]' <<<"$SCREEN") rows)"
key -t viewer Escape

timeout 30 $LOAD >"$WORK/wrk.out" 2>&1 &
WRK=$!
note_pid $WRK
wait_for -t viewer 8 'W[01] .* [0-9.]+k runs/s' || fail "under wrk the workers run the server's jobs by the thousand a second"
pass "under wrk the workers run the server's jobs: $(grep -Eo 'W[01] .* runs/s' <<<"$SCREEN" | sed -E 's/ +/ /g' | paste -sd ';')"
wait_for -t viewer 5 'CPU [1-9][0-9]*% · jobs [0-9.]+k/s on 2 workers' || fail "the Program panel counts the process's CPU and the jobs the workers run"
pass "the Program panel: $(grep -Eo 'CPU [0-9]+% · jobs [^│]* workers' <<<"$SCREEN")"
wait_for -t viewer 5 '^tasks ([6-9][0-9]|[1-9][0-9]{2,}) ' || fail "the 64 connections are tasks on screen"
pass "the connections are tasks on screen: $(grep -Eo '^tasks [0-9]+' <<<"$SCREEN")"
wait_for -t viewer 10 'thread NIO-[^ ]* → wake t[0-9]+' ||
    fail "continuations resumed from SwiftNIO's event-loop threads wake the tasks, the thread named"
pass "SwiftNIO's threads wake the tasks, named: $(grep -Eo 'thread NIO-[^ ]* → wake t[0-9]+[^→]*' <<<"$SCREEN" | head -1)"
# Every wake's wait for a worker and the run it led to; a /block request under the load is a run of
# 300 ms, the longest of its second, while the other worker keeps the wakes' wait short.
wait_for -t viewer 5 'wakes [0-9.]+k/s queued p50 [0-9.]+ .?s · p99 [0-9.]+ .?s · max' ||
    fail "the Program panel splits every wake into its wait for a worker and its run"
pass "the wakes split: $(grep -Eo 'wakes [0-9.]+k/s queued [^│]*' <<<"$SCREEN" | sed -E 's/ +$//')"
get "$PORT" "/block?ms=300" >"$WORK/block-under-load.answer" &
note_pid $!
wait_for -t viewer 5 'then ran p50 [0-9.]+ .?s · p99 [0-9.]+ .?s · max (2[89][0-9]|3[0-9]{2}) ms' ||
    fail "a /block request under load: its 300 ms run is the longest run a wake led to"
pass "a /block under load: $(grep -Eo 'then ran [^│]*' <<<"$SCREEN" | sed -E 's/ +$//')"
status=0
wait "$WRK" || status=$?
((status == 0)) || fail "wrk runs its course (status $status)"
requests=$(awk '/ requests in / { print $1 }' "$WORK/wrk.out")
((${requests:-0} > 0)) && ! grep -Eq 'Non-2xx|Socket errors' "$WORK/wrk.out" ||
    fail "wrk counts requests and no errors"
pass "$LOAD: $(grep -Eo '[0-9]+ requests in [0-9.]+s' "$WORK/wrk.out"), no errors ($(grep -Eo 'Requests/sec: *[0-9.]+' "$WORK/wrk.out"))"

get "$PORT" "/sleep?ms=3000" >"$WORK/sleep.answer" &
SLEEPER=$!
note_pid $SLEEPER
wait_for -t viewer 3 '^t[0-9]+ .* timer +(1\.[1-9]|[23]\.[0-9]) s ' || fail "a /sleep?ms=3000 request's task parks on a timer due in over a second"
sleeper=$(grep -Eo '^t[0-9]+ .* timer +(1\.[1-9]|[23]\.[0-9]) s ' <<<"$SCREEN" | head -1)
task=${sleeper%% *}
pass "a /sleep request's task parks on a timer: $(sed -E 's/ +/ /g' <<<"$sleeper")"
wait "$SLEEPER" || true
[[ $(cat "$WORK/sleep.answer") == "slept 3000 ms 200" ]] || fail "the /sleep request answers (got $(cat "$WORK/sleep.answer"))"
# The request's task by its id and the name of its code (a Hummingbird connection's task-group child).
wait_for -t viewer 5 "timer → wake $task Server\.run\(\) closure · group child" || fail "the timer wakes that task ($task)"
pass "the timer wakes that task: $(grep -Eo "timer → wake $task .*" <<<"$SCREEN" | head -1)"

# The lint of the /block under load stays 10 s after that block ended (LintMemory); a second block
# within that time joins it in one row ("workers blocked up to … by … tasks"), which names no
# worker: wait for it to go first.
block_lint_gone() { capture viewer && has 'q quit' && lacks 'was blocked|workers blocked'; }
poll 15 block_lint_gone || fail "the lint of the /block under load leaves the Lints panel 10 s after the block"
[[ $(get "$PORT" "/block?ms=300") == "blocked 300 ms 200" ]] || fail "the /block request answers"
# The row drops its "blocked worker: " title when the task's name and the advice leave no room for it.
wait_for -t viewer 5 'W[01] was blocked [3-9][0-9]{2} ms by t[0-9]+' ||
    fail "a /block request gets the blocked-worker lint naming a worker and a task"
pass "a /block request gets the lint: $(grep -Eo '(blocked worker: )?W[01] was blocked [0-9]+ ms by t[0-9]+ .* \(ended' <<<"$SCREEN")"
lint=$(grep -E '▲ (blocked worker: )?W[01] was blocked [3-9][0-9]{2} ms' <<<"$SCREEN" | head -1 | sed -E 's/ +$//')
grep -Eq 'blocking calls off (async code|the async path)' <<<"$lint" && ! grep -q 'spawnBlocking' <<<"$lint" ||
    fail "the lint's advice is in the program's terms, not runviz's spawnBlocking ($lint)"
pass "the lint's advice is the program's to act on: ${lint#*· }"

key -t viewer q
deadline=$((SECONDS + 15))
while [[ ! -s $WORK/viewer.status ]] && ((SECONDS <= deadline)); do sleep 0.2; done
[[ "$(cat "$WORK/viewer.status" 2>/dev/null)" == 0 ]] || fail "q exits the viewer with 0"
pass "q exits the viewer with 0"

e2e_done
