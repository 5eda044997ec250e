# t/lib.sh - helpers for kensa's shell tests (sourced, POSIX sh + bash).
# Environment from make check: abs_top_builddir, abs_top_srcdir, TESTDATA.

set -u
: "${abs_top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${abs_top_srcdir:=$abs_top_builddir}"
: "${TESTDATA:=$abs_top_srcdir/../shared/testdata}"
KENSA="$abs_top_builddir/kensa"
KENSA_MILTER="$abs_top_builddir/kensa-milter"
POLICY="$abs_top_srcdir/conf/policy.yaml"
CONFIG="$abs_top_srcdir/conf/kensa.yaml"

WORK=$(mktemp -d /tmp/kensa-test.XXXXXX)
chmod 755 "$WORK"
MILTER_PID=""
FAILURES=0

cleanup() {
	kensa_stop_milter
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	FAILURES=$((FAILURES + 1))
}

ok() {
	echo "ok: $*"
}

check() { # check DESCRIPTION COMMAND...
	desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

finish() {
	if [ "$FAILURES" -gt 0 ]; then
		echo "$FAILURES check(s) failed" >&2
		[ -f "$WORK/milter.log" ] && { echo "--- milter log" >&2; cat "$WORK/milter.log" >&2; }
		exit 1
	fi
	exit 0
}

# kensa_start_milter [-o KEY=VALUE]... : the real daemon, foreground, on a
# unix socket in $WORK, as the current user, logging to $WORK/milter.log.
kensa_start_milter() {
	kensa_stop_milter # at most one daemon per test; none left behind
	SOCKET="$WORK/kensa.sock"
	rm -f "$SOCKET"
	"$KENSA_MILTER" -c "$CONFIG" -f \
		-o user= -o group= -o socket_group= \
		-o "socket=unix:$SOCKET" \
		-o "policy=${TEST_POLICY:-$POLICY}" \
		-o "spool_dir=$WORK/spool" -o "state_dir=$WORK/state" \
		-o "pidfile=$WORK/kensa.pid" \
		-o log.syslog=false -o log.stderr=true \
		-o scan_workers=2 -o drain_timeout=5s -o metrics_listen= \
		"$@" >>"$WORK/milter.log" 2>&1 &
	MILTER_PID=$!
	for _ in $(seq 1 100); do
		[ -S "$SOCKET" ] && return 0
		kill -0 "$MILTER_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "kensa-milter did not start:" >&2
	cat "$WORK/milter.log" >&2
	return 1
}

# world_readable_copies: the daemon binary and the shipped configuration
# copied into $WORK (mode 755), for tests that run kensa-milter as an
# unprivileged user, which may not be able to reach the build tree.
world_readable_copies() {
	mkdir -p "$WORK/pub"
	cp "$KENSA_MILTER" "$WORK/pub/kensa-milter"
	cp "$CONFIG" "$WORK/pub/kensa.yaml"
	cp "$POLICY" "$WORK/pub/policy.yaml"
	chmod -R a+rX "$WORK/pub"
	KENSA_MILTER="$WORK/pub/kensa-milter"
	CONFIG="$WORK/pub/kensa.yaml"
	POLICY="$WORK/pub/policy.yaml"
}

# kensa_stop_milter: SIGTERM and wait; returns the daemon's exit status.
kensa_stop_milter() {
	[ -n "$MILTER_PID" ] || return 0
	kill -TERM "$MILTER_PID" 2>/dev/null
	wait "$MILTER_PID"
	_rc=$?
	MILTER_PID=""
	return $_rc
}

# run_lua SCRIPT: a miltertest script against the daemon of
# kensa_start_milter (t/milter/lib.lua helps); prints its output.
export KENSA_LUA_PATH="$abs_top_srcdir/t/milter"
run_lua() {
	KENSA_SOCKET="unix:$SOCKET" miltertest -s "$1" >"$WORK/lua.out" 2>&1
	_rc=$?
	cat "$WORK/lua.out"
	return $_rc
}

# wait_for PATTERN FILE [TENTHS]: until a line of FILE matches.
wait_for() {
	for _ in $(seq 1 "${3:-100}"); do
		grep -q -- "$1" "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
