#!/usr/bin/env bash
# End-to-end test of the flight recorder and recordings, on the real binary in detached tmux sessions.
#
#   usage: bash Tests/e2e/recording.sh path/to/runviz
#
# Live rewind: `runviz launch --record FILE` with 1 worker; `b` blocks the worker (BLOCKED on screen);
# once it is free again, `{` rewinds (the header reads `◀ -N s of M s`) until W0 reads BLOCKED again,
# the past frame of the block; End is LIVE again; q exits 0 and says what it recorded.
# Replay: `runviz replay FILE` opens the same dashboard (REPLAY in the header) and plays the block
# again (BLOCKED on W0); `s` is declined on screen; `{` rewinds; `T` opens the worker timeline,
# which shows the block on W0; q exits 0.
# Export: `runviz export FILE --format perfetto` writes trace JSON with the BLOCKED slice on W0.
# Bad input: a missing file, a text file and a newer format are one line each and exit 1; a copy cut
# off mid-block replays and says so when it exits.
#
# Bounded in time: every wait polls with its own deadline. Prints "recording: N passed, 0 failed";
# exits 1 on the first failure, after printing the last screen it saw.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
e2e_init recording
e2e_binary "$@"
e2e_need tmux
RUNS=0

# run NAME COMMAND...: the command in a fresh tmux server; its exit status lands in $WORK/NAME.status.
run() {
    local name=$1
    shift
    RUNS=$((RUNS + 1))
    tmux_server "$RUNS"
    "${TM[@]}" new-session -d -s "$SESSION" -x 120 -y 40 \
        "$* 2>$WORK/$name.out; echo \$? >$WORK/$name.status; sleep 30"
}

# rewind_until REGEX: presses `{` (1 s back) until REGEX is on screen, at most 20 times.
rewind_until() {
    local i
    for ((i = 0; i < 20; i++)); do
        key '{'
        sleep 0.3
        capture
        if grep -Eq -- "$1" <<<"$SCREEN"; then return 0; fi
    done
    return 1
}

REC="$WORK/live.rec"

echo "recording: live rewind"
run launch "$BIN" launch --port 0 --clients 0 --workers 1 --record "$REC"
wait_for 20 'runviz LIVE ● REC' || fail "launch --record shows LIVE and REC"
pass "the header reads LIVE and REC"
key b
wait_for 10 'W0 ■ BLOCKED' || fail "b blocks the only worker"
wait_for 10 'W0 (○|◎|●)' || fail "the worker is free again"
pass "b blocked W0, and it is free again"
rewind_until 'W0 ■ BLOCKED' || fail "rewinding shows the block again"
grep -Eq 'runviz ◀ -[0-9.]+ s of [0-9.]+ s' <<<"$SCREEN" || fail "the header says how far back"
pass "{ rewinds to the block: $(grep -Eo '◀ -[0-9.]+ s of [0-9.]+ s' <<<"$SCREEN")"
key End
wait_for 5 'runviz LIVE' || fail "End goes back to live"
pass "End is LIVE again"
key q
[[ $(exited launch) == 0 ]] || fail "launch exits 0"
grep -Eq '^runviz: recorded [0-9]+ observations \([0-9]+ KiB\) to ' "$WORK/launch.out" || fail "launch says what it recorded"
pass "q exits 0: $(cat "$WORK/launch.out")"

echo "recording: replay"
run replay "$BIN" replay "$REC"
wait_for 10 'runviz REPLAY' || fail "replay shows REPLAY"
pass "replay opens the dashboard"
wait_for 30 'W0 ■ BLOCKED' || fail "the replay plays the block"
pass "the replay shows W0 BLOCKED, as recorded"
key s
wait_for 5 'a recording cannot act on a runtime' || fail "s is declined on screen"
pass "s is declined: a recording cannot act on a runtime"
key '{'
wait_for 5 'runviz ◀ -' || fail "{ rewinds the replay"
pass "{ rewinds the replay"
key End
wait_for 30 'runviz REPLAY [0-9:]+ \(end\)' || fail "the replay plays to its end"
key T
wait_for 5 'Worker timeline' || fail "T opens the worker timeline"
for ((i = 0; i < 6; i++)); do
    grep -Eq '^W0 .*█' <<<"$SCREEN" && break
    key -
    sleep 0.5
    capture
done
grep -Eq '^W0 .*█' <<<"$SCREEN" || fail "the timeline shows W0 BLOCKED (█)"
pass "T: the worker timeline shows the block on W0"
key Escape
wait_for 5 'Workers 1' || fail "Esc closes the timeline"
key q
[[ $(exited replay) == 0 ]] || fail "replay exits 0"
pass "q exits 0"

echo "recording: export"
"$BIN" export "$REC" --format perfetto -o "$WORK/trace.json" 2>"$WORK/export.out" || fail "export exits 0"
python3 - "$WORK/trace.json" <<'PY' || fail "the export is trace JSON with a BLOCKED slice on W0"
import json, sys
trace = json.load(open(sys.argv[1]))
events = trace["traceEvents"]
names = {e["tid"]: e["args"]["name"] for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"}
blocked = [e for e in events if e.get("name") == "BLOCKED" and names.get(e["tid"]) == "W0"]
jobs = [e for e in events if e.get("ph") == "X" and e.get("cat") == "job"]
assert blocked and blocked[0]["dur"] > 1_500_000, blocked  # µs: the 2 s block, less the threshold
assert any(j["dur"] > 1_900_000 for j in jobs), jobs  # the blocker's 2 s job itself
print(f"{len(events)} trace events, {len(jobs)} jobs, BLOCKED {blocked[0]['dur'] / 1e6:.2f} s on W0")
PY
pass "export: $(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['traceEvents']))" "$WORK/trace.json") trace events, a BLOCKED slice on W0"

echo "recording: bad input"
status=0
"$BIN" replay "$WORK/missing.rec" >"$WORK/missing.out" 2>&1 || status=$?
((status == 1)) && [[ $(cat "$WORK/missing.out") == "Error: cannot open $WORK/missing.rec: No such file or directory" ]] ||
    fail "a missing file is one line and exit 1: $(cat "$WORK/missing.out")"
pass "a missing file: $(cat "$WORK/missing.out")"
echo "not a recording" >"$WORK/text.rec"
status=0
"$BIN" replay "$WORK/text.rec" >"$WORK/text.out" 2>&1 || status=$?
((status == 1)) && [[ $(cat "$WORK/text.out") == "Error: $WORK/text.rec: not a runviz recording" ]] ||
    fail "a text file is one line and exit 1: $(cat "$WORK/text.out")"
pass "a text file: $(cat "$WORK/text.out")"
printf 'RUNVIZ\0R\x07\x00' >"$WORK/newer.rec"
status=0
"$BIN" replay "$WORK/newer.rec" >"$WORK/newer.out" 2>&1 || status=$?
((status == 1)) && grep -Eq 'recorded by a newer runviz \(format 7; this one reads [0-9]+\)' "$WORK/newer.out" ||
    fail "a newer format is one line and exit 1: $(cat "$WORK/newer.out")"
pass "a newer format: $(cat "$WORK/newer.out")"
size=$(stat -c %s "$REC")
head -c $((size - 5)) "$REC" >"$WORK/cut.rec"
run cut "$BIN" replay "$WORK/cut.rec"
wait_for 10 'runviz REPLAY' || fail "a cut-off recording replays"
key q
[[ $(exited cut) == 0 ]] || fail "the cut-off replay exits 0"
grep -q 'ends mid-block (' "$WORK/cut.out" || fail "the cut-off replay says so"
pass "a file cut off mid-block replays and says: $(cat "$WORK/cut.out")"

e2e_done
