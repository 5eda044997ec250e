# shellcheck shell=bash
# t/postfix/lib.sh - private Postfix instances on loopback for the Postfix
# tests (t/postfix/e2e.sh, t/postfix/failover.sh); sourced after t/lib.sh.
#
# Provides:
#   - the leftover guard: a state file in /tmp naming this run's Postfix
#     configs, smtp-sink and kensa-milter (save_state), read back by the
#     next run (state_get) to stop what a killed run left behind and to
#     free the test's ports (stop_leftovers, pid_of_listener);
#   - instances: write_postfix_config (config, queue and data directories
#     under $WORK/NAME, main.cf and master.cf: no chroot, DNS or syslog,
#     everything relayed to one port), start_postfix, and pf_stop, which
#     stops the instances, the sink and drops the state file;
#   - start_sink: smtp-sink on 127.0.0.1:$SINK_PORT dumping into $SINK;
#   - pf_require: the programs, daemons and user the tests need;
#   - give_up (fail, the test's diagnostics, finish), dump_file for those
#     diagnostics, wait_until;
#   - INT, HUP and TERM traps that make the test's EXIT trap run.
#
# The sourcing test sets, before stop_leftovers and save_state:
#   STATE         its own state file (each test has one: both may run on
#                 one machine), e.g. /tmp/kensa-e2e-postfix.state;
#   PF_TEST       the test's name (e2e), for "another run is active" and
#                 the main.cf comment;
#   PF_INSTANCES  its instances: directory names under $WORK (pf, or pfa
#                 pfb); their config directories are $WORK/NAME/etc;
#   PF_PORTS      the loopback ports it listens on, to be freed;
#   PF_PORT_VARS  the environment variables that move those ports;
#   SINK_PORT     the smtp-sink port;
# and defines diagnostics (what give_up prints). The test sets its own EXIT
# trap, which calls pf_stop and then t/lib.sh's cleanup.

SINK="$WORK/sink" # smtp-sink dump directory
SINK_PID=""
PF_STARTED="" # config directories of the instances we started
STATE_OURS="" # set once we have written $STATE

PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
PF_DAEMON_DIR=/usr/lib/postfix/sbin
PF_SHLIB_DIR=/usr/lib/postfix

# make the EXIT trap run when make check or a user interrupts the test
trap 'exit 130' INT HUP
trap 'exit 143' TERM

# pf_stop: stop the Postfix instances and the smtp-sink we started, and
# remove the state file if it is ours (not another run's).
pf_stop() {
	for _conf in $PF_STARTED; do
		postfix -c "$_conf" stop >/dev/null 2>&1 ||
			postfix -c "$_conf" abort >/dev/null 2>&1
	done
	PF_STARTED=""
	if [ -n "$SINK_PID" ]; then
		kill -TERM "$SINK_PID" 2>/dev/null
		wait "$SINK_PID" 2>/dev/null
		SINK_PID=""
	fi
	[ -z "$STATE_OURS" ] || rm -f "$STATE"
}

give_up() { # give_up REASON: setup failed, nothing else can be checked
	fail "$*"
	diagnostics
	finish
}

# dump_file TITLE FILE [LINES]: FILE (its last LINES lines) on stderr,
# under "--- TITLE", if it exists.
dump_file() {
	[ -f "$2" ] || return 0
	echo "--- $1" >&2
	if [ -n "${3:-}" ]; then tail -n "$3" "$2" >&2; else cat "$2" >&2; fi
}

# wait_until TENTHS COMMAND...: until COMMAND succeeds.
wait_until() {
	_t=$1
	shift
	for _ in $(seq 1 "$_t"); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# pf_require COMMAND...: give up unless the commands, Postfix's daemons,
# its user and kensa-milter are there.
pf_require() {
	for _cmd in "$@"; do
		command -v "$_cmd" >/dev/null 2>&1 || give_up "$_cmd is not installed"
	done
	[ -x "$PF_DAEMON_DIR/master" ] || give_up "no Postfix daemons in $PF_DAEMON_DIR"
	id postfix >/dev/null 2>&1 || give_up "no postfix user"
	[ -x "$KENSA_MILTER" ] || give_up "no $KENSA_MILTER (build first)"
}

# ---- leftovers -------------------------------------------------------------

# pid_of_listener PORT: the pid of the process listening on 127.0.0.1:PORT.
pid_of_listener() {
	_users=$(ss -Hltnp "sport = :$1" 2>/dev/null | head -n 1)
	case "$_users" in # Postfix: its master, not one of its smtpd
	*'"master",pid='*) _users=${_users#*\"master\",pid=} ;;
	*pid=*) _users=${_users#*pid=} ;;
	*) return 0 ;;
	esac
	echo "${_users%%[!0-9]*}"
}

# state_get KEY REGEX: the value of KEY in $STATE if it matches REGEX.
state_get() {
	[ -O "$STATE" ] || return 0 # written by us (root), not by anybody
	sed -n "s|^$1=\\($2\\)\$|\\1|p" "$STATE" | head -n 1
}

# is_instance_conf DIR: DIR is the config directory of one of our
# instances in some kensa-test work directory.
is_instance_conf() {
	for _i in $PF_INSTANCES; do
		case "$1" in
		/tmp/kensa-test.*/"$_i"/etc) return 0 ;;
		esac
	done
	return 1
}

# stop_leftovers: an earlier run of this test that was killed before its
# EXIT trap ran may have left its Postfix instances, smtp-sink and milter
# running. Stop them, but only if they are ours (their files live in a
# kensa-test work directory) and the run that started them is gone.
stop_leftovers() {
	if [ -f "$STATE" ]; then
		# read, not sourced: anybody may write in /tmp
		old_owner=$(state_get old_owner '[0-9]*')
		old_sink_pid=$(state_get old_sink_pid '[0-9]*')
		old_milter_pid=$(state_get old_milter_pid '[0-9]*')
		# (a killed run may linger as a zombie: its cmdline is empty)
		if [ -n "$old_owner" ] && [ "$old_owner" != "$$" ] &&
		   tr '\0' ' ' 2>/dev/null <"/proc/$old_owner/cmdline" |
		   grep -q "$PF_TEST\.sh"; then
			give_up "another run of this test (pid $old_owner) is active"
		fi
		for _i in $PF_INSTANCES; do
			old_conf=$(state_get "old_$_i" "/tmp/kensa-test\\.[A-Za-z0-9]*/$_i/etc")
			if [ -n "$old_conf" ] && [ -f "$old_conf/main.cf" ]; then
				echo "stopping a leftover Postfix ($old_conf)"
				postfix -c "$old_conf" stop >/dev/null 2>&1 ||
					postfix -c "$old_conf" abort >/dev/null 2>&1
			fi
		done
		if [ -n "$old_sink_pid" ] &&
		   tr '\0' ' ' 2>/dev/null <"/proc/$old_sink_pid/cmdline" |
		   grep -q "^smtp-sink .*/kensa-test\.[^/]*/sink/"; then
			echo "stopping a leftover smtp-sink (pid $old_sink_pid)"
			kill -TERM "$old_sink_pid" 2>/dev/null
		fi
		if [ -n "$old_milter_pid" ] &&
		   tr '\0' ' ' 2>/dev/null <"/proc/$old_milter_pid/cmdline" |
		   grep -q "kensa-milter .*socket=unix:/tmp/kensa-test\.[^/]*/kensa\.sock"; then
			echo "stopping a leftover kensa-milter (pid $old_milter_pid)"
			kill -TERM "$old_milter_pid" 2>/dev/null
		fi
		rm -f "$STATE"
	fi
	# No state file (or a stale one): look at who holds the ports.
	for port in $PF_PORTS; do
		for _ in $(seq 1 30); do
			pid=$(pid_of_listener "$port")
			[ -n "$pid" ] || break
			cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")
			conf=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null |
				sed -n 's/^MAIL_CONFIG=//p')
			ours=""
			! is_instance_conf "$conf" || ours=1
			case "$cmd|$ours" in
			*master*"|1")
				echo "stopping a leftover Postfix ($conf, pid $pid)"
				postfix -c "$conf" abort >/dev/null 2>&1 ||
					kill -TERM "$pid" 2>/dev/null ;;
			"smtp-sink "*/tmp/kensa-test.*/sink/*)
				echo "stopping a leftover smtp-sink (pid $pid)"
				kill -TERM "$pid" 2>/dev/null ;;
			*)
				give_up "127.0.0.1:$port is in use by pid $pid ($cmd); set $PF_PORT_VARS" ;;
			esac
			sleep 0.2
		done
		[ -z "$(pid_of_listener "$port")" ] ||
			give_up "127.0.0.1:$port is still in use"
	done
}

save_state() { # what a later run needs to clean up after this one
	STATE_OURS=1
	{
		printf 'old_owner=%s\n' "$$"
		for _i in $PF_INSTANCES; do
			printf 'old_%s=%s\n' "$_i" "$WORK/$_i/etc"
		done
		printf 'old_sink_pid=%s\nold_milter_pid=%s\n' "$SINK_PID" "$MILTER_PID"
	} >"$STATE"
}

# ---- Postfix instances -------------------------------------------------------

# write_postfix_config NAME HOSTNAME RELAY_PORT LISTENERS [MAIN_CF]: the
# instance NAME with its config, queue and data directories under
# $WORK/NAME, logging to $WORK/NAME/maillog, relaying everything to
# 127.0.0.1:RELAY_PORT. LISTENERS are its master.cf lines for the smtpd
# services; MAIN_CF is appended to its main.cf.
write_postfix_config() {
	_pf="$WORK/$1"
	mkdir -p "$_pf/etc" "$_pf/queue" "$_pf/data" || return 1
	# Postfix insists on a data_directory owned by its mail_owner.
	chown postfix "$_pf/data" || return 1
	: >"$_pf/maillog"
	cat >"$_pf/etc/main.cf" <<EOF
# private Postfix instance $1 of kensa's t/postfix/$PF_TEST.sh
compatibility_level = 3.6
queue_directory = $_pf/queue
data_directory = $_pf/data
meta_directory = /etc/postfix
daemon_directory = $PF_DAEMON_DIR
shlib_directory = $PF_SHLIB_DIR
command_directory = /usr/sbin
mail_owner = postfix
setgid_group = postdrop

myhostname = $2
mydomain = $2
myorigin = \$myhostname
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:no local delivery in this test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:$3
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
smtp_tls_security_level = none
smtpd_tls_security_level = none
biff = no

# no syslog daemon in CI: log to a file through the postlog service
maillog_file = $_pf/maillog
maillog_file_prefixes = $WORK
${5:-}
EOF
	cat >"$_pf/etc/master.cf" <<EOF
# service type  private unpriv chroot wakeup maxproc command
$4
pickup     unix  n - n 60    1 pickup
cleanup    unix  n - n -     0 cleanup
qmgr       unix  n - n 300   1 qmgr
rewrite    unix  - - n -     - trivial-rewrite
bounce     unix  - - n -     0 bounce
defer      unix  - - n -     0 bounce
trace      unix  - - n -     0 bounce
verify     unix  - - n -     1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -     - proxymap
proxywrite unix  - - n -     1 proxymap
smtp       unix  - - n -     - smtp
relay      unix  - - n -     - smtp
showq      unix  n - n -     - showq
error      unix  - - n -     - error
retry      unix  - - n -     - error
discard    unix  - - n -     - discard
anvil      unix  - - n -     1 anvil
scache     unix  - - n -     1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
}

# start_postfix NAME PORT: check and start instance NAME, until it listens
# on 127.0.0.1:PORT; its output goes to $WORK/postfix-start.out.
start_postfix() {
	_conf="$WORK/$1/etc"
	postfix -c "$_conf" check >>"$WORK/postfix-start.out" 2>&1 || return 1
	PF_STARTED="$PF_STARTED $_conf"
	postfix -c "$_conf" start >>"$WORK/postfix-start.out" 2>&1 || return 1
	for _ in $(seq 1 50); do
		[ -n "$(pid_of_listener "$2")" ] && return 0
		sleep 0.1
	done
	return 1
}

start_sink() { # smtp-sink on 127.0.0.1:$SINK_PORT, one file per message
	mkdir -p "$SINK" && chown nobody "$SINK" || return 1
	smtp-sink -u nobody -d "$SINK/%d.%H.%M.%S" "127.0.0.1:$SINK_PORT" 100 \
		>"$WORK/sink.log" 2>&1 &
	SINK_PID=$!
	for _ in $(seq 1 50); do
		[ -n "$(pid_of_listener "$SINK_PORT")" ] && return 0
		kill -0 "$SINK_PID" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}
