#!/bin/bash
# The thread ledger through the kensa command, with both backends: LMDB in
# a directory, and a real redis-server this test starts on loopback (with a
# password and an ACL user). kensa ledger record seeds it from a Sent
# folder (files and mbox); kensa scan --ledger then finds genuine replies
# verified, a hijacked reply and a reply to an unknown Message-ID of ours
# flagged, and first contact left alone; an unreachable Redis costs a
# warning, not the scan.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

DATA="$abs_top_srcdir/t/data/ledger"
mkdir -p "$WORK/state"
printf 'state_dir: %s\nlocal_domains: [ours.example.jp]\nledger:\n  key_file: %s\n' \
	"$WORK/state" "$WORK/ledger.key" >"$WORK/kensa.yaml"

# findings FILE LEDGER [CONFIG]: the sorted finding ids of kensa scan
# --json and the verdict, on one line
findings() {
	"$KENSA" scan --config "${3:-$WORK/kensa.yaml}" --policy "$POLICY" \
		--ledger "$2" --json "$DATA/$1" 2>>"$WORK/scan.err" |
		python3 -c 'import json,sys; o=json.load(sys.stdin); print(" ".join(sorted(f["id"] for f in o["findings"] if f["id"].startswith("thread."))), o["verdict"])'
}

# expect_thread LEDGER WHAT: the four replies against the recorded folder
expect_thread() {
	local out
	out=$(findings reply_genuine.eml "$1")
	check "$2: genuine reply verified ($out)" test "$out" = "thread.reply_verified accept"
	out=$(findings reply_hijacked.eml "$1")
	check "$2: hijacked reply flagged ($out)" test "${out% *}" = \
		"thread.display_name_impersonation thread.ledger_mismatch thread.msgid_recipient_domain"
	check "$2: the hijacked reply with an executable is not accepted" \
		test "${out##* }" != accept
	out=$(findings reply_unknown.eml "$1")
	check "$2: reply to an unrecorded Message-ID of ours ($out)" \
		test "${out% *}" = "thread.ledger_unknown"
	out=$(findings newsletter.eml "$1")
	check "$2: first contact has no thread finding ($out)" test "$out" = " accept"
}

# ---- LMDB ----
LMDB="$WORK/ledger-db"
"$KENSA" ledger --config "$WORK/kensa.yaml" --ledger "$LMDB" record \
	"$DATA/sent" >"$WORK/record.out" 2>&1
check "record exits 0" test $? = 0
check "record counts two recorded, one without Message-ID" \
	grep -q "recorded 2 message(s) in $LMDB; 1 without" "$WORK/record.out"
check "the key file is made, mode 0600" \
	test "$(stat -c %a "$WORK/ledger.key")" = 600
"$KENSA" ledger --config "$WORK/kensa.yaml" --ledger "$LMDB" show \
	'<20210309.1926.abc123@mail.ours.example.jp>' >"$WORK/show.out"
check "show finds the sent message" test $? = 0
check "show lists the domains written to" \
	grep -q '2 recipient(s) in 2 organization(s): partner.example.com sales.other.example.org' "$WORK/show.out"
"$KENSA" ledger --config "$WORK/kensa.yaml" --ledger "$LMDB" show '<nope@x>' >/dev/null
check "show of an unknown Message-ID exits 1" test $? = 1
"$KENSA" ledger --config "$WORK/kensa.yaml" --ledger "$LMDB" stats >"$WORK/stats.out"
check "stats counts the entries (2 messages, 2 names)" grep -q '^entries: 4$' "$WORK/stats.out"
expect_thread "$LMDB" lmdb
check "no warnings from the LMDB scans" test ! -s "$WORK/scan.err"

out=$(findings reply_hijacked.eml off)
check "ledger off: only the envelope check ($out)" \
	test "${out% *}" = "thread.msgid_recipient_domain"

# ---- Redis ----
PORT=$((20000 + RANDOM % 20000))
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no \
	--dir "$WORK" --requirepass 'sekrit pass' >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
trap 'kill $REDIS_PID 2>/dev/null; cleanup' EXIT
rcli() { redis-cli -p "$PORT" -a 'sekrit pass' --no-auth-warning "$@"; }
for _ in $(seq 1 50); do
	rcli ping 2>/dev/null | grep -q PONG && break
	sleep 0.1
done
printf 'sekrit pass\n' >"$WORK/redis.pass"
chmod 600 "$WORK/redis.pass"
printf '  redis_password_file: %s\n' "$WORK/redis.pass" >>"$WORK/kensa.yaml"
URL="redis://127.0.0.1:$PORT/3"
"$KENSA" ledger --config "$WORK/kensa.yaml" --ledger "$URL" record \
	"$DATA/sent" >"$WORK/record.out" 2>&1
check "redis: record exits 0" test $? = 0
rcli -n 3 --scan --pattern 'kensa:*' >"$WORK/keys"
check "redis: the entries are in database 3 ($(wc -l <"$WORK/keys") keys)" \
	test "$(grep -c '^kensa:[mn]:[0-9a-f]\{64\}$' "$WORK/keys")" = 4
ttl=$(rcli -n 3 ttl "$(head -n 1 "$WORK/keys")")
check "redis: time to live is the retention, 180 days ($ttl s)" \
	test "$ttl" -gt 15551000 -a "$ttl" -le 15552000
while read -r k; do rcli -n 3 get "$k"; done <"$WORK/keys" >"$WORK/values"
check "redis: values stored" test -s "$WORK/values"
check "redis: no address or name in clear in the store" \
	sh -c "! grep -a -q -e 'hanako@' -e 'bob@' -e 'Bob Smith' '$WORK/values'"
expect_thread "$URL" redis

# an ACL user that may only use kensa's keys
rcli ACL SETUSER kensa on '>user pass' '~kensa:*' +get +set +select +dbsize \
	+ping >/dev/null
printf 'user pass\n' >"$WORK/user.pass"
chmod 600 "$WORK/user.pass"
sed "s|redis_password_file: .*|redis_password_file: $WORK/user.pass|" \
	"$WORK/kensa.yaml" >"$WORK/acl.yaml"
printf '  redis_user: kensa\n' >>"$WORK/acl.yaml"
out=$(findings reply_genuine.eml "$URL" "$WORK/acl.yaml")
check "redis ACL user: reply verified ($out)" test "$out" = "thread.reply_verified accept"

chmod 644 "$WORK/user.pass"
"$KENSA" scan --config "$WORK/acl.yaml" --policy "$POLICY" --ledger "$URL" \
	"$DATA/reply_genuine.eml" >/dev/null 2>"$WORK/mode.err"
check "a password file readable by others is refused" \
	grep -q 'must not be readable by group or others' "$WORK/mode.err"

# Redis gone: mail is scanned, a warning says why, no ledger finding
kill "$REDIS_PID"
wait "$REDIS_PID" 2>/dev/null
: >"$WORK/scan.err"
out=$(findings reply_hijacked.eml "$URL")
check "redis down: the scan goes on without ledger findings ($out)" \
	test "${out% *}" = "thread.msgid_recipient_domain"
check "redis down: a warning names the ledger" \
	grep -q "ledger redis://127.0.0.1:$PORT/3: redis 127.0.0.1:$PORT" "$WORK/scan.err"
out=$(findings reply_unknown.eml "$URL")
check "redis down: no thread.ledger_unknown for an unanswered lookup ($out)" \
	test "$out" = " accept"

finish
