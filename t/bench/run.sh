#!/bin/bash
# make bench: kensa-milter against the null filter (the floor of any
# libmilter filter), same client (milter_load), same deterministic corpus,
# same run: both daemons up at once and measured in alternating rounds, the
# ratio taken per round (the two runs of a round back to back) and its
# median quoted. CPU time per message read from /proc for each daemon,
# workers included. The engine alone (`kensa scan` of the same messages in
# one process, no milter) shows how much of kensa's cost is the scan and
# how much the daemon around it. Then the cost at 1, 10 and 50 MB per
# message, and peak memory with 64 connections each sending a 20 MB
# message; and `kensa replay` of BENCH_REPLAY mixed messages with one job
# and with two.
# Environment: BENCH_MESSAGES (3000, a round), BENCH_ROUNDS (5),
# BENCH_CONNS (8), BENCH_SEED (1), BENCH_REPLAY (10000).
set -u
B=${abs_top_builddir:-$(pwd)}
S=${abs_top_srcdir:-$B}
TESTDATA=${TESTDATA:-$S/../shared/testdata}
N=${BENCH_MESSAGES:-3000}
ROUNDS=${BENCH_ROUNDS:-5}
C=${BENCH_CONNS:-8}
W=$(mktemp -d /tmp/kensa-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
TICK=$(getconf CLK_TCK)

python3 "$S/t/bench/gen_corpus.py" --seed "${BENCH_SEED:-1}" --count 300 \
	--testdata "$TESTDATA" "$W/corpus" || exit 1

cpu_ticks() { # cpu_ticks PID: utime+stime of PID and its live children
	local t=0 p
	for p in "$1" $(pgrep -P "$1"); do
		[ -r "/proc/$p/stat" ] || continue
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
	done
	echo "$t"
}

mem_kb() { # mem_kb PID: "RSS PSS" in kB, summed over PID and its children
	local r=0 s=0 p
	for p in "$1" $(pgrep -P "$1"); do
		[ -r "/proc/$p/smaps_rollup" ] || continue
		r=$((r + $(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup")))
		s=$((s + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup")))
	done
	echo "$r $s"
}

wait_socket() { for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done; return 1; }

start_null() {
	rm -f "$W/null.sock"
	"$B/t/bench/null_milter" "unix:$W/null.sock" & PID=$!
	wait_socket "$W/null.sock"
	SOCK="unix:$W/null.sock"
	NULL_PID=$PID NULL_SOCK=$SOCK
}

start_kensa() {
	rm -f "$W/kensa.sock"
	"$B/kensa-milter" -c "$S/conf/kensa.yaml" -f -o user= -o group= \
		-o socket_group= -o "socket=unix:$W/kensa.sock" \
		-o "policy=$S/conf/policy.yaml" -o "spool_dir=$W/spool" \
		-o "state_dir=$W/state" -o pidfile= -o log.syslog=false \
		-o log.stderr=false -o metrics_listen= "$@" 2>"$W/kensa.log" &
	PID=$!
	wait_socket "$W/kensa.sock"
	SOCK="unix:$W/kensa.sock"
	KENSA_PID=$PID KENSA_SOCK=$SOCK
}

stop() { kill -TERM "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }

median() { sort -n | awk '{v[NR] = $1} END {print (NR ? v[int((NR + 1) / 2)] : 0)}'; }

# run NAME CONNS COUNT DIR: one measured load run against $PID at $SOCK;
# prints a table row and leaves the CPU ms a message in $W/cpu.NAME
run() {
	local t0 t1 out
	t0=$(cpu_ticks "$PID")
	out=$("$B/t/bench/milter_load" -s "$SOCK" -c "$2" -n "$3" "$4")
	t1=$(cpu_ticks "$PID")
	local msgs=$(echo "$out" | awk '/^messages/ {print $2}')
	local errs=$(echo "$out" | awk '/^messages/ {print $4}')
	local rate=$(echo "$out" | awk '/^messages/ {print $8}')
	local mbs=$(echo "$out" | awk '/^messages/ {print $10}')
	local lat=$(echo "$out" | awk '/^latency/ {print $3" "$5" "$7}')
	local cpu=$(awk -v t=$((t1 - t0)) -v k="$TICK" -v m="${msgs:-1}" \
		'BEGIN {printf "%.3f", t * 1000 / k / (m ? m : 1)}')
	printf '%-18s %6s %4s %9s %7s %8s %8s %8s %10s\n' "$1" "$msgs" "$errs" \
		"$rate" "$mbs" $lat "$cpu"
	echo "$cpu" >"$W/cpu.$1"
	echo "$out" | grep '^verdicts' | sed "s/^/  $1 /"
}

echo "kensa bench: $(git -C "$S" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "corpus: 300 messages, seed ${BENCH_SEED:-1}, $(du -sk "$W/corpus" | cut -f1) kB; $ROUNDS rounds of $N messages at concurrency $C, null filter then kensa"
printf '%-18s %6s %4s %9s %7s %8s %8s %8s %10s\n' daemon msgs errs msgs/s MB/s p50_ms p99_ms max_ms cpu_ms/msg
start_null
start_kensa
for r in $(seq "$ROUNDS"); do
	PID=$NULL_PID SOCK=$NULL_SOCK run "null.$r" "$C" "$N" "$W/corpus"
	PID=$KENSA_PID SOCK=$KENSA_SOCK run "kensa.$r" "$C" "$N" "$W/corpus"
	awk -v a="$(cat "$W/cpu.kensa.$r")" -v b="$(cat "$W/cpu.null.$r")" \
		'BEGIN {printf "%.2f\n", (b > 0 ? a / b : 0)}' >"$W/ratio.$r"
done
PID=$KENSA_PID stop
PID=$NULL_PID stop
cat "$W"/cpu.null.* | median >"$W/cpu.null"
cat "$W"/cpu.kensa.* | median >"$W/cpu.kensa"
echo "cpu ms/msg, median of $ROUNDS rounds: null $(cat "$W/cpu.null"), kensa $(cat "$W/cpu.kensa")"
echo "cpu ratio kensa/null: median $(cat "$W"/ratio.* | median) (rounds: $(cat "$W"/ratio.* | tr '\n' ' '| sed 's/ $//'))"

# The engine alone: the same messages scanned by `kensa scan` in one
# process (no milter, no worker, no ledger), CPU from the shell's times.
set --
for _ in $(seq $(((N + 299) / 300))); do set -- "$@" "$W/corpus"; done
TIMEFORMAT='%U %S'
engine=$({ time "$B/kensa" scan --config "$S/conf/kensa.yaml" \
	--policy "$S/conf/policy.yaml" --json "$@" >"$W/engine.json"; } 2>&1 |
	tail -1)
awk -v t="$engine" -v m="$(grep -c '^{' "$W/engine.json")" \
	-v n="$(cat "$W/cpu.null")" -v k="$(cat "$W/cpu.kensa")" 'BEGIN {
	split(t, x, " "); e = (x[1] + x[2]) * 1000 / (m ? m : 1)
	printf "engine alone (kensa scan, %d messages): cpu %.3f ms/msg, %.2fx the null filter; the daemon around it: %.3f ms/msg\n", m, e, (n > 0 ? e / n : 0), k - e }'
echo
echo "cost per message by size (1 connection):"
printf '%-18s %6s %4s %9s %7s %8s %8s %8s %10s\n' size msgs errs msgs/s MB/s p50_ms p99_ms max_ms cpu_ms/msg
# enough messages of each size for the clock's ticks (1/100 s) to count
for size in 1:30 10:6 50:3; do
	mb=${size%:*}
	mkdir -p "$W/size$mb"
	python3 "$S/t/bench/gen_corpus.py" --size-mb "$mb" "$W/size$mb"
	start_kensa -o limits.message_bytes=200M -o spool_memory_limit=4M
	run "${mb}MB" 1 "${size#*:}" "$W/size$mb"
	stop
done

echo
echo "peak memory, 64 connections x 20 MB:"
mkdir -p "$W/size20"
python3 "$S/t/bench/gen_corpus.py" --size-mb 20 "$W/size20"
start_kensa
( while kill -0 "$PID" 2>/dev/null; do mem_kb "$PID" >>"$W/mem"; sleep 0.2; done ) &
SAMPLER=$!
"$B/t/bench/milter_load" -s "$SOCK" -c 64 -n 64 "$W/size20" | head -2
stop
wait "$SAMPLER" 2>/dev/null
sort -n "$W/mem" | tail -1 | awk '{printf "peak RSS %.1f MB, PSS %.1f MB (daemon and workers)\n", $1/1024, $2/1024}'

R=${BENCH_REPLAY:-10000}
echo
echo "kensa replay, $R mixed messages, shipped policy against a draft:"
python3 "$S/t/bench/gen_corpus.py" --seed "${BENCH_SEED:-1}" --count "$R" \
	--testdata "$TESTDATA" "$W/replay" || exit 1
sed 's/^  quarantine: 15/  quarantine: 10/' "$S/conf/policy.yaml" >"$W/draft.yaml"
for j in 1 2; do
	for _ in 1 2 3; do
		TIMEFORMAT=%R
		{ time "$B/kensa" replay --jobs $j --config /dev/null \
			--baseline "$S/conf/policy.yaml" --policy "$W/draft.yaml" \
			--json "$W/replay" >"$W/replay$j.json"; } 2>&1
	done | sort -n | sed -n 2p >"$W/median$j"
	echo "--jobs $j: median of 3 runs $(cat "$W/median$j") s"
done
cmp -s "$W/replay1.json" "$W/replay2.json" || echo "replay: --jobs 1 and 2 differ!"
awk -v a="$(cat "$W/median1")" -v b="$(cat "$W/median2")" \
	'BEGIN { printf "speedup with 2 jobs: %.2fx\n", a / b }'
