#!/bin/bash
# Scan workers: one killed mid-scan is replaced and the message decided
# with scan.error while other connections go on; one that hangs is killed
# at the deadline (scan.timeout); a message that crashed the scanner
# poison_crashes times is answered by on_poison without another scan.
# Uses the daemon's test hooks (test_hooks: true; X-Kensa-Test-Hook).
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

kensa_start_milter -o test_hooks=true -o scan_timeout=3s -o poison_crashes=3 || exit 1
WORKERS_BEFORE=$(pgrep -P "$MILTER_PID" | sort | tr '\n' ' ')

cat >"$WORK/crash.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
-- a second connection, mid-message while the first one's worker dies
local other = t.connect()
t.send_until_eom(other, "QOTHER", t.plain_headers("other"), "body\r\n")
local conn = t.connect()
local h = t.plain_headers("crash me")
table.insert(h, {"X-Kensa-Test-Hook", "crash"})
local reply = t.send(conn, "QCRASH", h, "body\r\n")
t.expect(reply == SMFIR_CONTINUE or reply == SMFIR_ACCEPT, "crashed scan still answered")
t.expect(mt.eom_check(conn, MT_QUARANTINE), "scan.error quarantined by the default policy")
t.expect(mt.eom_check(conn, MT_HDRADD, "X-Kensa-Rules", " not-inspected"), "rule not-inspected")
if mt.eom(other) ~= nil then t.die("eom other") end
reply = mt.getreply(other)
t.expect(reply == SMFIR_CONTINUE or reply == SMFIR_ACCEPT, "other connection unaffected")
t.expect(mt.eom_check(other, MT_HDRADD, "X-Kensa-Verdict", " accept"), "other message accepted")
-- the pool is whole again: several clean messages in a row
for i = 1, 4 do
	reply = t.send(other, "QAFTER" .. i, t.plain_headers("after " .. i), "body\r\n")
	t.expect(mt.eom_check(other, MT_HDRADD, "X-Kensa-Verdict", " accept"), "clean message " .. i .. " after the crash")
end
mt.disconnect(other)
mt.disconnect(conn)
LUA
check "worker killed mid-scan" run_lua "$WORK/crash.lua"
check "crash logged with the message digest" grep -q 'worker killed by a signal (crash 1)' "$WORK/milter.log"
WORKERS_AFTER=$(pgrep -P "$MILTER_PID" | sort | tr '\n' ' ')
check "dead worker replaced (2 workers, one new)" \
	sh -c "[ \$(echo $WORKERS_AFTER | wc -w) = 2 ] && [ '$WORKERS_BEFORE' != '$WORKERS_AFTER' ]"

cat >"$WORK/hang.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local h = t.plain_headers("hang")
table.insert(h, {"X-Kensa-Test-Hook", "hang"})
local start = os.time()
local reply = t.send(conn, "QHANG", h, "body\r\n")
t.expect(os.time() - start <= 6, "answered near the 3 s deadline")
t.expect(mt.eom_check(conn, MT_QUARANTINE), "scan.timeout quarantined")
mt.disconnect(conn)
LUA
check "hung worker killed at the deadline" run_lua "$WORK/hang.lua"
check "timeout logged" grep -q 'scan deadline passed; worker killed' "$WORK/milter.log"

# The same message crashes the scanner twice more; the fourth time it is
# not scanned but answered by on_poison (quarantine).
cat >"$WORK/poison.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local h = t.plain_headers("crash me")
table.insert(h, {"X-Kensa-Test-Hook", "crash"})
for i = 2, 4 do
	local conn = t.connect()
	t.send(conn, "QPOISON" .. i, h, "body\r\n")
	t.expect(mt.eom_check(conn, MT_QUARANTINE), "attempt " .. i .. " quarantined")
	mt.disconnect(conn)
end
LUA
check "poison message" run_lua "$WORK/poison.lua"
check "third crash recorded" grep -q '(crash 3)' "$WORK/milter.log"
check "fourth time answered by on_poison, not scanned" \
	grep -q 'QPOISON4: verdict=quarantine .* poison' "$WORK/milter.log"
check "no fourth crash" sh -c "! grep -q '(crash 4)' '$WORK/milter.log'"
finish
