#!/usr/bin/env bash
# `runviz serve`'s memory at start: VmRSS (/proc/PID/status) of a serve that has idled IDLE_SECONDS
# after it started, with no client, min/median/max of RUNS runs, and beside the median its RssAnon
# and RssFile, its Pss (smaps_rollup: each shared page divided among the processes that map it) and
# what it alone maps (Private_Clean + Private_Dirty). Then where it goes, from the last run's
# /proc/PID/smaps: the largest mappings by resident bytes (and private dirty bytes: written, the
# process's own), each shared library by name, anonymous memory by mapping size (an event ring is
# eventRingCapacity × 32 B, 2 MiB by default; a thread stack 8 MiB of which little is touched; the
# kernel merges neighbouring anonymous mappings, so three rings can show as one mapping of three
# times the size), and the libraries the binary needs (readelf -d) and loads (ldd). Beside it,
# measured the same way: tokio-echo when it builds (Benchmarks/peers.sh; NO_TOKIO=1 skips it) and
# three Swift programs that only sleep, built here with swiftc -O: the standard library alone, with
# FoundationEssentials, with Foundation — what the dynamic linker maps for a Swift binary before
# its first line runs. Every binary given is measured, rounds interleaved (e.g. main's runviz
# beside this one). Release build.
#
#   bash Scripts/bench-serve-rss.sh [path/to/runviz ...]
#   RUNS=5 IDLE_SECONDS=2 TOP=12 SERVE_ARGS="--workers 2" NO_TOKIO=1 bash Scripts/bench-serve-rss.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-5}"
IDLE="${IDLE_SECONDS:-2}"
TOP="${TOP:-12}"
read -r -a SERVE_ARGS <<<"${SERVE_ARGS:-}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-bench-serve-rss.XXXXXX")"
SERVER=""
trap 'rm -rf "$WORK"; [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null || true' EXIT

BINARIES=("$@")
if ((${#BINARIES[@]} == 0)); then
    swift build -c release --package-path "$ROOT" --product runviz >/dev/null
    BINARIES=("$(swift build -c release --package-path "$ROOT" --show-bin-path)/runviz")
fi
for bin in "${BINARIES[@]}"; do
    [[ -x $bin && ! -d $bin ]] || {
        echo "bench-serve-rss: $bin is not a runviz binary (usage: $0 [path/to/runviz ...])" >&2
        exit 2
    }
done

# The servers, in the order measured: NAME → COMMAND (with {PORT}).
NAMES=()
declare -A COMMANDS=()
add() {
    NAMES+=("$1")
    COMMANDS[$1]="$2"
}
source "$ROOT/Benchmarks/peers.sh"
TOKIO=""
[[ -n ${NO_TOKIO:-} ]] || TOKIO="$(tokio_echo bench-serve-rss)"
[[ -n $TOKIO ]] && add tokio-echo "$TOKIO {PORT}"
for layer in stdlib FoundationEssentials Foundation; do
    src="$WORK/sleep-$layer.swift"
    if [[ $layer == stdlib ]]; then echo 'import Glibc' >"$src"; else printf 'import %s\nimport Glibc\n' "$layer" >"$src"; fi
    echo 'while true { sleep(60) }' >>"$src"
    if swiftc -O -o "$WORK/sleep-$layer" "$src" 2>"$WORK/swiftc.log"; then
        add "swift sleep: $layer" "$WORK/sleep-$layer"
    else
        echo "bench-serve-rss: skipped the $layer sleeper: $(tail -n 1 "$WORK/swiftc.log")" >&2
    fi
done
for i in "${!BINARIES[@]}"; do
    add "runviz serve #$((i + 1))" "${BINARIES[$i]} serve --port {PORT} ${SERVE_ARGS[*]:-}"
done

# sample NAME INDEX: starts NAME's server, waits IDLE s, appends "NAME<TAB>vmrss anon file threads pss
# own" to $WORK/samples, keeps /proc/PID/smaps as $WORK/<INDEX>.smaps; stops the server.
# A server that exits before the sample (its random port taken) is started again on another port,
# three times at most.
sample() {
    local name=$1 index=$2 attempt port command
    for attempt in 1 2 3; do
        port=$((20000 + RANDOM % 20000))
        command="${COMMANDS[$name]//\{PORT\}/$port}"
        # shellcheck disable=SC2086 # the command is words
        $command >"$WORK/server.out" 2>&1 &
        SERVER=$!
        sleep "$IDLE"
        kill -0 "$SERVER" 2>/dev/null && break
        wait "$SERVER" 2>/dev/null || true
        SERVER=""
        echo "bench-serve-rss: $name exited before the sample: $(tail -n 2 "$WORK/server.out" | tr '\n' ' ')" >&2
    done
    [[ -n $SERVER ]] || return 0
    awk -v name="$name" '
        /^VmRSS:/ { rss = $2 } /^RssAnon:/ { anon = $2 } /^RssFile:/ { file = $2 } /^Threads:/ { threads = $2 }
        /^Pss:/ { pss = $2 } /^Private_(Clean|Dirty):/ { own += $2 }
        END { printf "%s\t%d %d %d %d %d %d\n", name, rss, anon, file, threads, pss, own }' \
        "/proc/$SERVER/status" "/proc/$SERVER/smaps_rollup" >>"$WORK/samples"
    cp "/proc/$SERVER/smaps" "$WORK/$index.smaps"
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
}

for round in $(seq "$RUNS"); do
    for i in "${!NAMES[@]}"; do sample "${NAMES[$i]}" "$i"; done
done

echo "VmRSS $IDLE s after start, idle, no client: $RUNS interleaved runs ($(nproc) cores; $(date -u +%F))"
printf '%-34s %8s %8s %8s %8s %8s %8s %8s %7s\n' server "min kB" "med kB" "max kB" "anon kB" "file kB" "pss kB" \
    "own kB" threads
for name in "${NAMES[@]}"; do
    awk -F'\t' -v name="$name" '$1 == name { print $2 }' "$WORK/samples" | sort -n | awk -v name="$name" '
        { rss[NR] = $1; anon[NR] = $2; file[NR] = $3; threads[NR] = $4; pss[NR] = $5; own[NR] = $6 }
        END {
            if (NR == 0) { printf "%-34s no sample\n", name; exit }
            m = int((NR + 1) / 2)
            printf "%-34s %8d %8d %8d %8d %8d %8d %8d %7d\n", name, rss[1], rss[m], rss[NR], anon[m], file[m], pss[m],
                own[m], threads[m]
        }'
done

# Where a runviz serve's resident bytes are (its last run): libraries by file, anonymous memory by
# mapping size, the heap and the stacks by name.
for i in "${!NAMES[@]}"; do
    name="${NAMES[$i]}"
    [[ $name == runviz* && -f $WORK/$i.smaps ]] || continue
    bin="${COMMANDS[$name]%% serve *}"
    echo
    echo "$name: $bin — the $TOP largest by Rss (last run)"
    printf '  %9s %9s %9s %5s  %s\n' "Rss kB" "dirty kB" "Size kB" maps mapping
    awk '
        /^[0-9a-f]+-[0-9a-f]+ / {
            path = $6
            for (f = 7; f <= NF; f++) path = path " " $f
            anonymous = path == ""
            n = split(path, parts, "/")
            key = anonymous ? "" : parts[n]
            next
        }
        /^Size:/ { size = $2; if (anonymous) key = sprintf("anonymous, %d kB mappings", size); total[key] += size; maps[key]++ }
        /^Rss:/ { rss[key] += $2 }
        /^Private_Dirty:/ { dirty[key] += $2 }
        END { for (k in rss) printf "  %9d %9d %9d %5d  %s\n", rss[k], dirty[k], total[k], maps[k], k }' "$WORK/$i.smaps" |
        sort -k1,1nr | head -n "$TOP"
    awk '/^Rss:/ { r += $2 } /^Anonymous:/ { a += $2 } /^Private_Dirty:/ { d += $2 }
        END { printf "  all mappings: Rss %d kB, of which anonymous %d kB, private dirty %d kB\n", r, a, d }' \
        "$WORK/$i.smaps"
    echo "  needs (readelf -d): $(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"
    loads="$(ldd "$bin" | awk '{ print $1 }')"
    echo "  loads (ldd): $(wc -l <<<"$loads") libraries; Foundation's: $(grep -E 'Foundation|ICU' <<<"$loads" | tr '\n' ' ')"
done
