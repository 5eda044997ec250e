#!/bin/bash
# shellcheck disable=SC2317 # functions called through check
# t/postfix/failover.sh - kensa-milter killed with SIGKILL while mail keeps
# flowing loses nothing: a before-queue milter that is gone makes smtpd
# answer 4xx (milter_default_action = tempfail), so every message stays
# with its sender until the filter is back.
#
#   python smtplib --SMTP--> Postfix A 127.0.0.1:$FO_A_PORT (no milter,
#                            retries every few seconds)
#                  Postfix A smtp --SMTP--> Postfix B 127.0.0.1:$FO_B_PORT
#                                           --milter--> kensa-milter
#                  Postfix B smtp --SMTP--> smtp-sink 127.0.0.1:$FO_SINK_PORT
#
# N messages, each with its own token, go to A; once part of them have
# reached the sink, kensa-milter's scan workers are stopped for a second
# (messages pile up at end of DATA, waiting for their verdict) and the
# daemon is killed with SIGKILL. Then: those messages and all that follow
# get 4xx from B, A logs deferrals, and every token is at the sink or in
# A's queue (nothing lost, nothing twice). After a restart A's queue drains through the
# filter: every token exactly once at the sink, each message with one
# X-Kensa-Verdict header.
#
# Each Postfix instance has its own config, queue and data directories under
# $WORK, runs without chroot, DNS or syslog (maillog_file + postlogd), as in
# t/postfix/e2e.sh (the instances, the sink and the leftover guard:
# t/postfix/lib.sh). Needs root (Postfix drops to its mail_owner), postfix,
# smtp-sink, python3, ss.
#
# Environment: abs_top_builddir, abs_top_srcdir (as from make check).
#   FO_A_PORT (10125), FO_B_PORT (10126), FO_SINK_PORT (10127): the loopback
#   ports. FO_MESSAGES (200): how many messages. KEEP_WORK=1 keeps $WORK.

if [ -z "${abs_top_srcdir:-}" ]; then
	abs_top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
fi
. "$abs_top_srcdir/t/lib.sh"
. "$abs_top_srcdir/t/postfix/lib.sh"

A_PORT=${FO_A_PORT:-10125}
B_PORT=${FO_B_PORT:-10126}
SINK_PORT=${FO_SINK_PORT:-10127}
N=${FO_MESSAGES:-200}
SUBMIT_PID=""
# for t/postfix/lib.sh: leftovers of an aborted run are found through this
# state file in /tmp (not the one of t/postfix/e2e.sh: both tests may run
# on one machine); the instances are $WORK/pfa and $WORK/pfb
STATE=/tmp/kensa-failover-postfix.state
PF_TEST=failover
PF_INSTANCES="pfa pfb"
PF_PORTS="$A_PORT $B_PORT $SINK_PORT"
PF_PORT_VARS="FO_A_PORT, FO_B_PORT, FO_SINK_PORT"

WORKERS=""

fo_cleanup() {
	# shellcheck disable=SC2086 # workers stopped by a run cut short
	[ -z "$WORKERS" ] || kill -CONT $WORKERS 2>/dev/null
	if [ -n "$SUBMIT_PID" ]; then
		kill -TERM "$SUBMIT_PID" 2>/dev/null
		wait "$SUBMIT_PID" 2>/dev/null
		SUBMIT_PID=""
	fi
	pf_stop
	if [ -n "$MILTER_PID" ]; then # killed and not restarted: reap it
		kill -TERM "$MILTER_PID" 2>/dev/null
		wait "$MILTER_PID" 2>/dev/null
		MILTER_PID=""
	fi
	cleanup # t/lib.sh: removes $WORK
}
trap fo_cleanup EXIT

diagnostics() {
	echo "--- work directory: $WORK" >&2
	for i in a b; do
		dump_file "postfix $i maillog (last 60 lines)" "$WORK/pf$i/maillog" 60
	done
	dump_file "smtp-sink log" "$WORK/sink.log" 20
	dump_file "submission" "$WORK/submit.out" 20
}

# ---- the two Postfix instances ------------------------------------------------

# write_config NAME PORT RELAY_PORT EXTRA_MAIN_CF: instance NAME (a or b)
# listening on PORT, relaying everything to RELAY_PORT.
write_config() {
	write_postfix_config "pf$1" "kensa-fo-$1.test" "$3" \
		"127.0.0.1:$2 inet n - n - - smtpd" "syslog_name = postfix-fo-$1
$4"
}

write_configs() {
	# A: the sender, no milter, retries after 2 to 4 seconds; B's 4xx
	# neither throttles it nor marks B dead, and each try is a new SMTP
	# session (a cached one that began without the milter would go on
	# failing after the restart)
	write_config a "$A_PORT" "$B_PORT" "
minimal_backoff_time = 2s
maximal_backoff_time = 4s
queue_run_delay = 2s
initial_destination_concurrency = 10
default_destination_concurrency_failed_cohort_limit = 0
default_destination_concurrency_negative_feedback = 0
smtp_connection_cache_on_demand = no
smtpd_milters =
non_smtpd_milters =" || return 1
	# B: the filtering relay, kensa as its before-queue milter; no
	# tarpit after errors (the test makes many)
	write_config b "$B_PORT" "$SINK_PORT" "
smtpd_milters = unix:$WORK/kensa.sock
non_smtpd_milters =
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = 5s
milter_command_timeout = 10s
milter_content_timeout = 20s
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 1000
smtpd_hard_error_limit = 1000"
}

# ---- counting ------------------------------------------------------------------

RUN=$$.$(date +%s)

# queued NAME: how many messages instance NAME holds (any queue).
queued() {
	queue_ids "$1" | wc -l
}

# queue_ids NAME: the queue ids of the messages instance NAME holds (a
# message moving between queues while showq looks may be listed twice).
queue_ids() {
	postqueue -c "$WORK/pf$1/etc" -j 2>/dev/null |
		sed -n 's/.*"queue_id": "\([0-9A-Za-z]*\)".*/\1/p' | sort -u
}

# queued_not_deferred NAME: messages of NAME in a queue other than deferred.
queued_not_deferred() {
	postqueue -c "$WORK/pf$1/etc" -j 2>/dev/null |
		grep '"queue_id"' | grep -vc '"queue_name": "deferred"'
}

# sink_tokens: one line per token found at the sink, with its count
# ("COUNT TOKEN"); the token is in the X-Test-Token header of each message.
sink_tokens() {
	find "$SINK" -type f -exec sed -n 's/^X-Test-Token: *\([^[:space:]]*\).*/\1/p' {} + |
		sort | uniq -c
}

sink_messages() { find "$SINK" -type f | wc -l; }

# queue_tokens NAME: the tokens of the messages still queued at NAME.
queue_tokens() {
	queue_ids "$1" |
		while read -r id; do
			postcat -c "$WORK/pf$1/etc" -bhq "$id" 2>/dev/null |
				sed -n 's/^X-Test-Token: *\([^[:space:]]*\).*/\1/p'
		done
}

# smtp_probe PORT: one SMTP transaction; prints the first non-2xx/3xx reply
# code it got, or 250 if the message was accepted.
smtp_probe() {
	python3 - "$1" <<'PY'
import smtplib, sys
try:
    s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30)
    s.ehlo("probe.kensa-fo.test")
    s.sendmail("probe@example.org", ["rcpt@example.com"],
               "From: probe@example.org\r\nTo: rcpt@example.com\r\n"
               "Subject: probe\r\nX-Test-Token: probe\r\n\r\nprobe\r\n")
    print(250)
    s.quit()
except smtplib.SMTPResponseException as e:
    print(e.smtp_code)
except smtplib.SMTPRecipientsRefused as e:
    print(list(e.recipients.values())[0][0])
except Exception as e:
    print("error", e)
PY
}

# submit: N messages to A over a few SMTP sessions, 10 ms apart, so that
# mail is still arriving when the milter dies; every fourth has a 250 KB
# body. Prints one line per message.
submit() {
	python3 - "$A_PORT" "$N" "$RUN" <<'PY'
import smtplib, sys, time
port, n, run = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
s = None
for i in range(n):
    if s is None:
        s = smtplib.SMTP("127.0.0.1", port, timeout=30)
        s.ehlo("client.kensa-fo.test")
    tok = "fo-%d-%s" % (i, run)
    msg = ("From: Sender <sender@example.org>\r\n"
           "To: Recipient <rcpt@example.com>\r\n"
           "Message-ID: <%s@example.org>\r\n"
           "Subject: failover %d\r\n"
           "X-Test-Token: %s\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
           "Message %d of the failover test.\r\n" % (tok, i, tok, i))
    if i % 4 == 3:  # some longer ones, so that the kill finds mail in flight
        msg += ("%d " % i + "lorem ipsum dolor sit amet " * 3 + "\r\n") * 3000
    try:
        s.sendmail("sender@example.org", ["rcpt@example.com"], msg)
        print("sent", tok, flush=True)
    except Exception as e:
        print("refused", tok, e, flush=True)
    if i % 20 == 19:
        s.quit()
        s = None
    time.sleep(0.01)
if s is not None:
    s.quit()
PY
}

sink_at_least() { [ "$(sink_messages)" -ge "$1" ]; }
submitted_all() { [ "$(grep -c '^sent ' "$WORK/submit.out")" -ge "$N" ]; }

# settled: after the kill nothing moves on: the submission is over, B holds
# nothing (it delivered what it had accepted) and every message A holds has
# been deferred at least once.
settled() {
	! kill -0 "$SUBMIT_PID" 2>/dev/null && [ "$(queued b)" -eq 0 ] || return 1
	grep 'status=deferred' "$WORK/pfa/maillog" |
		sed -n 's/.*: \([0-9A-F]*\): to=.*/\1/p' | sort -u >"$WORK/deferred.ids"
	queue_ids a >"$WORK/queued.ids"
	[ -z "$(comm -23 "$WORK/queued.ids" "$WORK/deferred.ids")" ]
}

drained() {
	[ "$(queued a)" -eq 0 ] && [ "$(queued b)" -eq 0 ] &&
		[ "$(sink_tokens | wc -l)" -ge "$N" ]
}

# ---- main --------------------------------------------------------------------

SECONDS=0
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the Postfix failover test must run as root (Postfix drops to its mail_owner)"
	exit 77
fi
pf_require postfix postqueue postcat smtp-sink python3 ss

stop_leftovers
save_state
write_configs || give_up "cannot write the Postfix configurations"
kensa_start_milter -o socket_mode=0666 -o internal_networks= ||
	give_up "kensa-milter did not start"
save_state
start_sink || give_up "smtp-sink did not start"
save_state
if ! start_postfix pfb "$B_PORT" || ! start_postfix pfa "$A_PORT"; then
	cat "$WORK/postfix-start.out" >&2
	give_up "Postfix did not start"
fi
echo "setup: $SECONDS s"

# 1. mail flows A -> B -> kensa -> sink; kill the milter when a quarter of
# it has arrived, while the rest is still being submitted and relayed
submit >"$WORK/submit.out" 2>&1 &
SUBMIT_PID=$!
check "mail flows through B and kensa to the sink" wait_until 300 sink_at_least $((N / 4))
OLD_PID=$MILTER_PID
WORKERS=$(pgrep -P "$MILTER_PID" | tr '\n' ' ')
# the scan workers stopped for a second first, so that the kill finds
# messages at end of DATA waiting for their scan (fully received by B,
# which must not accept them), not only gaps between conversations
# shellcheck disable=SC2086 # a list of pids
kill -STOP $WORKERS
sleep 1
kill -KILL "$MILTER_PID"
# shellcheck disable=SC2086
kill -CONT $WORKERS
{ wait "$MILTER_PID"; } 2>/dev/null
MILTER_PID=""
before_kill=$(sink_messages)
echo "kensa-milter (pid $OLD_PID) killed with SIGKILL after $before_kill deliveries, at $SECONDS s"
workers_gone() {
	for p in $WORKERS; do
		kill -0 "$p" 2>/dev/null && return 1
	done
	return 0
}
check "no scan worker outlives the killed daemon (workers: $WORKERS)" wait_until 50 workers_gone

# 2. B answers 4xx without the milter; A keeps the mail and retries
code=$(smtp_probe "$B_PORT")
check "B answers 4xx with the milter gone (got $code)" test "${code%% *}" -ge 400 -a "${code%% *}" -lt 500 2>/dev/null
check "submission to A goes on: all $N accepted" wait_until 300 submitted_all
check "everything settles: all A holds was deferred, B holds nothing" wait_until 300 settled
deferred_ids=$(grep 'status=deferred' "$WORK/pfa/maillog" |
	sed -n 's/.*: \([0-9A-F]*\): to=.*/\1/p' | sort -u | wc -l)
deferrals=$(grep -c 'status=deferred' "$WORK/pfa/maillog")
check "A logs deferrals with B's 4xx" grep -q 'status=deferred.*said: 4[0-9][0-9]' "$WORK/pfa/maillog"
check "B logs the milter failure" grep -qiE 'milter.*(connect|fail|unavailable|tempfail)|451 4\.' "$WORK/pfb/maillog"
# the snapshot: every token at the sink or queued at A, none twice (taken
# again if a message was between queues while showq listed them: a real
# loss or duplicate stays)
for _ in 1 2 3 4 5; do
	queued_a=$(queued a)
	sink_tokens >"$WORK/tokens.mid"
	delivered_then=$(wc -l <"$WORK/tokens.mid")
	dups_then=$(awk '$1 > 1' "$WORK/tokens.mid" | wc -l)
	{ awk '{ print $2 }' "$WORK/tokens.mid"; queue_tokens a; } |
		grep -v '^probe$' | sort >"$WORK/seen.mid"
	lost_then=$(seq 0 $((N - 1)) | sed "s/.*/fo-&-$RUN/" | sort |
		comm -23 - "$WORK/seen.mid" | wc -l)
	twice_then=$(uniq -d "$WORK/seen.mid" | wc -l)
	[ "$lost_then" -eq 0 ] && [ "$twice_then" -eq 0 ] &&
		[ $((delivered_then + queued_a)) -eq "$N" ] && break
	sleep 0.5
done
midmsg=$(grep -c 'milter-reject: END-OF-MESSAGE' "$WORK/pfb/maillog")
cut=$(grep -c "warning: milter unix:.*: can't \(read\|send\)" "$WORK/pfb/maillog")
echo "B: $(grep -c 'milter-reject:' "$WORK/pfb/maillog") milter-reject 4xx lines, $midmsg at end of message; $cut milter conversations cut by the kill"
check "the kill cut milter conversations in flight ($cut)" test "$cut" -gt 0
check "messages at end of DATA when the milter died were refused 4xx ($midmsg)" test "$midmsg" -gt 0
echo "with the milter down: delivered $delivered_then, queued at A $queued_a, deferred $deferred_ids messages ($deferrals deferrals)"
check "while down: delivered + queued at A = $N" test $((delivered_then + queued_a)) -eq "$N"
check "while down: no token lost" test "$lost_then" -eq 0
check "while down: no token twice (at the sink or at the sink and in A's queue)" \
	test "$twice_then" -eq 0 -a "$dups_then" -eq 0
check "while down: some mail was deferred" test "$queued_a" -gt 0

# 3. the milter comes back; A's queue drains through it by itself
kensa_start_milter -o socket_mode=0666 -o internal_networks= ||
	give_up "kensa-milter did not restart"
save_state
restart_at=$SECONDS
check "after the restart A's queue drains through the filter" wait_until 400 drained
echo "drained $((SECONDS - restart_at)) s after the restart"
sink_tokens >"$WORK/tokens"
delivered=$(grep -vc ' probe$' "$WORK/tokens")
dups=$(awk '$1 > 1' "$WORK/tokens" | wc -l)
lost=$(seq 0 $((N - 1)) | sed "s/.*/fo-&-$RUN/" | sort |
	comm -23 - <(awk '{ print $2 }' "$WORK/tokens" | sort) | wc -l)
check "every message delivered: $delivered of $N" test "$delivered" -eq "$N"
check "no duplicates ($dups)" test "$dups" -eq 0
check "none lost ($lost)" test "$lost" -eq 0
check "the probe sent to B while the milter was down was not delivered" \
	sh -c "! grep -q ' probe\$' '$WORK/tokens'"
unscanned=0
for f in "$SINK"/*; do
	[ "$(awk '/^$/ { exit } /^X-Kensa-Verdict:/ { n++ } END { print n + 0 }' "$f")" -eq 1 ] ||
		unscanned=$((unscanned + 1))
done
check "every delivered message carries one X-Kensa-Verdict (unscanned: $unscanned)" test "$unscanned" -eq 0
check "kensa-milter still running" kill -0 "$MILTER_PID"

echo "failover: sent $N, deferred $deferred_ids (while down: delivered $delivered_then, queued at A $queued_a), delivered $delivered, duplicates $dups, lost $lost; $SECONDS s"
[ "$FAILURES" -eq 0 ] || diagnostics
finish
