#!/usr/bin/env bash
# Builds the echo-benchmark peers (the sources beside this script) into $BENCH_WORK/bin, by default
# /tmp/runviz-bench/bin: nothing is written into the checkout. Idempotent: the C programs are
# recompiled only when their source is newer; cargo, swift build and go build are incremental.
#
#   bash Benchmarks/build.sh                   # every peer: echoload c-epoll tokio nio go py
#   bash Benchmarks/build.sh echoload tokio    # only these
#   NO_APT=1 bash Benchmarks/build.sh          # never call apt-get (default: as root, install
#                                              # librust-tokio-dev / golang-go when missing)
#
# A peer that cannot be built on this machine is skipped with one line saying which and why, and
# the reason is left in $BENCH_WORK/skipped/PEER for run-all.sh to repeat; that is no failure.
# Only echoload, the load generator every benchmark needs, failing to build is an error (exit 1).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="${BENCH_WORK:-/tmp/runviz-bench}"
BIN="$WORK/bin"
SRC="$WORK/src" # cargo and swift build write next to their sources: they build a copy
CC="${CC:-gcc}"
PEERS=("$@")
((${#PEERS[@]} > 0)) || PEERS=(echoload c-epoll tokio nio go py)
mkdir -p "$BIN" "$WORK/skipped"

# stale TARGET SOURCE...: true when TARGET is missing or older than a source.
stale() {
    local target=$1 source
    shift
    [[ -e $target ]] || return 0
    for source in "$@"; do [[ $source -nt $target ]] && return 0; done
    return 1
}

# skip PEER REASON: one line now, and the reason kept for run-all.sh; an older build of the peer
# goes, so that nothing runs what this machine can no longer build.
skip() {
    echo "build: skipped $1: $2"
    echo "$2" >"$WORK/skipped/$1"
    case $1 in
        c-epoll) rm -f "$BIN/echo-epoll" ;;
        tokio | nio | go) rm -f "$BIN/$1-echo" ;;
    esac
}
built() { rm -f "$WORK/skipped/$1"; }

# copy PEER: the peer's sources into $SRC/PEER (mtimes kept, so incremental builds stay so).
copy() {
    mkdir -p "$SRC"
    rm -rf "${SRC:?}/$1.new"
    cp -a "$HERE/$1" "$SRC/$1.new"
    chmod -R u+w "$SRC/$1.new"
    if [[ -d $SRC/$1 ]]; then
        cp -a "$SRC/$1.new"/. "$SRC/$1"/ && rm -rf "${SRC:?}/$1.new"
    else
        mv "$SRC/$1.new" "$SRC/$1"
    fi
}

apt_updated=""
# apt_install PACKAGE...: as root and without NO_APT, from Debian's packages; false otherwise.
apt_install() {
    [[ $(id -u) == 0 && -z ${NO_APT:-} ]] && command -v apt-get >/dev/null || return 1
    if [[ -z $apt_updated ]]; then
        apt-get update -q >/dev/null 2>&1 || true
        apt_updated=1
    fi
    echo "build: installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1
}

tokio_sources() { compgen -G '/usr/share/cargo/registry/tokio-1.*' >/dev/null; }

build_echoload() {
    if stale "$BIN/echoload" "$HERE/echoload/echoload.c"; then
        echo "build: echoload"
        "$CC" -O2 -Wall -Wextra -o "$BIN/echoload" "$HERE/echoload/echoload.c" -lpthread ||
            { echo "build: echoload does not compile ($CC)" >&2; exit 1; }
    fi
}

build_c_epoll() {
    if ! stale "$BIN/echo-epoll" "$HERE/c-epoll/echo_epoll.c"; then built c-epoll; return; fi
    echo "build: c-epoll"
    if "$CC" -O2 -Wall -Wextra -o "$BIN/echo-epoll" "$HERE/c-epoll/echo_epoll.c" -lpthread; then
        built c-epoll
    else
        skip c-epoll "echo_epoll.c does not compile with $CC"
    fi
}

build_tokio() {
    command -v cargo >/dev/null || { skip tokio "no cargo on this machine"; return; }
    tokio_sources || apt_install librust-tokio-dev || true
    if ! tokio_sources; then
        skip tokio "needs Debian's librust-tokio-dev (cargo builds offline, from /usr/share/cargo/registry)"
        return
    fi
    echo "build: tokio (cargo --offline)"
    copy tokio-echo
    if (cd "$SRC/tokio-echo" && cargo build --release --offline -q) >"$WORK/tokio-build.log" 2>&1; then
        cp -f "$SRC/tokio-echo/target/release/tokio-echo" "$BIN/tokio-echo"
        built tokio
    else
        skip tokio "cargo build failed: $(grep -m1 -E '^error' "$WORK/tokio-build.log" || tail -n 1 "$WORK/tokio-build.log")"
    fi
}

build_nio() {
    command -v swift >/dev/null || { skip nio "no swift on this machine"; return; }
    echo "build: nio (swift build -c release)"
    copy nio-echo
    if (cd "$SRC/nio-echo" && swift build -c release -q) >"$WORK/nio-build.log" 2>&1; then
        cp -f "$SRC/nio-echo/.build/release/NIOEcho" "$BIN/nio-echo"
        built nio
    else
        skip nio "swift build failed (it needs swift-nio 2.101, from a local package copy or the network): $(grep -m1 -E 'error' "$WORK/nio-build.log" || tail -n 1 "$WORK/nio-build.log")"
    fi
}

build_go() {
    command -v go >/dev/null || apt_install golang-go || true
    command -v go >/dev/null || { skip go "no go toolchain (Debian's golang-go)"; return; }
    if ! stale "$BIN/go-echo" "$HERE/go-echo/main.go" "$HERE/go-echo/go.mod"; then built go; return; fi
    echo "build: go"
    if (cd "$HERE/go-echo" && GOFLAGS=-mod=mod GOPROXY=off go build -o "$BIN/go-echo" .) >"$WORK/go-build.log" 2>&1; then
        built go
    else
        skip go "go build failed: $(tail -n 1 "$WORK/go-build.log")"
    fi
}

build_py() {
    if command -v python3 >/dev/null; then built py; else skip py "no python3 on this machine"; fi
}

for peer in "${PEERS[@]}"; do
    case $peer in
        echoload) build_echoload ;;
        c-epoll) build_c_epoll ;;
        tokio) build_tokio ;;
        nio) build_nio ;;
        go) build_go ;;
        py) build_py ;;
        *) echo "build: unknown peer '$peer' (echoload c-epoll tokio nio go py)" >&2; exit 2 ;;
    esac
done
