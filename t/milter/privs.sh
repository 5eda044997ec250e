#!/bin/bash
# Privileges: started as root with user/group set, kensa-milter creates its
# directories and socket for that user, drops to it for good (the daemon
# and its scan workers), and still scans mail; -t checks the policy as
# that user, so an unreadable policy is refused.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

check "running as root" test "$(id -u)" = 0
world_readable_copies
USER_NAME=nobody
GROUP_NAME=$(id -gn nobody)
cp "$POLICY" "$WORK/policy.yaml"
chmod 644 "$WORK/policy.yaml"

kensa_start_milter -o user=$USER_NAME -o group=$GROUP_NAME \
	-o "policy=$WORK/policy.yaml" || exit 1
check "daemon runs as $USER_NAME" test "$(ps -o user= -p "$MILTER_PID" | tr -d ' ')" = "$USER_NAME"
check "real, effective and saved uid all dropped" \
	sh -c "grep '^Uid:' /proc/$MILTER_PID/status | awk '{exit !(\$2==\$3 && \$3==\$4 && \$2==$(id -u $USER_NAME))}'"
check "supplementary groups dropped" \
	sh -c "grep '^Groups:' /proc/$MILTER_PID/status | awk '{exit !(NF <= 2)}'"
for w in $(pgrep -P "$MILTER_PID"); do
	check "scan worker $w runs as $USER_NAME" test "$(ps -o user= -p "$w" | tr -d ' ')" = "$USER_NAME"
	check "scan worker $w has no new privileges and a seccomp filter" \
		sh -c "grep -q '^NoNewPrivs:[[:space:]]*1' /proc/$w/status && grep -q '^Seccomp:[[:space:]]*2' /proc/$w/status"
done
check "socket owned by $USER_NAME" test "$(stat -c %U "$SOCKET")" = "$USER_NAME"
check "socket mode 0660" test "$(stat -c %a "$SOCKET")" = 660
check "spool dir created for $USER_NAME, mode 0700" \
	test "$(stat -c '%U %a' "$WORK/spool")" = "$USER_NAME 700"
check "state dir created for $USER_NAME" test "$(stat -c %U "$WORK/state")" = "$USER_NAME"

chmod 666 "$SOCKET"
cat >"$WORK/privs.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local h, body = t.attachment_message("invoice", "invoice.pdf", t.EXE_BASE64)
t.expect(t.send(conn, "QPRIV", h, body) == SMFIR_REPLYCODE, "unprivileged daemon still rejects")
mt.disconnect(conn)
LUA
check "mail scanned after the drop" run_lua "$WORK/privs.lua"
kensa_stop_milter

chmod 600 "$WORK/policy.yaml"
"$KENSA_MILTER" -c "$CONFIG" -t -o user=$USER_NAME -o group=$GROUP_NAME \
	-o socket_group= -o "policy=$WORK/policy.yaml" 2>"$WORK/t.err"
check "-t as $USER_NAME refuses a policy it cannot read" test $? != 0
check "-t says which file" grep -q "policy.yaml" "$WORK/t.err"

chmod 644 "$WORK/policy.yaml"
mkdir -p "$WORK/rootonly" && chmod 700 "$WORK/rootonly"
"$KENSA_MILTER" -c "$CONFIG" -t -o user=$USER_NAME -o group=$GROUP_NAME \
	-o socket_group= -o "policy=$WORK/policy.yaml" \
	-o "spool_dir=$WORK/rootonly" 2>"$WORK/t3.err"
check "-t as $USER_NAME refuses a spool dir it cannot write" test $? != 0
check "-t names the directory" grep -q "rootonly: not writable" "$WORK/t3.err"
finish
