#!/usr/bin/env bash
# End-to-end test of `runviz run -- PROGRAM ARGS…`: an unmodified Swift program started with runviz
# injected, under the dashboard, with the commands of docs/run.md as written.
#
#   usage: bash Tests/e2e/run.sh
#
# Reads the ```sh block of docs/run.md's "Zero lines" section that has `runviz run` in it: its
# first line builds runviz and librunvizinject.so, its second Examples/shop, its third
# runs the shop (`--default-executor`: without its own two runviz lines) under `runviz run`. Checks:
# the library exports no symbol and binds none of the program's references; every refusal (not found,
# not executable, not Swift, `--static-swift-stdlib`, another libswiftCore, no terminal) is one
# line, exit 1, and starts nothing; the injected library's own check of the runtime exits 125 before
# main; PlainAsyncProgram (Tests/PlainAsyncProgram, no runviz line) runs on runviz's workers with
# its task names on screen, its socket 0600 in a 0700 directory, its children without LD_PRELOAD,
# its exit ending the session with its status and naming its log; `q` asks, `n` goes back, `y`
# stops it (143); a kill -9 of runviz ends the program too; the shop's work under `runviz run` is
# whole (every order confirmed); Examples/hummingbird-app with its install line skipped
# (`--default-executor`) answers its routes, and under wrk its jobs run on runviz's workers, woken
# from SwiftNIO's threads by name.
#
# Bounded in time: every wait polls with its own deadline. Prints "run: N passed, 0 failed"; exits 1
# on the first failure, after printing the last screen it saw.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."
e2e_init run
e2e_need tmux swiftc nm curl wrk
E2E_POLL=0.3
SESSION=run
tmux_server

mapfile -t COMMANDS < <(doc_commands docs/run.md "Zero lines" "runviz run")
((${#COMMANDS[@]} == 3)) || { echo "run: expected 3 commands in docs/run.md's runviz run block, found ${#COMMANDS[@]}" >&2; exit 1; }
printf 'run: running %s\n' "${COMMANDS[@]}"

bash -c "${COMMANDS[0]}" >"$WORK/build.out" 2>&1 || fail "runviz and librunvizinject.so build with docs/run.md's command"
swift build -c release --product PlainAsyncProgram >>"$WORK/build.out" 2>&1 || fail "PlainAsyncProgram builds"
RUNVIZ=.build/release/runviz
LIBRARY=.build/release/librunvizinject.so
PLAIN=.build/release/PlainAsyncProgram
[[ -x $RUNVIZ && -f $LIBRARY ]] || fail "docs/run.md's build leaves runviz and librunvizinject.so side by side"
pass "docs/run.md's build leaves runviz and librunvizinject.so side by side"

# The library binds nothing of the program's: no global symbol but its version node.
exported="$(nm -D --defined-only "$LIBRARY" | awk '$2 ~ /^[A-Z]$/ && $3 != "RUNVIZ_INJECT"')"
[[ -z $exported ]] || fail "librunvizinject.so exports nothing: $(head -3 <<<"$exported")"
pass "librunvizinject.so exports no symbol ($(nm -D --defined-only "$LIBRARY" | awk '$2 ~ /^[A-Z]$/' | wc -l) global: its version node; the rest local)"

# Refusals: one line, exit 1, nothing started (no log file appears in TMPDIR).
mkdir -p "$WORK/tmp"
refused() { # refused NAME EXPECTED-LINE-REGEX COMMAND...
    local name=$1 expected=$2 status=0
    shift 2
    TMPDIR="$WORK/tmp" "$RUNVIZ" run -- "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr" </dev/null || status=$?
    ((status == 1)) || fail "$name: exit 1 (got $status: $(cat "$WORK/$name.stderr"))"
    [[ $(wc -l <"$WORK/$name.stderr") == 1 && ! -s $WORK/$name.stdout ]] || fail "$name: one line: $(cat "$WORK/$name.stderr")"
    grep -Eq "$expected" "$WORK/$name.stderr" || fail "$name: $(cat "$WORK/$name.stderr")"
    [[ -z $(ls -A "$WORK/tmp") ]] || fail "$name: nothing started, yet $(ls "$WORK/tmp")"
    pass "refused, not started: $(cat "$WORK/$name.stderr")"
}
refused not-found '^Error: no-such-program: not found$' no-such-program
refused not-executable '^Error: ./README.md: not an executable file$' ./README.md
refused not-swift '^Error: /bin/true: not a Swift program \(it does not load libswiftCore.so\)$' /bin/true

swiftc -O -static-stdlib Tests/PlainAsyncProgram/main.swift -o "$WORK/plain-static" >"$WORK/static.out" 2>&1 ||
    fail "a --static-swift-stdlib build of PlainAsyncProgram"
refused static-swift 'plain-static: built with --static-swift-stdlib' "$WORK/plain-static"

# Another libswiftCore: a program whose RUNPATH leads to a copy of it (the other libraries linked to
# the toolchain's), so it loads a libswiftCore that is not the file runviz loaded.
TOOLCHAIN_LIBS="$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/swift/linux"
mkdir -p "$WORK/other"
ln -s "$TOOLCHAIN_LIBS"/*.so "$WORK/other/"
rm "$WORK/other/libswiftCore.so"
cp "$TOOLCHAIN_LIBS/libswiftCore.so" "$WORK/other/"
swiftc -O -no-toolchain-stdlib-rpath -Xlinker -rpath="$WORK/other" Tests/PlainAsyncProgram/main.swift \
    -o "$WORK/plain-other" >"$WORK/other.out" 2>&1 || fail "PlainAsyncProgram linked to another libswiftCore"
"$WORK/plain-other" --rounds 1 >"$WORK/other-direct.out" 2>&1 || fail "the program on the other libswiftCore runs by itself"
refused other-runtime "plain-other: built with a different Swift runtime \(it loads $WORK/other/libswiftCore.so, runviz was built against .*/libswiftCore.so\)" "$WORK/plain-other"

status=0
TMPDIR="$WORK/tmp" "$RUNVIZ" run -- "$PLAIN" </dev/null >"$WORK/no-terminal.stdout" 2>"$WORK/no-terminal.stderr" || status=$?
((status == 1)) && [[ $(cat "$WORK/no-terminal.stderr") == "Error: runviz run needs a terminal to draw the dashboard on; $PLAIN was not started" ]] &&
    [[ -z $(ls -A "$WORK/tmp") ]] || fail "no terminal: one line, nothing started (status $status: $(cat "$WORK/no-terminal.stderr"))"
pass "refused, not started: $(cat "$WORK/no-terminal.stderr")"

# The injected library's own check, should the program load another libswiftCore after all: one
# line and exit 125 before the program's main runs.
status=0
LD_PRELOAD="$PWD/$LIBRARY" RUNVIZ_RUN_SOCKET="$WORK/never.sock" RUNVIZ_RUN_SWIFTCORE=/elsewhere/libswiftCore.so \
    "$PLAIN" --rounds 1 >"$WORK/inside.out" 2>&1 || status=$?
((status == 125)) && grep -Eq '^runviz: a different Swift runtime: this program loaded .*/libswiftCore.so, runviz was built against /elsewhere/libswiftCore.so$' "$WORK/inside.out" &&
    ! grep -q '^plain:' "$WORK/inside.out" || fail "the library's own runtime check: exit 125 before main (status $status: $(cat "$WORK/inside.out"))"
pass "the library's own runtime check stops the program before main: exit 125, $(cat "$WORK/inside.out")"

# A real run: the plain program, unmodified, to its own exit.
rm -rf "$WORK/tmp" && mkdir -p "$WORK/tmp"
"${TM[@]}" new-session -d -s run -x 120 -y 40 -n plain \
    "TMPDIR=$WORK/tmp $RUNVIZ run -- $PLAIN --rounds 40 --exit-code 3 2>$WORK/plain.err; echo \$? >$WORK/plain.status; sleep 600"
wait_for -t plain 20 'LIVE' || fail "runviz run opens the program's dashboard (header LIVE)"
pass "runviz run opens the dashboard of a program with no runviz line"
wait_for -t plain 10 'global executor: every task of this program runs here' || fail "the header says runviz is the global executor"
pass "the header says runviz is the program's global executor"
wait_for -t plain 10 'W[01] .* [1-9][0-9]* runs/s' || fail "the workers run the program's jobs"
pass "the workers run the program's jobs"
wait_for -t plain 10 't[0-9]+ (producer [0-9]+|packer [0-3]|ticker) ' || fail "the program's Task(name:)s are listed by name"
pass "the program's tasks are listed by their names: $(grep -Eo 't[0-9]+ (producer [0-9]+|packer [0-3]|ticker)' <<<"$SCREEN" | head -3 | paste -sd, -)"
wait_for -t plain 10 'timer → wake t[0-9]+ (packer|ticker)' || fail "the program's Task.sleeps fire on runviz's timer heap"
pass "the program's Task.sleeps fire on runviz's timer heap"
private=("$WORK"/tmp/runviz-run.*)
[[ -d ${private[0]} && $(stat -c %a "${private[0]}") == 700 && $(stat -c %a "${private[0]}/telemetry.sock") == 600 ]] ||
    fail "the telemetry socket is 0600 in a 0700 directory: $(ls -la "$WORK/tmp" "${private[0]}" 2>&1)"
pass "the telemetry socket is 0600 in a private 0700 directory"
deadline=$((SECONDS + 40))
while [[ ! -s $WORK/plain.status ]] && ((SECONDS <= deadline)); do sleep 0.3; done
[[ $(cat "$WORK/plain.status" 2>/dev/null) == 3 ]] || fail "the program's exit (3) ends the session with its status (got $(cat "$WORK/plain.status" 2>/dev/null))"
pass "the program's exit ends the session with its status (3)"
LOG="$(ls "$WORK"/tmp/runviz-run-PlainAsyncProgram.*.log)"
grep -qx "runviz: PlainAsyncProgram ended (exit status 3); its output: $LOG" "$WORK/plain.err" ||
    fail "the end names the log: $(cat "$WORK/plain.err")"
pass "the end says how it ended and names its log"
grep -Eq '^plain: round 40, 160 packed on runviz-w[01]$' "$LOG" || fail "the program's output is in its log, its rounds run on runviz: $(tail -2 "$LOG")"
pass "the log has the program's output; its rounds ran on runviz's workers: $(tail -1 "$LOG")"
grep -qx "plain: my child sees LD_PRELOAD=''" "$LOG" || fail "the program's children do not inherit LD_PRELOAD: $(head -1 "$LOG")"
pass "the program's children start without LD_PRELOAD"
[[ -z $(ls -d "$WORK"/tmp/runviz-run.* 2>/dev/null) ]] || fail "the private directory is removed at the end"
pass "the private directory is removed at the end"

# q asks whether to stop the program: n goes back to the dashboard, y stops it.
"${TM[@]}" new-window -d -n ask "TMPDIR=$WORK/tmp $RUNVIZ run -- $PLAIN; echo \$? >$WORK/ask.status; sleep 600"
wait_for -t ask 20 'LIVE' || fail "the second run opens its dashboard"
key -t ask q
wait_for -t ask 5 'runviz: PlainAsyncProgram is still running \(pid [0-9]+\)\. Stop it\? \[y/N\]' || fail "q asks whether to stop the program"
pass "q asks: $(grep -Eo 'runviz: PlainAsyncProgram is still running.*' <<<"$SCREEN")"
key -t ask n Enter
wait_for -t ask 5 'LIVE' || fail "n goes back to the dashboard"
pass "n goes back to the dashboard"
key -t ask q
wait_for -t ask 5 'Stop it\? \[y/N\]' || fail "q asks again"
key -t ask y Enter
[[ $(exited ask) == 143 ]] || fail "y stops the program; the session ends with its status (143)"
wait_for -t ask 5 '^runviz: PlainAsyncProgram ended \(killed by signal 15\); its output: ' || fail "the end says it was stopped"
pass "y stops the program: $(grep -Eo 'runviz: PlainAsyncProgram ended.*' <<<"$SCREEN"), exit 143"

# runviz killed outright (kill -9): the program, in its own process group, gets SIGTERM all the same.
rm -f "$WORK"/tmp/runviz-run-PlainAsyncProgram.*.log
"${TM[@]}" new-window -d -n orphan "TMPDIR=$WORK/tmp $RUNVIZ run -- $PLAIN; sleep 600"
wait_for -t orphan 20 'LIVE' || fail "the third run opens its dashboard"
ORPHAN_LOG="$(ls "$WORK"/tmp/runviz-run-PlainAsyncProgram.*.log)"
runviz_pid=${ORPHAN_LOG%.log}
runviz_pid=${runviz_pid##*.}
program_pid="$(ps -o pid= --ppid "$runviz_pid" | tr -d ' ')"
[[ -n $program_pid ]] && kill -0 "$program_pid" || fail "the program runs as runviz's child (runviz $runviz_pid)"
note_pid "$program_pid"
kill -KILL "$runviz_pid"
# What a kill -9 leaves: the file runviz's own stderr went to while it drew (/tmp, empty).
rm -f "/tmp/runviz-run.$runviz_pid.log"
gone() { [[ -z $(proc_start "$1") ]]; } # exited (a zombie counts)
poll 5 gone "$program_pid" || fail "the program ends when runviz is killed (pid $program_pid)"
pass "runviz killed with SIGKILL: its program ends too (the library's parent-death signal)"

# docs/run.md's third command: Examples/shop without its own two lines, under runviz run.
bash -c "${COMMANDS[1]}" >"$WORK/shop-build.out" 2>&1 || fail "Examples/shop builds with docs/run.md's command"
"${TM[@]}" new-window -d -n shop "TMPDIR=$WORK/tmp ${COMMANDS[2]}; echo \$? >$WORK/shop.status; sleep 600"
wait_for -t shop 20 'LIVE' || fail "the shop's dashboard opens"
wait_for -t shop 10 'W[01] .* [1-9][0-9]* runs/s' || fail "the workers run the shop's jobs"
pass "docs/run.md's runviz run of Examples/shop --default-executor: the workers run its jobs"
sleep 3
SHOP_LOG="$(ls "$WORK"/tmp/runviz-run-shop.*.log)"
grep -Eq '^shop: [1-9][0-9]* s, ([1-9][0-9]*) orders placed, \1 confirmed, \1 items reserved$' "$SHOP_LOG" ||
    fail "on injected runviz every order placed is confirmed: $(tail -2 "$SHOP_LOG")"
pass "the shop's work is whole under runviz run: $(grep '^shop:' "$SHOP_LOG" | tail -1)"
key -t shop q
wait_for -t shop 5 'Stop it\? \[y/N\]' || fail "q asks whether to stop the shop"
key -t shop y Enter
status="$(exited shop)"
[[ $status == 0 || $status == 143 ]] || fail "y stops the shop (status $status)"
wait_for -t shop 5 '^runviz: shop ended \((exit status 0|killed by signal 15)\); its output: ' || fail "the end says the shop was stopped"
pass "y stops the shop: $(grep -Eo 'runviz: shop ended.*' <<<"$SCREEN")"

# A real framework with no runviz line run: Examples/hummingbird-app with --default-executor (its
# install line skipped), served under wrk.
APP=Examples/hummingbird-app/.build/release/hummingbird-app
swift build -c release --package-path Examples/hummingbird-app >"$WORK/hb-build.out" 2>&1 ||
    fail "Examples/hummingbird-app builds"
PORT=$(free_port)
"${TM[@]}" new-window -d -n hb "TMPDIR=$WORK/tmp $RUNVIZ run -- $APP --default-executor --port $PORT; echo \$? >$WORK/hb.status; sleep 600"
wait_for -t hb 30 'LIVE' || fail "the Hummingbird server's dashboard opens"
HB_LOG="$(ls "$WORK"/tmp/runviz-run-hummingbird-app.*.log)"
poll 30 grep -q "^hummingbird-app: serving http://127.0.0.1:$PORT on" "$HB_LOG" || fail "the server serves: $(cat "$HB_LOG")"
get() { curl -s --max-time 10 -w ' %{http_code}' "http://127.0.0.1:$PORT$1" | tr -d '\n'; }
[[ $(get /) == "hello from hummingbird 200" && $(get "/fanout?n=100") == "100 children, sum 5050 200" &&
    $(get "/sleep?ms=50") == "slept 50 ms 200" ]] || fail "the server answers its routes under runviz run"
pass "Hummingbird with its install line skipped answers its routes under runviz run"
timeout 30 wrk -t2 -c64 -d6s "http://127.0.0.1:$PORT/" >"$WORK/wrk.out" 2>&1 &
WRK=$!
note_pid $WRK
wait_for -t hb 8 'W[01] .* [0-9.]+k runs/s' || fail "under wrk the workers run the server's jobs by the thousand a second"
pass "under wrk the workers run its jobs: $(grep -Eo 'W[01] .* runs/s' <<<"$SCREEN" | sed -E 's/ +/ /g' | paste -sd ';')"
wait_for -t hb 10 'thread NIO-[^ ]* → wake t[0-9]+' || fail "SwiftNIO's threads wake the server's tasks, named"
pass "SwiftNIO's threads wake its tasks: $(grep -Eo 'thread NIO-[^ ]* → wake t[0-9]+[^→]*' <<<"$SCREEN" | head -1)"
status=0
wait "$WRK" || status=$?
requests=$(awk '/ requests in / { print $1 }' "$WORK/wrk.out")
((status == 0 && ${requests:-0} > 0)) && ! grep -Eq 'Non-2xx|Socket errors' "$WORK/wrk.out" || fail "wrk: requests and no errors"
pass "wrk: $requests requests in 6 s, no errors"
key -t hb q
wait_for -t hb 5 'Stop it\? \[y/N\]' || fail "q asks whether to stop the server"
key -t hb y Enter
status="$(exited hb)"
[[ $status == 0 || $status == 143 ]] || fail "y stops the server (status $status)"
pass "y stops the server: exit $status"

# No reference of the program's is bound to the library (LD_DEBUG=bindings, the shop: it links its
# own runviz, swift-collections and swift-atomics).
SWIFTCORE="$(readlink -f "$TOOLCHAIN_LIBS/libswiftCore.so")"
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$WORK/ld-bindings" LD_PRELOAD="$PWD/$LIBRARY" RUNVIZ_RUN_SOCKET="$WORK/bindings.sock" \
    RUNVIZ_RUN_SWIFTCORE="$SWIFTCORE" \
    Examples/shop/.build/release/shop --default-executor --duration 1 >"$WORK/shop-bindings.out" 2>&1 ||
    fail "the shop runs with the library preloaded by hand"
bound="$(cat "$WORK"/ld-bindings.* | grep -E "to $PWD/$LIBRARY" | grep -v "binding file $PWD/$LIBRARY" || true)"
[[ -z $bound ]] || fail "nothing outside the library binds to it: $(head -3 <<<"$bound")"
pass "no symbol of the shop, its libraries or the Swift runtime binds to the library ($(cat "$WORK"/ld-bindings.* | grep -c 'binding file') bindings looked at)"

e2e_done
