#!/bin/bash
# Milter protocol tests with miltertest against the real kensa-milter:
# accept, tag, reject, quarantine, forged headers, tempfail on a spool
# fault, monitor mode.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

kensa_start_milter || exit 1
check "accept, tag, reject, quarantine over the milter protocol" \
	run_lua "$abs_top_srcdir/t/milter/protocol.lua"
check "one log line per message with queue id and verdict" \
	grep -q 'QREJECT: verdict=reject score=0 rules=executable' "$WORK/milter.log"
check "quarantine logged with its queue id" \
	grep -q 'QHOLD: verdict=quarantine' "$WORK/milter.log"
check "SIGTERM stops cleanly (exit 0)" kensa_stop_milter

# A spool fault is transient: 451 4.7.1, the MTA keeps the mail.
kensa_start_milter -o spool_memory_limit=0 || exit 1
rm -rf "$WORK/spool"
cat >"$WORK/tempfail.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local reply = t.send(conn, "QFAULT", t.plain_headers("spool fault"), "body\r\n")
t.expect(reply == SMFIR_REPLYCODE, "spool fault answered with a reply code")
t.expect(mt.eom_check(conn, MT_SMTPREPLY, "451", "4.7.1",
	"Content filter temporarily unavailable, try again later"), "reply is 451 4.7.1")
mt.disconnect(conn)
LUA
check "tempfail on an internal error" run_lua "$WORK/tempfail.lua"
kensa_stop_milter

# on_error: accept lets the mail through and logs a warning.
kensa_start_milter -o spool_memory_limit=0 -o on_error=accept || exit 1
rm -rf "$WORK/spool"
cat >"$WORK/onerror.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local reply = t.send(conn, "QONERR", t.plain_headers("on error"), "body\r\n")
t.expect(reply == SMFIR_ACCEPT, "on_error: accept accepts")
mt.disconnect(conn)
LUA
check "on_error: accept" run_lua "$WORK/onerror.lua"
check "accept-on-error logged as a warning and counted" \
	grep -q 'warning: accepting on error (on_error: accept, 1 so far)' "$WORK/milter.log"
kensa_stop_milter

# monitor mode: the verdict is computed and logged, the mail only tagged.
sed 's/^mode: enforce/mode: monitor/' "$POLICY" >"$WORK/monitor.yaml"
TEST_POLICY="$WORK/monitor.yaml" kensa_start_milter || exit 1
cat >"$WORK/monitor.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local h, body = t.attachment_message("invoice", "invoice.pdf", t.EXE_BASE64)
local reply = t.send(conn, "QMON", h, body)
t.expect(reply == SMFIR_CONTINUE or reply == SMFIR_ACCEPT, "monitor mode does not reject")
t.expect(mt.eom_check(conn, MT_HDRADD, "X-Kensa-Verdict", " reject; mode=monitor"),
	"verdict header shows the would-be verdict")
t.expect(not mt.eom_check(conn, MT_QUARANTINE), "monitor mode does not quarantine")
mt.disconnect(conn)
LUA
check "monitor mode only tags" run_lua "$WORK/monitor.lua"
check "monitor verdict logged" grep -q 'QMON: verdict=reject (monitor)' "$WORK/milter.log"
# Reply texts keep '%' doubled for the MTA (Postfix undoes it); a
# non-ASCII Subject prefix goes in as an RFC 2047 encoded word.
sed -e 's/Executable attachments are not accepted/Programs 100% refused/' \
	-e 's/^subject_prefix: .*/subject_prefix: "[要注意]"/' "$POLICY" >"$WORK/texts.yaml"
TEST_POLICY="$WORK/texts.yaml" kensa_start_milter || exit 1
cat >"$WORK/texts.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local h, body = t.attachment_message("invoice", "invoice.pdf", t.EXE_BASE64)
t.expect(t.send(conn, "QPCT", h, body) == SMFIR_REPLYCODE, "refused")
t.expect(mt.eom_check(conn, MT_SMTPREPLY, "550", "5.7.1", "Programs 100%% refused"),
	"'%' doubled in the reply")
mt.disconnect(conn)
conn = t.connect()
h = t.plain_headers("broken")
table.insert(h, {"Content-Type", "multipart/mixed"})
t.send(conn, "QJP", h, "no boundary here\r\n")
t.expect(mt.eom_check(conn, MT_HDRCHANGE, "Subject", " =?UTF-8?B?W+imgeazqOaEj10=?= broken"),
	"non-ASCII prefix RFC 2047-encoded")
mt.disconnect(conn)
LUA
check "reply text and subject prefix encodings" run_lua "$WORK/texts.lua"
kensa_stop_milter
finish
