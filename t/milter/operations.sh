#!/bin/bash
# Operations surface of the daemon: the JSON event log (one object per
# message, reopened on SIGUSR1 for logrotate) and the Prometheus metrics
# (scraped with curl), checked against what the test sent.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

PORT=$((19000 + $$ % 1000))
kensa_start_milter -o "event_log=$WORK/events.json" \
	-o "metrics_listen=127.0.0.1:$PORT" || exit 1

cat >"$WORK/ops.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
t.send(conn, "QOPS1", t.plain_headers("hello"), "body\r\n")
local h, body = t.attachment_message("invoice", "invoice.pdf", t.EXE_BASE64)
t.send(conn, "QOPS2", h, body)
mt.disconnect(conn)
conn = t.connect()
h, body = t.attachment_message("image", "disk.img", t.TEXT_BASE64)
t.send(conn, "QOPS3", h, body)
mt.disconnect(conn)
LUA
check "three messages sent" run_lua "$WORK/ops.lua"

curl -sf "http://127.0.0.1:$PORT/metrics" >"$WORK/metrics.txt"
check "metrics served" test -s "$WORK/metrics.txt"
has() { grep -qxF -- "$1" "$WORK/metrics.txt" || { echo "missing: $1" >&2; return 1; }; }
check "accepted counted" has 'kensa_messages_total{verdict="accept",mode="enforce"} 1'
check "rejected counted" has 'kensa_messages_total{verdict="reject",mode="enforce"} 1'
check "quarantined counted" has 'kensa_messages_total{verdict="quarantine",mode="enforce"} 1'
check "rule hits by rule" has 'kensa_rule_hits_total{rule="executable"} 1'
check "findings by id" has 'kensa_findings_total{id="attachment.disk_image"} 1'
check "quarantine counted by method" has 'kensa_quarantined_total{method="hold"} 1'
check "latency histogram counts every message" has 'kensa_scan_seconds_count 3'
check "histogram +Inf bucket" has 'kensa_scan_seconds_bucket{le="+Inf"} 3'
check "other paths are 404" sh -c "! curl -sf http://127.0.0.1:$PORT/ >/dev/null"

check "event log parses, one object per message, with the envelope" \
	python3 - "$WORK/events.json" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 3, lines
ev = [json.loads(l) for l in lines]
by_q = {e["queue_id"]: e for e in ev}
assert by_q["QOPS1"]["verdict"] == "accept"
assert by_q["QOPS2"]["verdict"] == "reject" and by_q["QOPS2"]["rules"] == ["executable"]
q = by_q["QOPS3"]
assert q["verdict"] == "quarantine" and q["quarantine"] == {"method": "hold", "id": "QOPS3"}
assert q["envelope"] == {"sender": "sender@example.org", "recipients": ["rcpt@example.net"], "auth": "", "daemon_name": None}
assert q["direction"] == "inbound"
assert q["client"]["addr"] == "192.0.2.10" and q["client"]["helo"] == "client.example"
for e in ev:
    assert e["v"] == 1 and e["policy_digest"].startswith("sha256:") and e["total_ms"] >= 0
PY

mv "$WORK/events.json" "$WORK/events.json.1"
kill -USR1 "$MILTER_PID"
check "reload counted" sh -c "for i in \$(seq 50); do curl -sf http://127.0.0.1:$PORT/metrics | grep -qx 'kensa_policy_reloads_total{result=\"ok\"} 1' && exit 0; sleep 0.1; done; exit 1"
cat >"$WORK/ops2.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
t.send(conn, "QOPS4", t.plain_headers("after rotate"), "body\r\n")
mt.disconnect(conn)
LUA
check "message after rotation" run_lua "$WORK/ops2.lua"
check "event log reopened on SIGUSR1" grep -q '"queue_id":"QOPS4"' "$WORK/events.json"
check "old file keeps the old lines only" test "$(wc -l <"$WORK/events.json.1")" = 3
finish
