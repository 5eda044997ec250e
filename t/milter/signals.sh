#!/bin/bash
# Signals: SIGUSR1 reloads the policy (a broken one is refused with its
# line and column and the old one keeps running); SIGHUP and SIGTERM stop
# cleanly, and a message in flight at SIGTERM still gets its answer.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

# expect_reject TEXT: an executable is refused with 550 5.7.1 TEXT
expect_reject() {
	cat >"$WORK/reject.lua" <<LUA
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local h, body = t.attachment_message("invoice", "invoice.pdf", t.EXE_BASE64)
local reply = t.send(conn, "QSIG", h, body)
t.expect(reply == SMFIR_REPLYCODE, "refused")
t.expect(mt.eom_check(conn, MT_SMTPREPLY, "550", "5.7.1", "$1"), "text: $1")
mt.disconnect(conn)
LUA
	run_lua "$WORK/reject.lua"
}

cp "$POLICY" "$WORK/policy.yaml"
TEST_POLICY="$WORK/policy.yaml" kensa_start_milter || exit 1
check "policy in force" expect_reject "Executable attachments are not accepted"

printf 'version: 1\nrules:\n  - name: x\n    bogus: 1\n' >"$WORK/policy.yaml"
kill -USR1 "$MILTER_PID"
check "broken policy refused with line and column" \
	wait_for 'policy refused: .*policy.yaml:4:5: unknown key' "$WORK/milter.log"
check "reload failure logged" wait_for 'reload failed; the old policy stays' "$WORK/milter.log"
check "old policy keeps running after a broken reload" \
	expect_reject "Executable attachments are not accepted"

sed 's/Executable attachments are not accepted/Programs are refused here/' \
	"$POLICY" >"$WORK/policy.yaml"
kill -USR1 "$MILTER_PID"
check "fixed policy loaded" wait_for 'policy .*policy.yaml loaded' "$WORK/milter.log"
sleep 0.2
check "new policy in force after SIGUSR1" expect_reject "Programs are refused here"
check "daemon survived both reloads" kill -0 "$MILTER_PID"

# Reload under load: a policy whose list grows swaps in while messages
# flow; none of them fails.
# (the default policy has a lists: section already: the list joins it)
sed -e 's/^lists:$/lists:\n  blocked: {type: domain, file: blocked.txt}/' \
	-e 's/^rules:/rules:\n  - {name: blocked-sender, when: {from_domain: {list: blocked}}, action: reject}/' \
	"$POLICY" >"$WORK/policy.yaml"
echo "nothing.example" >"$WORK/blocked.txt"
nrules=$(($(grep -c '^  - name:' "$POLICY") + 1))
kill -USR1 "$MILTER_PID"
check "policy with a list loaded" wait_for "policy .*policy.yaml loaded: $nrules rules" "$WORK/milter.log"
cat >"$WORK/load.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
for i = 1, 40 do
	local reply = t.send(conn, "QLOAD" .. i, t.plain_headers("load " .. i), "body\r\n")
	if reply ~= SMFIR_CONTINUE and reply ~= SMFIR_ACCEPT then t.die("message " .. i .. " failed") end
	mt.sleep(0.02)
end
print("40 messages answered")
mt.disconnect(conn)
LUA
( for i in 1 2 3 4 5; do sleep 0.15; echo "x$i.example" >>"$WORK/blocked.txt"; kill -USR1 "$MILTER_PID"; done ) &
RELOADER=$!
check "no message fails while the policy reloads" run_lua "$WORK/load.lua"
wait "$RELOADER"
check "the new list entries are in force" wait_for "policy .*policy.yaml loaded: $nrules rules" "$WORK/milter.log"
cat >"$WORK/blocked.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local h = t.plain_headers("from a listed domain")
h[1] = {"From", "Someone <someone@x5.example>"}
t.expect(t.send(conn, "QBLOCK", h, "body\r\n") == SMFIR_REPLYCODE, "the last entry of the reloaded list rejects")
mt.disconnect(conn)
LUA
sleep 0.3
check "reloaded list applies" run_lua "$WORK/blocked.lua"

kill -HUP "$MILTER_PID"
wait "$MILTER_PID"
rc=$?
MILTER_PID=""
check "SIGHUP stops with exit 0" test "$rc" = 0

# SIGTERM while a message is in flight: the message still gets its answer.
kensa_start_milter || exit 1
cat >"$WORK/drain.lua" <<LUA
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
t.send_until_eom(conn, "QDRAIN", t.plain_headers("in flight"), "body\r\n")
os.execute("kill -TERM $MILTER_PID")
mt.sleep(1)
if mt.eom(conn) ~= nil then t.die("eom after SIGTERM") end
local reply = mt.getreply(conn)
t.expect(reply == SMFIR_CONTINUE or reply == SMFIR_ACCEPT, "message in flight answered after SIGTERM")
t.expect(mt.eom_check(conn, MT_HDRADD, "X-Kensa-Verdict", " accept"), "and tagged")
mt.disconnect(conn)
LUA
WORKERS=$(pgrep -P "$MILTER_PID" | tr '\n' ' ')
check "scan workers running" test -n "$WORKERS"
check "drain on SIGTERM" run_lua "$WORK/drain.lua"
wait "$MILTER_PID"
rc=$?
MILTER_PID=""
check "SIGTERM stops with exit 0" test "$rc" = 0
check "stop logged" grep -q "info: stopped" "$WORK/milter.log"
gone() { for p in $WORKERS; do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
check "no scan worker left behind" gone
finish
