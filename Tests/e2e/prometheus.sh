#!/usr/bin/env bash
# End-to-end test of the Prometheus endpoint against a real Prometheus (Debian's package).
#
#   usage: bash Tests/e2e/prometheus.sh path/to/runviz
#
# `runviz serve --metrics 127.0.0.1:0` under `runviz load`: a curl of /metrics passes
# `promtool check metrics` and names every runviz metric; other paths are 404. Then a real
# `prometheus` (its own config, scrape interval 1 s, its own TSDB in a temp dir, its web UI on a
# free loopback port) scrapes the server, and `runviz_worker_polls_total` read back through its
# HTTP API (/api/v1/query) is > 0 and grows. Bad input: a bad --metrics address and a port in use
# are one line each and exit 1.
#
# Bounded in time: every wait polls with its own deadline; every process started here is ended by
# its pid on exit. Prints "prometheus: N passed, 0 failed"; exits 1 on the first failure, with the
# logs.

set -euo pipefail
source "$(dirname "$0")/lib.sh"
e2e_init prometheus
e2e_binary "$@"
e2e_need prometheus promtool curl python3
E2E_LOGS=("*.log" "*.txt")
E2E_POLL=0.5

echo "prometheus: runviz serve --metrics under load"
"$BIN" serve --port 0 --metrics 127.0.0.1:0 --duration 170 >"$WORK/serve.txt" 2>"$WORK/serve.log" &
note_pid $!
poll 20 grep -q 'echo on 127.0.0.1:' "$WORK/serve.log" || fail "serve starts and says where"
METRICS_URL=$(grep -Eo 'http://127\.0\.0\.1:[0-9]+/metrics' "$WORK/serve.log" | head -n 1)
ECHO_PORT=$(grep -Eo 'echo on 127\.0\.0\.1:[0-9]+' "$WORK/serve.log" | grep -Eo '[0-9]+$')
[[ -n $METRICS_URL && -n $ECHO_PORT ]] || fail "serve prints the metrics URL and the echo port"
METRICS_TARGET=${METRICS_URL#http://}
METRICS_TARGET=${METRICS_TARGET%/metrics}
pass "serve prints the metrics URL: $METRICS_URL"
"$BIN" load --connect "127.0.0.1:$ECHO_PORT" --clients 20 --duration 150 >"$WORK/load.txt" 2>"$WORK/load.log" &
note_pid $!

scrape_has_polls() {
    curl --noproxy '*' -sf --max-time 5 "$METRICS_URL" >"$WORK/scrape.txt" &&
        grep -Eq '^runviz_worker_polls_total\{worker="0"\} [1-9]' "$WORK/scrape.txt"
}
poll 20 scrape_has_polls || fail "a scrape counts polls"
promtool check metrics <"$WORK/scrape.txt" >"$WORK/promtool.log" 2>&1 || fail "promtool check metrics passes"
pass "promtool check metrics passes on $(wc -l <"$WORK/scrape.txt") lines"
for name in runviz_worker_busy_seconds_total runviz_worker_polls_total runviz_worker_steals_total \
    runviz_worker_parks_total runviz_tasks runviz_ready_queue_depth runviz_schedule_latency_seconds \
    runviz_poll_duration_seconds runviz_registered_fds runviz_blocked_workers runviz_blocking_pool_threads \
    runviz_events_dropped_total; do
    grep -q "^# HELP $name " "$WORK/scrape.txt" || fail "the scrape has $name with a HELP line"
done
pass "the scrape names all 12 metrics, each with HELP"
status=$(curl --noproxy '*' -s --max-time 5 -o /dev/null -w '%{http_code}' "http://$METRICS_TARGET/")
[[ $status == 404 ]] || fail "/ is 404 (got $status)"
status=$(curl --noproxy '*' -s --max-time 5 -o /dev/null -w '%{http_code}' -X POST "$METRICS_URL")
[[ $status == 405 ]] || fail "POST /metrics is 405 (got $status)"
pass "/ is 404, POST is 405"

echo "prometheus: a real Prometheus scrapes it"
PROM_PORT=$(free_port)
cat >"$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: runviz
    static_configs:
      - targets: ["$METRICS_TARGET"]
YAML
promtool check config "$WORK/prometheus.yml" >"$WORK/promtool-config.log" 2>&1 || fail "the generated config is valid"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
note_pid $!
pass "prometheus $(prometheus --version 2>&1 | head -n 1 | awk '{print $3}') listens on 127.0.0.1:$PROM_PORT"

# query EXPR: the value of a one-sample instant query through the HTTP API (empty if none yet).
query() {
    curl --noproxy '*' -sf --max-time 5 -G "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" 2>/dev/null |
        python3 -c 'import json, sys
r = json.load(sys.stdin)
assert r["status"] == "success", r
res = r["data"]["result"]
print(res[0]["value"][1] if len(res) == 1 else "")' 2>/dev/null || true
}
positive() { local v; v=$(query "$1"); [[ -n $v ]] && python3 -c "import sys; sys.exit(0 if float('$v') > 0 else 1)"; }

poll 60 positive 'up{job="runviz"}' || fail "Prometheus scrapes the target (up == 1)"
pass "up{job=\"runviz\"} is 1"
poll 60 positive 'sum(runviz_worker_polls_total{job="runviz"})' || fail "runviz_worker_polls_total arrives"
first=$(query 'sum(runviz_worker_polls_total{job="runviz"})')
pass "sum(runviz_worker_polls_total) read back through /api/v1/query: $first"
grows() {
    local v
    v=$(query 'sum(runviz_worker_polls_total{job="runviz"})')
    [[ -n $v ]] && python3 -c "import sys; sys.exit(0 if float('$v') > float('$first') else 1)"
}
poll 30 grows || fail "runviz_worker_polls_total grows between scrapes"
pass "it grows: $(query 'sum(runviz_worker_polls_total{job="runviz"})') > $first"
poll 30 positive 'sum(rate(runviz_poll_duration_seconds_count{job="runviz"}[5s]))' ||
    fail "the poll duration histogram has a rate"
pass "rate(runviz_poll_duration_seconds_count[5s]) > 0"

echo "prometheus: bad input"
status=0
"$BIN" serve --port 0 --metrics nonsense:port --duration 1 >"$WORK/bad.txt" 2>&1 || status=$?
((status == 1)) && [[ $(grep -c . "$WORK/bad.txt") == 1 ]] && grep -q 'invalid metrics address "nonsense:port"' "$WORK/bad.txt" ||
    fail "a bad address is one line and exit 1: $(cat "$WORK/bad.txt")"
pass "a bad address: $(cat "$WORK/bad.txt")"
status=0
"$BIN" serve --port 0 --metrics "$METRICS_TARGET" --duration 1 >"$WORK/busy.txt" 2>&1 || status=$?
((status == 1)) && [[ $(grep -c . "$WORK/busy.txt") == 1 ]] && grep -q 'is already in use' "$WORK/busy.txt" ||
    fail "a port in use is one line and exit 1: $(cat "$WORK/busy.txt")"
pass "a port in use: $(cat "$WORK/busy.txt")"

e2e_done
