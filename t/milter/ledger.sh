#!/bin/bash
# The daemon and the thread ledger over the milter protocol: outbound mail
# (SMTP AUTH, or a daemon named in outbound_daemons) is recorded, carries
# only the verdict header and no Subject prefix; an inbound reply from a
# recipient is verified, one from elsewhere flagged; the event log says
# which direction each message went; a ledger that cannot be opened
# leaves mail flowing.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

cat >"$WORK/ledger.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local e = os.getenv
local conn = mt.connect(os.getenv("KENSA_SOCKET"), 20, 0.25)
if conn == nil then t.die("connect") end
mt.macro(conn, SMFIC_CONNECT, "{daemon_name}", e("DAEMON"))
if mt.conninfo(conn, "client.example", e("CLIENT")) ~= nil then t.die("conninfo") end
if mt.getreply(conn) ~= SMFIR_CONTINUE then t.die("conninfo reply") end
if mt.helo(conn, "client.example") ~= nil then t.die("helo") end
mt.macro(conn, SMFIC_MAIL, "i", e("QID"), "{auth_authen}", e("AUTH"))
if mt.mailfrom(conn, "<" .. e("FROM") .. ">") ~= nil then t.die("mailfrom") end
if mt.rcptto(conn, "<" .. e("RCPT") .. ">") ~= nil then t.die("rcptto") end
local headers = {
	{"From", e("FROM_HEADER")}, {"To", e("TO_HEADER")},
	{"Subject", e("SUBJECT")}, {"Message-ID", e("MSGID")},
}
if e("REPLY_TO_ID") ~= "" then table.insert(headers, {"In-Reply-To", e("REPLY_TO_ID")}) end
for _, h in ipairs(headers) do
	if mt.header(conn, h[1], h[2]) ~= nil then t.die("header") end
end
if mt.eoh(conn) ~= nil then t.die("eoh") end
if mt.bodystring(conn, e("BODY") .. "\r\n") ~= nil then t.die("body") end
if mt.eom(conn) ~= nil then t.die("eom") end
mt.getreply(conn)
for _, name in ipairs({"X-Kensa-Verdict", "X-Kensa-Score", "X-Kensa-Rules"}) do
	if mt.eom_check(conn, MT_HDRADD, name) then print("added " .. name) end
end
if mt.eom_check(conn, MT_HDRCHANGE, "Subject") then print("changed Subject") end
mt.disconnect(conn)
LUA

# send QID AUTH DAEMON FROM_HEADER TO_HEADER RCPT MSGID REPLY_TO_ID [SUBJECT]
send() {
	(export QID="$1" AUTH="$2" DAEMON="$3" FROM_HEADER="$4" TO_HEADER="$5" \
		RCPT="$6" MSGID="$7" REPLY_TO_ID="$8" SUBJECT="${9:-estimate}" \
		CLIENT=192.0.2.10 FROM=sender@example.org BODY=hello
	 run_lua "$WORK/ledger.lua") >"$WORK/$1.out"
}
# has QID TEXT: the event log line of one message holds TEXT
has() { grep "\"queue_id\":\"$1\"" "$WORK/events.jsonl" | grep -q -F -- "$2"; }
lacks() { grep -q "\"queue_id\":\"$1\"" "$WORK/events.jsonl" && ! has "$@"; }

printf 'state_dir: %s\nlocal_domains: [ours.example.jp]\n' "$WORK/state" >"$WORK/cli.yaml"
# a policy that tags any thread finding, so that its Subject rewrite shows
cat >"$WORK/policy.yaml" <<'YAML'
version: 1
rules:
  - {name: thread, when: {finding: 'thread.*'}, action: tag, subject_prefix: '[THREAD] '}
  - {name: hello, when: {header: {name: Subject, match: '*estimate*'}}, action: tag, subject_prefix: '[EST] '}
YAML
TEST_POLICY="$WORK/policy.yaml" kensa_start_milter \
	-o event_log="$WORK/events.jsonl" -o local_domains=ours.example.jp \
	-o internal_networks= || exit 1

TARO='Taro Yamada <taro@ours.example.jp>'
HANAKO='Hanako Suzuki <hanako@partner.example.com>'
send QO1 taro smtpd "$TARO" "$HANAKO" hanako@partner.example.com \
	'<m1@ours.example.jp>' '' 'RE: estimate'
check "outbound: no thread findings (a reply subject without references)" \
	lacks QO1 '"thread.'
check "outbound (SMTP AUTH): the verdict header" grep -qx 'added X-Kensa-Verdict' "$WORK/QO1.out"
check "outbound: no score or rules header" \
	sh -c "! grep -q -e 'added X-Kensa-Score' -e 'added X-Kensa-Rules' '$WORK/QO1.out'"
check "outbound: tagged, but the Subject is left alone" \
	sh -c "! grep -q 'changed Subject' '$WORK/QO1.out'"
check "outbound: the event log says so" has QO1 '"direction":"outbound"'
"$KENSA" ledger --config "$WORK/cli.yaml" show '<m1@ours.example.jp>' >"$WORK/show.out"
check "outbound: recorded in the daemon's ledger, read by kensa ledger at the same time" \
	grep -q '1 recipient(s) in 1 organization(s): partner.example.com' "$WORK/show.out"

send QO2 '' ORIGINATING "$TARO" 'Bob Smith <bob@other.example.org>' \
	bob@other.example.org '<m2@ours.example.jp>' ''
check "outbound by daemon name (ORIGINATING)" has QO2 '"direction":"outbound"'
"$KENSA" ledger --config "$WORK/cli.yaml" show '<m2@ours.example.jp>' >/dev/null
check "recorded too" test $? = 0

send QI1 '' smtpd "$HANAKO" "$TARO" taro@ours.example.jp \
	'<r1@partner.example.com>' '<m1@ours.example.jp>'
check "inbound: the event log says so" has QI1 '"direction":"inbound"'
check "inbound reply from the recipient: verified" has QI1 thread.reply_verified
check "inbound: score and rules headers" grep -q 'added X-Kensa-Score' "$WORK/QI1.out"
check "inbound: tagged mail gets its Subject prefix" grep -q 'changed Subject' "$WORK/QI1.out"

send QI2 '' smtpd 'Hanako Suzuki <hanako@evil.example.net>' "$TARO" \
	taro@ours.example.jp '<r2@ours.example.jp>' '<m1@ours.example.jp>'
check "inbound reply from elsewhere: ledger mismatch" has QI2 \
	'{"id":"thread.ledger_mismatch","part":[],"detail":"partner.example.com"}'
check "inbound reply from elsewhere: the name is impersonated" \
	has QI2 thread.display_name_impersonation
check "inbound: the Message-ID made to look like ours" \
	has QI2 thread.msgid_recipient_domain
send QI4 '' smtpd "$HANAKO" "$TARO" taro@ours.example.jp \
	'<r4@partner.example.com>' '' 'RE: estimate'
check "inbound: the parser's thread findings stay" has QI4 thread.fake_reply
check "inbound mail is not recorded" \
	sh -c "! '$KENSA' ledger --config '$WORK/cli.yaml' show '<r2@ours.example.jp>' >/dev/null"

# a ledger that cannot be opened: logged, and mail flows
kensa_stop_milter
TEST_POLICY="$WORK/policy.yaml" kensa_start_milter \
	-o event_log="$WORK/events.jsonl" -o ledger.location=redis://bad:host \
	|| exit 1
check "a broken ledger location is logged" wait_for 'ledger redis://bad:host: expected redis://HOST:PORT/DB' "$WORK/milter.log"
send QI3 '' smtpd "$HANAKO" "$TARO" taro@ours.example.jp \
	'<r3@partner.example.com>' '<m1@ours.example.jp>'
check "without a ledger, mail is still decided" grep -q 'added X-Kensa-Verdict' "$WORK/QI3.out"

finish
