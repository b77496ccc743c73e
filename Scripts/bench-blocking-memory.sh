#!/usr/bin/env bash
# The blocking pool's memory: JOBS concurrent `spawnBlocking` jobs of JOB_MS each on a runtime allowed
# 4,096 pool threads (Benchmarks/BlockingMemoryBench), the process's VmRSS before, at its highest
# during the jobs (sampled every 10 ms, with the kernel's VmHWM beside it) and after the pool's threads
# have exited on their 1 s keep-alive. Modes: `watched` (events on, the runtime's observer draining
# the rings every 50 ms), `unwatched` (events on, nobody draining), `quiet` (instrumentation off: the
# threads' own cost, the reference for the other two). RUNS rounds, each mode once per round, each run
# its own process. Per mode: growth during and after (MiB over the baseline: min/median/max), pool
# threads at once, event rings listed during and after, dropped events; then the target, ≤ 256 MiB
# during and back within AFTER_MIB of the baseline after. Release build; about 5 s a run.
#
#   bash Scripts/bench-blocking-memory.sh [path/to/release/BlockingMemoryBench]
#   RUNS=5 JOBS=500 JOB_MS=300 MODES="watched unwatched quiet" AFTER_MIB=16 bash Scripts/bench-blocking-memory.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-5}"
JOBS="${JOBS:-500}"
JOB_MS="${JOB_MS:-300}"
MODES="${MODES:-watched unwatched quiet}"
AFTER_MIB="${AFTER_MIB:-16}"
BIN="${1:-}"
if [ -z "$BIN" ]; then
    swift build -c release --package-path "$ROOT" --product BlockingMemoryBench >/dev/null
    BIN="$(swift build -c release --package-path "$ROOT" --show-bin-path)/BlockingMemoryBench"
fi
[[ -x $BIN && ! -d $BIN ]] || {
    echo "bench-blocking-memory: no executable at $BIN" >&2
    exit 1
}
# 500 threads at once: room for them, whatever the shell's limits.
ulimit -u unlimited 2>/dev/null || true
RESULTS="$(mktemp "${TMPDIR:-/tmp}/runviz-blocking-memory.XXXXXX")"
trap 'rm -f "$RESULTS"' EXIT

for ((run = 1; run <= RUNS; run++)); do
    for mode in $MODES; do
        line="$("$BIN" "$mode" --jobs "$JOBS" --job-ms "$JOB_MS" | grep '^RESULT ')" || {
            echo "bench-blocking-memory: $mode run $run failed" >&2
            exit 1
        }
        echo "$line" >>"$RESULTS"
        echo "run $run: $line"
    done
done

python3 - "$RESULTS" "$AFTER_MIB" "$JOBS" "$JOB_MS" <<'EOF'
import statistics, sys
path, after_limit, jobs, job_ms = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
runs = {}
for line in open(path):
    fields = dict(f.split("=", 1) for f in line.split()[1:])
    runs.setdefault(fields["mode"], []).append(fields)

def mib(kib): return kib / 1024
def spread(values, fmt="%.1f"):
    return "/".join(fmt % v for v in (min(values), statistics.median(values), max(values)))

print(f"\n{jobs} concurrent blocking jobs of {job_ms} ms, a pool allowed 4,096 threads; MiB over the baseline VmRSS,"
      " min/median/max of each mode's runs")
print(f"{'mode':<10} {'runs':>4} {'baseline':>9} {'during (peak)':>20} {'VmHWM':>20} {'after exit':>17}"
      f" {'threads':>8} {'rings during/after':>19} {'dropped':>8}")
verdicts = []
for mode, rs in runs.items():
    base = [int(r["baseline_kib"]) for r in rs]
    during = [mib(int(r["peak_kib"]) - b) for r, b in zip(rs, base)]
    hwm = [mib(int(r["hwm_kib"]) - b) for r, b in zip(rs, base)]
    after = [mib(int(r["after_kib"]) - b) for r, b in zip(rs, base)]
    threads = [int(r["threads_peak"]) for r in rs]
    rings = f"{statistics.median(int(r['rings_during']) for r in rs):.0f}/{statistics.median(int(r['rings_after']) for r in rs):.0f}"
    dropped = max(int(r["dropped"]) for r in rs)
    print(f"{mode:<10} {len(rs):>4} {statistics.median(mib(b) for b in base):>9.1f} {spread(during):>20} {spread(hwm):>20}"
          f" {spread(after):>17} {statistics.median(threads):>8.0f} {rings:>19} {dropped:>8}")
    ok = max(during) <= 256 and max(after) <= after_limit
    verdicts.append(ok)
    print(f"{'':<10} target: during ≤ 256 MiB, after ≤ {after_limit:g} MiB: {'met' if ok else 'NOT met'}"
          f" (worst run: {max(during):.1f} during, {max(after):.1f} after)")
sys.exit(0 if all(verdicts) else 1)
EOF
