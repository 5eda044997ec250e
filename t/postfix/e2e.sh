#!/bin/bash
# shellcheck disable=SC2317 # functions called through check
# t/postfix/e2e.sh - kensa-milter behind a real, private Postfix instance.
#
#   swaks --SMTP--> Postfix smtpd 127.0.0.1:$E2E_SMTP_PORT --milter--> kensa-milter
#                   Postfix smtp  --SMTP--> smtp-sink 127.0.0.1:$E2E_SINK_PORT
#
# Postfix gets its own config, queue and data directories under $WORK, runs
# without chroot, DNS or syslog (maillog_file + postlogd) and relays every
# message to smtp-sink, which dumps each one into a file under $WORK/sink
# (the instance, the sink and the leftover guard: t/postfix/lib.sh).
# Needs root (Postfix drops to its mail_owner), postfix, swaks.
#
# Environment: abs_top_builddir, abs_top_srcdir (as from make check).
#   E2E_SMTP_PORT (10025), E2E_SINK_PORT (10026), E2E_RELEASE_PORT (10027),
#   E2E_SUBMISSION_PORT (10028): the loopback ports.
#   KEEP_WORK=1 keeps $WORK (and its logs) after the run.

if [ -z "${abs_top_srcdir:-}" ]; then
	abs_top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
fi
. "$abs_top_srcdir/t/lib.sh"
. "$abs_top_srcdir/t/postfix/lib.sh"

SMTP_PORT=${E2E_SMTP_PORT:-10025}
SINK_PORT=${E2E_SINK_PORT:-10026}
REL_PORT=${E2E_RELEASE_PORT:-10027} # Postfix without milters, for releases
SUB_PORT=${E2E_SUBMISSION_PORT:-10028} # submission: outbound mail
PF="$WORK/pf"          # everything of the Postfix instance
PFCONF="$PF/etc"       # its config_directory
MAILLOG="$PF/maillog"
# for t/postfix/lib.sh: leftovers of an aborted run are found through this
# state file in /tmp; the instance is $WORK/pf
STATE=/tmp/kensa-e2e-postfix.state
PF_TEST=e2e
PF_INSTANCES=pf
PF_PORTS="$SMTP_PORT $SINK_PORT $REL_PORT $SUB_PORT"
PF_PORT_VARS="E2E_SMTP_PORT, E2E_SINK_PORT, E2E_RELEASE_PORT, E2E_SUBMISSION_PORT"

e2e_cleanup() {
	pf_stop
	cleanup # t/lib.sh: stops the milter, removes $WORK
}
trap e2e_cleanup EXIT

diagnostics() {
	echo "--- work directory: $WORK" >&2
	dump_file "postfix maillog" "$MAILLOG"
	dump_file "smtp-sink log" "$WORK/sink.log"
	for f in "$WORK"/swaks.*.out; do
		dump_file "$(basename "$f")" "$f"
	done
	if [ -d "$SINK" ]; then
		echo "--- messages at the sink" >&2
		find "$SINK" -type f -exec sh -c 'echo "=== $1"; cat "$1"' _ {} \; >&2
	fi
}

# ---- the Postfix instance ------------------------------------------------------

write_config() {
	# three smtpd listeners: inbound through the milter, releases without
	# milters, submission (outbound by its daemon name)
	write_postfix_config pf kensa-e2e.test "$SINK_PORT" "\
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$REL_PORT inet n - n - - smtpd
  -o smtpd_milters=
  -o non_smtpd_milters=
127.0.0.1:$SUB_PORT inet n - n - - smtpd
  -o milter_macro_daemon_name=ORIGINATING" "
smtpd_milters = unix:$WORK/kensa.sock
non_smtpd_milters =
milter_default_action = tempfail
milter_protocol = 6"
}

# ---- sending and looking -----------------------------------------------------

# send NAME DATAFILE [PORT FROM TO]: one SMTP transaction with swaks; its
# output goes to $WORK/swaks.NAME.out, its exit status is returned.
send() {
	swaks --server "127.0.0.1:${3:-$SMTP_PORT}" --helo client.kensa-e2e.test \
		--from "${4:-sender@example.org}" --to "${5:-rcpt@example.com}" \
		--timeout 60 --data "@$2" >"$WORK/swaks.$1.out" 2>&1
}

# queue_id NAME: the Postfix queue id from "250 ... queued as ID".
queue_id() {
	sed -n 's/.*<- *250 .*queued as \([0-9A-Za-z]*\).*/\1/p' \
		"$WORK/swaks.$1.out" | tail -n 1
}

accepted() { # accepted NAME: the server said 250 to the end of DATA
	[ -n "$(queue_id "$1")" ]
}

refused_550() { # the end of DATA got 550 5.7.1 with the policy's text
	grep -qE '<\*\* +550[ -]5\.7\.1 .*Executable attachments are not accepted' \
		"$WORK/swaks.$1.out"
}

tempfailed() { # some command got a 4xx, and the message was never accepted
	grep -qE '<\*\* +4[0-9][0-9][ -]' "$WORK/swaks.$1.out" && ! accepted "$1"
}

# wait_delivered NAME: until Postfix logs status=sent for the message.
wait_delivered() {
	_id=$(queue_id "$1")
	[ -n "$_id" ] && wait_for "$_id: to=<.*status=sent" "$MAILLOG" 200
}

# sink_file TOKEN: the sink dump holding TOKEN (each test mail has its own).
sink_file() {
	grep -rl -- "$1" "$SINK" 2>/dev/null | head -n 1
}

sink_count() {
	find "$SINK" -type f | wc -l
}

# header NAME FILE: the values of header NAME (case-insensitive, unfolded
# enough for our one-line headers), one a line, from the message's header.
header() {
	awk -v name="$1" '
		/^$/ { exit }
		{
			i = index($0, ":")
			if (i > 0 && tolower(substr($0, 1, i - 1)) == tolower(name)) {
				v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v
			}
		}' "$2"
}

has_header() { # has_header NAME VALUE FILE: exactly one NAME, equal to VALUE
	[ "$(header "$1" "$3" | wc -l)" -eq 1 ] &&
		[ "$(header "$1" "$3")" = "$2" ]
}

# header_line NAME VALUE FILE: the header is written exactly "NAME: VALUE"
# (the usual form: one space after the colon), once.
header_line() {
	[ "$(awk '/^$/ { exit } { print }' "$3" | grep -cxF -- "$1: $2")" -eq 1 ]
}

# format_check DESC NAME VALUE FILE: the header is written "NAME: VALUE".
format_check() {
	check "$1" header_line "$2" "$3" "$4"
}

no_forged_values() { # none of the forged values survived in FILE's header
	! header X-Kensa-Score "$1" | grep -q -- '-100' &&
		! header X-Kensa-Rules "$1" | grep -q forged
}

in_hold_queue() { # in_hold_queue NAME: postqueue -j lists it in "hold"
	_id=$(queue_id "$1")
	[ -n "$_id" ] || return 1
	postqueue -c "$PFCONF" -j >"$WORK/postqueue.json" 2>&1 || return 1
	grep -F "\"queue_id\": \"$_id\"" "$WORK/postqueue.json" |
		grep -qF '"queue_name": "hold"'
}

wait_hold() { # wait_hold NAME: the message reaches the hold queue
	wait_until 100 in_hold_queue "$1"
}

event_has() { # event_has QUEUE_ID TEXT: its event log line holds TEXT
	grep -F "\"queue_id\":\"$1\"" "$WORK/events.json" | grep -qF -- "$2"
}

at_sink() { # at_sink TOKEN
	[ -n "$(sink_file "$1")" ]
}

not_at_sink() { # not_at_sink TOKEN
	! at_sink "$1"
}

# ---- test messages -----------------------------------------------------------

RUN=$$.$(date +%s)
tok() { echo "kensa-e2e-$1-$RUN"; }

mail_head() { # mail_head NAME SUBJECT
	printf 'From: Sender <sender@example.org>\r\n'
	printf 'To: Recipient <rcpt@example.com>\r\n'
	printf 'Date: %s\r\n' "$(LC_ALL=C date -R)"
	printf 'Message-ID: <%s@example.org>\r\n' "$(tok "$1")"
	printf 'Subject: %s\r\n' "$2"
}

make_messages() {
	{
		mail_head clean "clean $(tok clean)"
		printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n'
		printf 'Hello,\r\n\r\nthe minutes of today are below. %s\r\n' "$(tok clean)"
	} >"$WORK/clean.eml"

	# an executable: "MZ" and then 126 more bytes, base64
	exe_b64=$({ printf 'MZ\220\000\003\000\000\000'; head -c 120 /dev/zero; } | base64 -w 76)
	{
		mail_head exe "invoice $(tok exe)"
		printf 'MIME-Version: 1.0\r\n'
		printf 'Content-Type: multipart/mixed; boundary="b-exe"\r\n\r\n'
		printf -- '--b-exe\r\nContent-Type: text/plain\r\n\r\nSee attached. %s\r\n' "$(tok exe)"
		printf -- '--b-exe\r\nContent-Type: application/octet-stream; name="invoice.exe"\r\n'
		printf 'Content-Disposition: attachment; filename="invoice.exe"\r\n'
		printf 'Content-Transfer-Encoding: base64\r\n\r\n%s\r\n' "$exe_b64"
		printf -- '--b-exe--\r\n'
	} >"$WORK/exe.eml"

	{
		mail_head img "disk $(tok img)"
		printf 'MIME-Version: 1.0\r\n'
		printf 'Content-Type: multipart/mixed; boundary="b-img"\r\n\r\n'
		printf -- '--b-img\r\nContent-Type: text/plain\r\n\r\nThe image. %s\r\n' "$(tok img)"
		printf -- '--b-img\r\nContent-Type: application/octet-stream; name="disk.img"\r\n'
		printf 'Content-Disposition: attachment; filename="disk.img"\r\n\r\n'
		printf 'just some text in a file called disk.img\r\n'
		printf -- '--b-img--\r\n'
	} >"$WORK/img.eml"
	sed "s/$(tok img)/$(tok stored)/g" "$WORK/img.eml" >"$WORK/stored.eml"

	{
		printf 'X-Kensa-Verdict: accept\r\n'
		mail_head forged "forged $(tok forged)"
		printf 'x-kensa-verdict: accept\r\n'
		printf 'X-KENSA-SCORE: -100\r\n'
		printf 'X-Kensa-Rules: forged\r\n'
		printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n'
		printf 'Trust me. %s\r\n' "$(tok forged)"
	} >"$WORK/forged.eml"

	{
		mail_head tag "broken $(tok tag)"
		printf 'MIME-Version: 1.0\r\n'
		printf 'Content-Type: multipart/mixed\r\n\r\n'
		printf -- '--nowhere\r\nContent-Type: text/plain\r\n\r\nNo boundary. %s\r\n' "$(tok tag)"
		printf -- '--nowhere--\r\n'
	} >"$WORK/tag.eml"

	# the thread ledger: our user writes out, the recipient answers, and
	# a stranger answers the same thread with the recipient's name
	{
		printf 'From: Taro Yamada <taro@ours.example>\r\n'
		printf 'To: Hanako Suzuki <hanako@partner.example>\r\n'
		printf 'Message-ID: <%s@ours.example>\r\n' "$(tok out)"
		printf 'Subject: estimate %s\r\n\r\nThe estimate.\r\n' "$(tok out)"
	} >"$WORK/out.eml"
	for who in reply:hanako@partner.example hijack:hanako@evil.example; do
		{
			printf 'From: Hanako Suzuki <%s>\r\n' "${who#*:}"
			printf 'To: Taro Yamada <taro@ours.example>\r\n'
			printf 'Message-ID: <%s@elsewhere.example>\r\n' "$(tok "${who%%:*}")"
			printf 'In-Reply-To: <%s@ours.example>\r\n' "$(tok out)"
			printf 'Subject: RE: estimate %s\r\n\r\nThanks.\r\n' "$(tok "${who%%:*}")"
		} >"$WORK/${who%%:*}.eml"
	done

	{
		mail_head down "down $(tok down)"
		printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n'
		printf 'Nobody is inspecting this. %s\r\n' "$(tok down)"
	} >"$WORK/down.eml"
}

# ---- main --------------------------------------------------------------------

SECONDS=0
if [ "$(id -u)" -ne 0 ]; then
	fail "the Postfix end-to-end test must run as root (Postfix drops to its mail_owner)"
	finish
fi
pf_require postfix postqueue smtp-sink swaks ss

stop_leftovers
save_state

make_messages
write_config || give_up "cannot write the Postfix configuration"
# Postfix's smtpd runs as the postfix user: let it reach the milter socket.
# Mail from 127.0.0.1 counts as inbound here (internal_networks empty);
# the submission listener is outbound by its daemon name.
kensa_start_milter -o socket_mode=0666 -o "event_log=$WORK/events.json" \
	-o internal_networks= ||
	give_up "kensa-milter did not start"
save_state
start_sink || give_up "smtp-sink did not start"
save_state
start_postfix pf "$SMTP_PORT" || {
	cat "$WORK/postfix-start.out" >&2
	give_up "Postfix did not start"
}
echo "setup: $SECONDS s"

# 1. clean mail: accepted, delivered, our three headers
send clean "$WORK/clean.eml"
check "clean: 250 at end of DATA" accepted clean
check "clean: delivered to the sink" wait_delivered clean
f=$(sink_file "$(tok clean)")
check "clean: at the sink" test -n "$f"
check "clean: X-Kensa-Verdict: accept" has_header X-Kensa-Verdict accept "${f:-/dev/null}"
check "clean: X-Kensa-Score: 0" has_header X-Kensa-Score 0 "${f:-/dev/null}"
check "clean: X-Kensa-Rules: none" has_header X-Kensa-Rules none "${f:-/dev/null}"
format_check "clean: header line 'X-Kensa-Verdict: accept'" X-Kensa-Verdict accept "${f:-/dev/null}"

# 2. executable attachment: 550 5.7.1 in the SMTP dialogue, nothing delivered
send exe "$WORK/exe.eml"
check "exe: swaks reports the failure" test $? -ne 0
check "exe: 550 5.7.1 Executable attachments are not accepted" refused_550 exe
check "exe: not accepted" eval '! accepted exe'

# 3. disk image: 250, then in the hold queue, not delivered
send img "$WORK/img.eml"
check "img: 250 at end of DATA" accepted img
check "img: in the hold queue (postqueue -j)" wait_hold img

# 4. forged X-Kensa-* headers are removed, ours are added once
send forged "$WORK/forged.eml"
check "forged: 250 at end of DATA" accepted forged
check "forged: delivered to the sink" wait_delivered forged
f=$(sink_file "$(tok forged)")
check "forged: at the sink" test -n "$f"
check "forged: one X-Kensa-Verdict: accept" has_header X-Kensa-Verdict accept "${f:-/dev/null}"
check "forged: one X-Kensa-Score: 0" has_header X-Kensa-Score 0 "${f:-/dev/null}"
check "forged: one X-Kensa-Rules: none" has_header X-Kensa-Rules none "${f:-/dev/null}"
check "forged: no forged values left" no_forged_values "${f:-/dev/null}"

# 5. multipart without boundary: tagged, Subject prefixed
send tag "$WORK/tag.eml"
check "tag: 250 at end of DATA" accepted tag
check "tag: delivered to the sink" wait_delivered tag
f=$(sink_file "$(tok tag)")
check "tag: at the sink" test -n "$f"
check "tag: X-Kensa-Verdict: tag" has_header X-Kensa-Verdict tag "${f:-/dev/null}"
check "tag: Subject: [SUSPICIOUS] ..." has_header Subject "[SUSPICIOUS] broken $(tok tag)" "${f:-/dev/null}"
format_check "tag: header line 'Subject: [SUSPICIOUS] ...'" Subject "[SUSPICIOUS] broken $(tok tag)" "${f:-/dev/null}"

# 5a. the thread ledger: outbound mail through the submission service is
# recorded and carries only the verdict header; the recipient's reply is
# verified, a stranger's answer to the same thread is flagged
send out "$WORK/out.eml" "$SUB_PORT" taro@ours.example hanako@partner.example
check "out: 250 at end of DATA (submission)" accepted out
check "out: delivered to the sink" wait_delivered out
f=$(sink_file "$(tok out)")
check "out: X-Kensa-Verdict: accept" has_header X-Kensa-Verdict accept "${f:-/dev/null}"
check "out: no X-Kensa-Score or X-Kensa-Rules leaves the site" \
	sh -c "! grep -q -e '^X-Kensa-Score:' -e '^X-Kensa-Rules:' '${f:-/dev/null}'"
printf 'state_dir: %s\n' "$WORK/state" >"$WORK/ledger.yaml"
check "out: recorded in the ledger" "$KENSA" ledger --config "$WORK/ledger.yaml" \
	show "<$(tok out)@ours.example>"
send reply "$WORK/reply.eml" "$SMTP_PORT" hanako@partner.example taro@ours.example
check "reply: 250 at end of DATA" accepted reply
check "reply: verified by the ledger" \
	event_has "$(queue_id reply)" thread.reply_verified
send hijack "$WORK/hijack.eml" "$SMTP_PORT" hanako@evil.example taro@ours.example
check "hijack: 250 at end of DATA" accepted hijack
check "hijack: the ledger says the thread went elsewhere" \
	event_has "$(queue_id hijack)" \
	'{"id":"thread.ledger_mismatch","part":[],"detail":"partner.example"}'
check "hijack: and the name is a correspondent's" \
	event_has "$(queue_id hijack)" thread.display_name_impersonation

# The held and refused messages must not have reached the sink by now
# (everything sent after them has been delivered).
check "exe: nothing at the sink" not_at_sink "$(tok exe)"
check "img: not at the sink" not_at_sink "$(tok img)"
check "img: still in the hold queue" in_hold_queue img
# kensa quarantine list shows held mail, joined with the event log
printf 'event_log: %s\nquarantine_dir: %s\n' "$WORK/events.json" "$WORK/q" >"$WORK/list.yaml"
MAIL_CONFIG="$PFCONF" "$KENSA" quarantine --config "$WORK/list.yaml" list >"$WORK/held.txt" 2>&1
check "img: listed by kensa quarantine with rule and release command" \
	grep -q "^hold:$(queue_id img)  quarantine  disk-image-or-installer  .*(release: postsuper -H $(queue_id img))" "$WORK/held.txt"

# 5b. kensa's own quarantine store, and a release through Postfix's
# listener without milters (127.0.0.1:$REL_PORT) to the sink
check "milter restarts with the store" kensa_stop_milter
kensa_start_milter -o socket_mode=0666 -o quarantine_method=store \
	-o "quarantine_dir=$WORK/qstore" -o internal_networks= ||
	give_up "kensa-milter did not restart"
printf 'quarantine_dir: %s\nrelease_smtp: 127.0.0.1:%s\nstate_dir: %s\n' \
	"$WORK/qstore" "$REL_PORT" "$WORK/state" >"$WORK/store.yaml"
send stored "$WORK/stored.eml"
check "stored: 250 (stored, then discarded)" accepted stored
check "stored: not delivered" not_at_sink "$(tok stored)"
QID=$("$KENSA" quarantine --config "$WORK/store.yaml" list --json |
	sed -n 's/.*"id": *"\([0-9TZa-f-]*\)".*/\1/p' | head -n 1)
check "stored: listed in the store" test -n "$QID"
check "stored: released" "$KENSA" quarantine --config "$WORK/store.yaml" release "$QID"
wait_until 100 at_sink "$(tok stored)"
f=$(sink_file "$(tok stored)")
check "stored: release arrives at the sink through Postfix" test -n "$f"
check "stored: with its release stamp" \
	grep -q "^X-Kensa-Released: $QID; hmac=[0-9a-f]\{64\}" "${f:-/dev/null}"

# 6. milter down: milter_default_action = tempfail -> 4xx, nothing accepted
check "milter stops cleanly" kensa_stop_milter
before=$(sink_count)
send down "$WORK/down.eml"
check "down: swaks reports the failure" test $? -ne 0
check "down: 4xx from Postfix" tempfailed down
check "down: nothing queued or delivered" not_at_sink "$(tok down)"
check "down: no new message at the sink" test "$(sink_count)" -eq "$before"

echo "e2e: $SECONDS s"
[ "$FAILURES" -eq 0 ] || diagnostics
finish
