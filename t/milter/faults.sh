#!/bin/bash
# Faults, with the daemon running as an unprivileged user (root would
# ignore permissions and pass vacuously): a full spool directory answers
# 4xx and never accepts unscanned mail, while small messages (spooled in
# memory) still pass; a client that disconnects mid-message leaves no
# spool file behind and nothing in flight.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

world_readable_copies
SPOOL="$WORK/spool"
mkdir -p "$SPOOL"
MOUNTED=0
if mount -t tmpfs -o size=1m,mode=0700 tmpfs "$SPOOL" 2>/dev/null; then
	MOUNTED=1
	trap 'umount "$SPOOL" 2>/dev/null; cleanup' EXIT
else # no mount here: a file size limit stands in for a full disk
	printf '#!/bin/sh\nexec prlimit --fsize=1048576 -- %s "$@"\n' \
		"$KENSA_MILTER" >"$WORK/limited-milter"
	chmod 755 "$WORK/limited-milter"
	KENSA_MILTER="$WORK/limited-milter"
fi
chown nobody "$SPOOL"
kensa_start_milter -o user=nobody -o "group=$(id -gn nobody)" \
	-o spool_memory_limit=64K -o drain_timeout=20s || exit 1
chmod 666 "$SOCKET"

cat >"$WORK/big.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local line = string.rep("x", 998) .. "\r\n"
local body = string.rep(line, tonumber(os.getenv("KB")))
local reply = t.send(conn, os.getenv("QID"), t.plain_headers("size " .. os.getenv("KB")), body)
if reply == SMFIR_REPLYCODE and mt.eom_check(conn, MT_SMTPREPLY, "451", "4.7.1",
	"Content filter temporarily unavailable, try again later") then
	print("tempfail")
elseif reply == SMFIR_CONTINUE or reply == SMFIR_ACCEPT then
	print("accepted")
end
mt.disconnect(conn)
LUA
(export QID=QFULL KB=2048; run_lua "$WORK/big.lua") >"$WORK/full.out"
check "a full spool answers 451, never accept-unscanned" grep -qx tempfail "$WORK/full.out"
check "logged as a spool failure" grep -q 'QFULL: spool I/O failed' "$WORK/milter.log"
(export QID=QSMALL KB=16; run_lua "$WORK/big.lua") >"$WORK/small.out"
check "a small message (spooled in memory) still passes" grep -qx accepted "$WORK/small.out"
check "daemon still running" kill -0 "$MILTER_PID"

cat >"$WORK/drop.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
t.send_until_eom(conn, "QDROP", t.plain_headers("dropped"),
	string.rep(string.rep("y", 998) .. "\r\n", 200))
mt.disconnect(conn, false)
print("dropped")
LUA
check "client drops mid-message" run_lua "$WORK/drop.lua"
sleep 0.5
check "no spool file left behind" test -z "$(find "$SPOOL" -type f)"
check "spool space given back" sh -c "[ $MOUNTED = 0 ] || [ \$(df -k --output=used '$SPOOL' | tail -1) -lt 100 ]"
start=$(date +%s)
kensa_stop_milter
check "nothing in flight: stop does not wait for the drain timeout" \
	test $(($(date +%s) - start)) -lt 15
check "no 'stopping with N messages in flight' warning" sh -c "! grep -q 'stopping with' '$WORK/milter.log'"
finish
