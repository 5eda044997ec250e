#!/bin/bash
# kensa's own quarantine store through the real daemon: a quarantined
# message is written (message + metadata) before the MTA is told to
# discard it; `kensa quarantine` lists, shows, releases (over SMTP, to
# smtp-sink, with a release stamp the daemon then honours), deletes and
# purges; a failed write answers 4xx; half-written entries stay invisible.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

QDIR="$WORK/quarantine"
SINK_PORT=$((20000 + $$ % 1000))
mkdir -p "$WORK/sink"
chown nobody "$WORK/sink"
smtp-sink -u nobody -d "$WORK/sink/%M." "127.0.0.1:$SINK_PORT" 10 &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null; cleanup' EXIT
cat >"$WORK/kensa.yaml" <<YAML
quarantine_method: store
quarantine_dir: $QDIR
release_smtp: 127.0.0.1:$SINK_PORT
state_dir: $WORK/state
YAML
CONFIG="$WORK/kensa.yaml" kensa_start_milter || exit 1
Q() { "$KENSA" quarantine --config "$WORK/kensa.yaml" "$@"; }

# the image message, as lib.lua builds it, sent with extra headers
cat >"$WORK/send.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local stamp = os.getenv("STAMP")
local conn = t.connect()
local h, body = t.attachment_message("image", "disk.img", t.TEXT_BASE64)
if os.getenv("PLAIN") == "1" then h, body = t.plain_headers("hello"), "body\r\n" end
if stamp then table.insert(h, 1, {"X-Kensa-Released", stamp}) end
if os.getenv("TAMPER") == "1" then body = body .. "tampered\r\n" end
local reply = t.send(conn, os.getenv("QID"), h, body)
print("reply=" .. reply)
if reply == SMFIR_DISCARD then print("discarded") end
if mt.eom_check(conn, MT_HDRDELETE, "X-Kensa-Released") then print("stamp deleted") end
if mt.eom_check(conn, MT_HDRADD, "X-Kensa-Verdict", " tag") then print("verdict tag") end
if mt.eom_check(conn, MT_SMTPREPLY, "451", "4.7.1",
	"Content filter temporarily unavailable, try again later") then print("tempfail") end
mt.disconnect(conn)
LUA
send() { # send QID [STAMP]; TAMPER=1, PLAIN=1 change the message
	(
		export QID="$1"
		[ -n "${2:-}" ] && export STAMP="$2"
		export TAMPER PLAIN
		run_lua "$WORK/send.lua"
	)
}
TAMPER=
PLAIN=

send QSTORE1 >"$WORK/s1.out"
check "quarantined message discarded after it was stored" grep -qx discarded "$WORK/s1.out"
ID=$(Q list --json | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')
check "listed with an id" test -n "$ID"
check "id in the log line" grep -q "QSTORE1: verdict=quarantine .* quarantine=$ID" "$WORK/milter.log"
DAY="$QDIR/${ID:0:4}-${ID:4:2}-${ID:6:2}"
check "message and metadata stored, mode 0640" \
	test "$(stat -c %a "$DAY/$ID.eml") $(stat -c %a "$DAY/$ID.json")" = "640 640"
check "stored bytes are the message (headers included)" grep -q '^Subject: image' "$DAY/$ID.eml"
check "metadata has envelope, rules and policy digest" python3 - "$DAY/$ID.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["envelope"]["sender"] == "sender@example.org", m["envelope"]
assert m["envelope"]["recipients"] == ["rcpt@example.net"]
assert m["rules"] == ["disk-image-or-installer"] and m["verdict"] == "quarantine"
assert m["queue_id"] == "QSTORE1" and m["quarantine"]["method"] == "store"
assert m["policy_digest"].startswith("sha256:") and m["client"]["helo"] == "client.example"
PY
check "list filters by rule" sh -c "'$KENSA' quarantine --config '$WORK/kensa.yaml' list --rule 'disk-*' | grep -q '$ID'"
check "list filters out other rules" sh -c "! '$KENSA' quarantine --config '$WORK/kensa.yaml' list --rule 'nope*' | grep -q ."
check "list filters by sender" sh -c "'$KENSA' quarantine --config '$WORK/kensa.yaml' list --sender '*@EXAMPLE.org' | grep -q '$ID'"
check "show prints metadata and headers" sh -c "'$KENSA' quarantine --config '$WORK/kensa.yaml' show $ID | grep -q '^Subject: image'"
check "a malformed id is refused before any path" sh -c "! '$KENSA' quarantine --config '$WORK/kensa.yaml' show ../../etc/passwd"

check "release over SMTP" Q release "$ID"
check "release audited" grep -q "\"action\":\"release\",\"id\":\"$ID\"" "$QDIR/audit.log"
check "audit log readable by owner and group only" test "$(stat -c %a "$QDIR/audit.log")" = 640
for _ in $(seq 50); do ls "$WORK/sink" | grep -q . && break; sleep 0.1; done
REL=$(ls "$WORK/sink"/* 2>/dev/null | head -1)
check "released message arrived" test -n "$REL"
STAMP=$(sed -n 's/^X-Kensa-Released: //p' "$REL" | tr -d '\r')
check "release stamp carries the id" sh -c "echo '$STAMP' | grep -q '^$ID; hmac=[0-9a-f]\{64\}$'"

send QREL "$STAMP" >"$WORK/s2.out"
check "a valid stamp lets the message through, tagged" grep -qx "verdict tag" "$WORK/s2.out"
check "and the stamp stays" sh -c "! grep -qx 'stamp deleted' '$WORK/s2.out'"
check "release logged" grep -q "QREL: verdict=tag .* released=$ID" "$WORK/milter.log"
TAMPER=1 send QTAMPER "$STAMP" >"$WORK/s3.out"
check "a stamp on other content is not honoured" grep -qx discarded "$WORK/s3.out"
PLAIN=1 send QFORGED "20000101T000000Z-0123456789ab; hmac=$(printf '0%.0s' $(seq 64))" >"$WORK/s5.out"
check "a forged stamp is stripped from mail let through" grep -qx "stamp deleted" "$WORK/s5.out"

check "delete" Q delete "$ID"
check "deleted entry gone" sh -c "! '$KENSA' quarantine --config '$WORK/kensa.yaml' list | grep -q '$ID'"

# half-written entries (crash between temp file and rename) stay invisible
ORPHAN="20000101T000000Z-0123456789ab"
mkdir -p "$QDIR/2000-01-01"
echo x >"$QDIR/2000-01-01/$ORPHAN.eml"
echo '{}' >"$QDIR/2000-01-01/$ORPHAN.json.tmp"
check "orphans not listed" sh -c "! '$KENSA' quarantine --config '$WORK/kensa.yaml' list | grep -q '$ORPHAN'"
check "purge removes old entries and orphans" Q purge --older-than 30
check "old day emptied" test ! -e "$QDIR/2000-01-01/$ORPHAN.eml"

# a rule may choose the store while kensa.yaml says hold
kensa_stop_milter
sed 's/^\(  - name: disk-image-or-installer\)$/\1\n    quarantine: store\n    copy_to: soc@example.net/' \
	"$POLICY" >"$WORK/rule-store.yaml"
sed -i 's/^quarantine_method: store$/quarantine_method: hold/' "$WORK/kensa.yaml"
CONFIG="$WORK/kensa.yaml" TEST_POLICY="$WORK/rule-store.yaml" kensa_start_milter || exit 1
send QRULE >"$WORK/s6.out"
check "a rule's quarantine: store overrides kensa.yaml's hold" grep -qx discarded "$WORK/s6.out"
check "stored under the rule's method" grep -q "QRULE: verdict=quarantine .* quarantine=" "$WORK/milter.log"
for _ in $(seq 50); do grep -rlq "X-Kensa-Copy" "$WORK/sink" 2>/dev/null && break; sleep 0.1; done
COPY=$(grep -rl "X-Kensa-Copy" "$WORK/sink" 2>/dev/null | head -1)
check "copy_to: a marked copy of the quarantined message goes out" test -n "$COPY"
check "copy names verdict, rule and queue id" \
	grep -q "^X-Kensa-Copy: quarantine; rule=disk-image-or-installer; queue-id=QRULE" "${COPY:-/dev/null}"

# a store that cannot be written: 4xx, nothing lost
TODAY=$(date -u +%Y-%m-%d)
rm -rf "${QDIR:?}/$TODAY"
touch "$QDIR/$TODAY"
send QFAIL >"$WORK/s4.out"
check "failed quarantine write answers 451" grep -qx tempfail "$WORK/s4.out"
check "failure logged" grep -q "QFAIL: quarantine store failed" "$WORK/milter.log"
finish
