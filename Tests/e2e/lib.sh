#!/usr/bin/env bash
# Shared plumbing of the end-to-end tests in Tests/e2e, sourced by each of them (never run alone):
#
#   source "$(dirname "$0")/lib.sh"
#   e2e_init NAME          # WORK (a fresh temp dir), the exit trap; NAME prefixes every line
#   e2e_binary "$@"        # BIN: the runviz binary given as the only argument, or usage and exit 2
#   e2e_need tmux ...      # each tool on PATH, or one line and exit 2
#   tmux_server [LABEL]    # TM: a tmux server of our own on a private socket (-f /dev/null)
#   ... pass / fail / capture / has / lacks / wait_for / poll / key / exited / free_port ...
#   e2e_done               # "NAME: N passed, 0 failed"
#
# Invariants: everything a test starts ends when it exits, however it exits: each tmux server it
# opened is killed and its socket file removed, each process noted with note_pid gets SIGTERM, then
# SIGKILL after 10 s, and WORK is removed. A pid counts as ours only while its start time is the
# one noted, so a reused pid is never touched. Every wait has its own deadline. A script may define
# on_fail (more to print when a check fails) and on_exit (more to clean once its processes are
# gone).

BIN=""
WORK=""
SESSION="runviz" # the tmux session, or window, that capture, wait_for and key use by default
SCREEN=""        # the last capture
PASSED=0
E2E_NAME="e2e"
E2E_POLL=0.2                   # seconds between two looks of wait_for and poll
E2E_LOGS=("*.out")             # files in WORK (globs) whose tail fail prints
E2E_PIDS=()                    # pid:start-time of what we started
E2E_SOCKETS=()                 # the tmux sockets we opened, by name
TM=(tmux -L "runviz-unset-$$") # set by tmux_server

# e2e_init NAME: the name that prefixes our lines, a fresh WORK, and the cleanup on exit.
e2e_init() {
    E2E_NAME=$1
    unset TMUX # we may be running inside someone's tmux
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/runviz-$E2E_NAME.XXXXXX")"
    trap e2e_cleanup EXIT
    trap 'exit 130' INT TERM
}

# e2e_binary "$@": BIN, absolute, from the script's only argument.
e2e_binary() {
    if [[ $# -ne 1 || ! -x $1 || -d $1 ]]; then
        echo "usage: $0 RUNVIZ_BINARY (build first: swift build)" >&2
        exit 2
    fi
    BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

e2e_need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$E2E_NAME: $tool is not installed" >&2; exit 2; }
    done
}

# proc_start PID: the process's start time (clock ticks since boot); nothing once it is gone or a
# zombie.
proc_start() {
    local stat fields
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
    stat=${stat##*) }
    read -r -a fields <<<"$stat"
    [[ ${fields[0]} == Z ]] || echo "${fields[19]}"
}

# note_pid PID: a process of ours, ended on exit if it still runs.
note_pid() { E2E_PIDS+=("$1:$(proc_start "$1")"); }

# ours PID:START: true while that very process runs.
ours() { [[ -n ${1#*:} && $(proc_start "${1%:*}") == "${1#*:}" ]]; }

# tmux_server [LABEL]: kills the tmux server we used last, and points TM at a new one (a fresh one
# for each run, where a script wants it: a new session on a server still exiting can fail).
tmux_server() {
    "${TM[@]}" kill-server 2>/dev/null || true
    local socket="runviz-$E2E_NAME-$$${1:+-$1}"
    # -f /dev/null: no user config (default-terminal stays "screen").
    TM=(tmux -L "$socket" -f /dev/null)
    E2E_SOCKETS+=("$socket")
}

e2e_cleanup() {
    local socket entry pid i
    for socket in "${E2E_SOCKETS[@]}"; do
        tmux -L "$socket" kill-server 2>/dev/null || true
        rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$socket"
    done
    for entry in "${E2E_PIDS[@]}"; do
        if ours "$entry"; then kill -TERM "${entry%:*}" 2>/dev/null || true; fi
    done
    for entry in "${E2E_PIDS[@]}"; do
        for ((i = 0; i < 100; i++)); do
            ours "$entry" || break
            sleep 0.1
        done
        pid=${entry%:*}
        if ours "$entry"; then kill -KILL "$pid" 2>/dev/null || true; fi
        wait "$pid" 2>/dev/null || true
    done
    if declare -F on_exit >/dev/null; then on_exit || true; fi
    [[ -z $WORK ]] || rm -rf "$WORK"
}

pass() {
    PASSED=$((PASSED + 1))
    echo "ok $PASSED - $*"
}

# fail MESSAGE: the failed check, the last screen, the logs, and exit 1.
fail() {
    echo "not ok - $*"
    if [[ -n $SCREEN ]]; then
        echo "--- last screen:"
        printf '%s\n' "$SCREEN"
    fi
    local pattern f
    for pattern in "${E2E_LOGS[@]}"; do
        for f in "$WORK"/$pattern; do
            if [[ -s $f ]]; then
                echo "--- $f:"
                tail -n 40 "$f"
            fi
        done
    done
    if declare -F on_fail >/dev/null; then on_fail || true; fi
    echo "$E2E_NAME: $PASSED passed, 1 failed"
    exit 1
}

e2e_done() { echo "$E2E_NAME: $PASSED passed, 0 failed"; }

# capture [TARGET]: the pane's screen into SCREEN (empty when there is no such pane).
capture() { SCREEN="$("${TM[@]}" capture-pane -p -t "${1:-$SESSION}" 2>/dev/null)" || SCREEN=""; }

# Predicates on SCREEN.
has() { grep -Eq -- "$1" <<<"$SCREEN"; }
lacks() { ! has "$1"; }

# key [-t TARGET] KEY...: tmux send-keys.
key() {
    local target=$SESSION
    if [[ $1 == -t ]]; then
        target=$2
        shift 2
    fi
    "${TM[@]}" send-keys -t "$target" "$@"
}

# poll SECONDS COMMAND...: runs the command every E2E_POLL seconds until it succeeds; false after
# SECONDS.
poll() {
    local deadline=$((SECONDS + $1))
    shift
    while ((SECONDS <= deadline)); do
        if "$@"; then return 0; fi
        sleep "$E2E_POLL"
    done
    return 1
}

# wait_for [-t TARGET] SECONDS REGEX: polls the screen until REGEX matches.
wait_for() {
    local target=$SESSION
    if [[ $1 == -t ]]; then
        target=$2
        shift 2
    fi
    poll "$1" screen_has "$target" "$2"
}
screen_has() {
    capture "$1"
    has "$2"
}

# exited NAME: waits up to 15 s for $WORK/NAME.status (a window's exit status); prints it, or
# "none".
exited() {
    local deadline=$((SECONDS + 15))
    while ((SECONDS <= deadline)); do
        if [[ -s $WORK/$1.status ]]; then
            cat "$WORK/$1.status"
            return 0
        fi
        sleep 0.2
    done
    echo "none"
}

# free_port: a loopback port nobody listens on, outside the ephemeral range, so that it is not
# about to be taken by an outgoing connection.
free_port() {
    local port _
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 12000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "$E2E_NAME: no free port found" >&2
    return 1
}

# doc_block FILE HEADING [MATCH]: the lines of the first ```sh block in FILE's section HEADING (a
# Markdown heading of any level whose text starts with HEADING; the section runs to the next
# heading of the same or a higher level) that contains MATCH (any block when MATCH is empty),
# as written, comments included. Headings inside code blocks are not headings.
doc_block() {
    awk -v heading="$2" -v match_="${3:-}" '
        /^```/ && !fence { fence = 1; if (section && /^```sh/) { block = 1; lines = "" } next }
        /^```/ && fence {
            fence = 0
            if (block && (match_ == "" || index(lines, match_) > 0)) { printf "%s", lines; exit }
            block = 0
            next
        }
        !fence && /^#+ / {
            level = index($0, " ") - 1
            text = substr($0, level + 2)
            if (section && level <= depth) exit
            if (!section && index(text, heading) == 1) { section = 1; depth = level }
            next
        }
        block { lines = lines $0 "\n" }
    ' "$1"
}

# doc_commands FILE HEADING [MATCH]: doc_block's lines with their comments and blank lines
# dropped: the commands to run, one per line.
doc_commands() {
    doc_block "$@" | sed -E -e 's/[ \t]+#.*$//' -e '/^[ \t]*(#.*)?$/d'
}
