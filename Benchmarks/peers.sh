#!/usr/bin/env bash
# Shared by Scripts/bench-*.sh, sourced (never run alone): the peer servers they run beside runviz.
#
#   source "$ROOT/Benchmarks/peers.sh"
#   TOKIO="$(tokio_echo bench-syscalls)"   # the tokio-echo binary, or "" and one line on stderr
#
# tokio_echo LABEL: builds tokio-echo with Benchmarks/build.sh into $BENCH_WORK (default
# /tmp/runviz-bench) and prints its path; where it cannot build (no librust-tokio-dev, no cargo),
# prints nothing and says why in one line on stderr, prefixed with LABEL. Never fails the caller.
tokio_echo() {
    local label=$1 work="${BENCH_WORK:-/tmp/runviz-bench}" log
    log="$(mktemp)"
    BENCH_WORK="$work" bash "$(dirname "${BASH_SOURCE[0]}")/build.sh" tokio >"$log" 2>&1 || true
    if [[ -x $work/bin/tokio-echo && ! -s $work/skipped/tokio ]]; then
        echo "$work/bin/tokio-echo"
    else
        echo "$label: skipped tokio: $(cat "$work/skipped/tokio" 2>/dev/null || tail -n 1 "$log")" >&2
    fi
    rm -f "$log"
}
