#!/usr/bin/env bash
# runviz as the process's global executor against Swift's default executor, on ordinary async work
# (Benchmarks/GlobalExecutorBench, plain Swift concurrency: a task-group fan-out/fan-in whose
# children yield once, the same with children that do not suspend, and an actor ping-pong). Three
# modes: `default` (nothing installed), `runviz` (installed, events on, rings drained) and
# `runviz-quiet` (installed, instrumentation off); each workload in each mode is its own process.
# ROUNDS interleaved rounds, in each round each workload in all three modes, their order rotated
# round by round, so a neighbour's load falls on all alike. Per workload and mode: units/s
# min/median/max, jobs and CPU per unit, the median over the default executor's median, and the
# median of the per-round ratios (this mode ÷ default in the same round). Then instructions per job
# and per unit under valgrind's callgrind (steady on a noisy machine, unlike seconds): runs of CG_N
# and 3 × CG_N units; their differences cancel start-up and shutdown. Release build. Run time with
# the defaults: about two minutes on two cores.
#
#   bash Scripts/bench-global-executor.sh [path/to/release/GlobalExecutorBench]
#   ROUNDS=15 N=200000 CG_N=10000 CALLGRIND=1 WORKLOADS="fanout fanout-leaf pingpong" \
#       bash Scripts/bench-global-executor.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-15}"
N="${N:-200000}"
CG_N="${CG_N:-10000}"
CALLGRIND="${CALLGRIND:-1}"
WORKLOADS="${WORKLOADS:-fanout fanout-leaf pingpong}"
BIN="${1:-}"
if [ -z "$BIN" ]; then
    swift build -c release --package-path "$ROOT" --product GlobalExecutorBench >/dev/null
    BIN="$(swift build -c release --package-path "$ROOT" --show-bin-path)/GlobalExecutorBench"
fi
[[ -x $BIN && ! -d $BIN ]] || {
    echo "bench-global-executor: $BIN is not a GlobalExecutorBench binary (usage: $0 [path/to/release/GlobalExecutorBench])" >&2
    exit 2
}
WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-bench-global-executor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
MODES=(default runviz runviz-quiet)

# RESULT line → "round mode workload units_per_s jobs_per_unit cpu_ns_per_unit dropped check"
fields() {
    awk -v round="$1" '/^RESULT/ {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        print round, f["mode"], f["workload"], f["units_per_s"], f["jobs_per_unit"], f["cpu_ns_per_unit"], f["dropped"], f["check"]
    }'
}

for round in $(seq "$ROUNDS"); do
    for workload in $WORKLOADS; do
        for i in 0 1 2; do
            mode=${MODES[$(((i + round) % 3))]}
            "$BIN" "$mode" --workload "$workload" --units "$N" | fields "$round" >>"$WORK/results"
        done
    done
done

echo "ordinary async work, $N units per run, $ROUNDS interleaved rounds ($(nproc) cores; $(date -u +%F))"
python3 - "$WORK/results" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
modes = ["default", "runviz", "runviz-quiet"]
by = {}
for r in rows:
    by.setdefault((r[2], r[1]), []).append(r)
checks = {(r[2]): set() for r in rows}
for r in rows:
    checks[r[2]].add(r[7])
print(f"{'workload':11} {'mode':13} {'min u/s':>10} {'median u/s':>11} {'max u/s':>10} {'jobs/u':>7} {'cpu ns/u':>9} {'dropped':>8} {'med/def':>8} {'paired':>7}")
for workload in sorted({r[2] for r in rows}):
    base = {r[0]: float(r[3]) for r in by.get((workload, "default"), [])}
    base_median = statistics.median(base.values()) if base else None
    for mode in modes:
        rs = by.get((workload, mode), [])
        if not rs:
            continue
        ups = [float(r[3]) for r in rs]
        median = statistics.median(ups)
        ratio = f"{median / base_median:.3f}" if base_median else "-"
        paired = [float(r[3]) / base[r[0]] for r in rs if r[0] in base]
        pr = f"{statistics.median(paired):.3f}" if paired else "-"
        jobs = statistics.median(float(r[4]) for r in rs)
        cpu = statistics.median(float(r[5]) for r in rs)
        dropped = sum(int(r[6]) for r in rs)
        print(f"{workload:11} {mode:13} {min(ups):>10.0f} {median:>11.0f} {max(ups):>10.0f} {jobs:>7.3f} {cpu:>9.1f} {dropped:>8} {ratio:>8} {pr:>7}")
    if len(checks[workload]) != 1:
        print(f"  {workload}: results differ between runs: {sorted(checks[workload])}")
print("u/s: units per second (fanout, fanout-leaf: task-group children; pingpong: messages); jobs/u: jobs per unit;")
print("cpu ns/u: the process's CPU time per unit; med/def: median ÷ the default executor's median;")
print("paired: median over rounds of (this mode ÷ default in the same round).")
EOF

[ "$CALLGRIND" = 1 ] || exit 0
command -v valgrind >/dev/null || { echo "bench-global-executor: no valgrind here, callgrind skipped"; exit 0; }
# valgrind 3.19 cannot read the debug info Swift 6 emits: measure a stripped copy.
strip -o "$WORK/bench" "$BIN"

# counted MODE WORKLOAD UNITS → "instructions jobs units"
counted() {
    valgrind --tool=callgrind --callgrind-out-file="$WORK/out" "$WORK/bench" "$1" --workload "$2" --units "$3" \
        --one-run >"$WORK/stdout" 2>"$WORK/err"
    local instructions
    instructions=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/err")
    awk -v ir="$instructions" '/^RESULT/ {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        print ir, f["jobs"], f["units"]
    }' "$WORK/stdout"
}

echo
echo "instructions under callgrind, (run of 3×$CG_N units − run of $CG_N units) ÷ (jobs, units) of the difference"
printf '%-11s %-13s %12s %12s %10s\n' workload mode "instr/job" "instr/unit" "jobs/unit"
for workload in $WORKLOADS; do
    for mode in "${MODES[@]}"; do
        read -r i1 j1 u1 <<<"$(counted "$mode" "$workload" "$CG_N")"
        read -r i2 j2 u2 <<<"$(counted "$mode" "$workload" $((3 * CG_N)))"
        awk -v i1="$i1" -v j1="$j1" -v u1="$u1" -v i2="$i2" -v j2="$j2" -v u2="$u2" -v w="$workload" -v m="$mode" \
            'BEGIN { printf "%-11s %-13s %12.0f %12.0f %10.3f\n", w, m, (i2 - i1) / (j2 - j1), (i2 - i1) / (u2 - u1), (j2 - j1) / (u2 - u1) }'
    done
done
echo "default: jobs counted by a pass-through swift_task_enqueueGlobal_hook (its instructions included), which"
echo "misses the jobs Swift gives Dispatch directly (Task.yield's continuation: one per fanout unit): compare instr/unit."
