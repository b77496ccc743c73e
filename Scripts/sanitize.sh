#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer with LeakSanitizer, then under ThreadSanitizer, each in
# a build directory of its own (.build/sanitize-address, .build/sanitize-thread). Any report fails
# the run: a memory error or a leak (ASan stops at the first; LSan reports at exit), a data race
# (TSan reports each and exits non-zero). The suppression files hold only reports that come from
# the toolchain's own libraries (Scripts/asan.supp, Scripts/lsan.supp), and one by design
# (Scripts/tsan.supp: the optimistic read of what a suspended Swift task waits on); runviz's locks
# tell TSan about their hand-overs (Sources/RunvizLock), so no suppression is needed for them.
#
# usage: bash Scripts/sanitize.sh [address|thread|all] [swift test arguments, e.g. --filter StressTests]

set -euo pipefail
cd "$(dirname "$0")/.."

which=${1:-all}
[[ $# -gt 0 ]] && shift
case $which in
    address | thread | all) ;;
    *)
        echo "sanitize.sh: unknown sanitizer '$which' (address, thread or all)" >&2
        exit 64
        ;;
esac

root=$PWD
failed=0

run() {
    local sanitizer=$1
    shift
    local scratch=.build/sanitize-$sanitizer
    local log=$scratch/test.log
    echo "==> swift build --build-tests --sanitize=$sanitizer"
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
    echo "==> swift test --sanitize=$sanitizer $*"
    local status=0
    swift test --sanitize="$sanitizer" --scratch-path "$scratch" --skip-build "$@" >"$log" 2>&1 || status=$?
    grep -E "Test run with|✘" "$log" || true
    local reports
    reports=$(grep -cE "ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer" "$log" || true)
    if ((status != 0 || reports > 0)); then
        echo "sanitize.sh: $sanitizer: FAILED (status $status, $reports reports); the log is $log" >&2
        grep -E -A30 "ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer" "$log" | head -80 >&2 || true
        failed=1
    else
        echo "sanitize.sh: $sanitizer: clean"
    fi
}

if [[ $which == address || $which == all ]]; then
    ASAN_OPTIONS="detect_leaks=1:suppressions=$root/Scripts/asan.supp" \
        LSAN_OPTIONS="suppressions=$root/Scripts/lsan.supp" run address "$@"
fi
if [[ $which == thread || $which == all ]]; then
    TSAN_OPTIONS="second_deadlock_stack=1:suppressions=$root/Scripts/tsan.supp" run thread "$@"
fi
exit $failed
