#!/bin/bash
# make soak: SOAK_MESSAGES (20 000) messages at concurrency SOAK_CONNS (32)
# through kensa-milter with milter_load: the mixed corpus of gen_corpus.py
# (300 messages, seed SOAK_SEED) interleaved with the broken MIME of
# $TESTDATA/mail/malformed and with zip bombs made here (one 256 MB entry,
# nested zips, 5000 entries, one local entry named by 1000 central entries,
# a 256 MB tar.gz). Samples the resident memory of the daemon and its scan
# workers every SOAK_INTERVAL seconds (1) and reports: errors and
# tempfails (must be 0), RSS after warm-up against RSS at the end, which
# must stay within 10%, worker crashes in the daemon's log, and the
# daemon's exit status after SIGTERM. Built with --enable-sanitizers
# (SOAK_BUILDDIR=an ASan build tree: its kensa-milter, this tree's
# milter_load), the log must hold no ASan, LSan or UBSan report: the leak
# check runs when the daemon exits.
# The warm-up is the first half of the run: 20 000 messages are one pass
# of the 328-message corpus for each of 32 connections every 10 000
# messages, and until each connection's thread (its malloc arena) and each
# worker has met the largest messages and the bombs, RSS still climbs to
# its plateau (an 80 000-message run shows where it levels off; see
# BENCHMARKS.md). "After warm-up" is the mean of the samples at 45-55% of
# the run, "the end" the mean of the last 10%. A sanitizer build skips the
# RSS check (ASan's quarantine holds freed memory on purpose).
# Exit status: 0 when every check holds. Not part of make check or CI.
set -u
B=${SOAK_BUILDDIR:-${abs_top_builddir:-$(pwd)}}
# the client always from this build tree: an ASan-built client would report
# its own allocations at exit and lose its output
LOAD=${abs_top_builddir:-$(pwd)}/t/bench/milter_load
S=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
TESTDATA=${TESTDATA:-$S/../shared/testdata}
N=${SOAK_MESSAGES:-20000}
C=${SOAK_CONNS:-32}
INTERVAL=${SOAK_INTERVAL:-1}
W=$(mktemp -d /tmp/kensa-soak.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; [ -n "${SOAK_KEEP:-}" ] || rm -rf "$W"' EXIT

mem_kb() { # mem_kb PID: "RSS PSS" in kB, summed over PID and its children
	local r=0 s=0 p
	for p in "$1" $(pgrep -P "$1"); do
		[ -r "/proc/$p/smaps_rollup" ] || continue
		r=$((r + $(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup")))
		s=$((s + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup")))
	done
	echo "$r $s"
}

rss_kb() { awk '/^Rss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

for f in "$B/kensa-milter" "$LOAD"; do
	[ -x "$f" ] || { echo "soak: no $f (make kensa-milter t/bench/milter_load)" >&2; exit 2; }
done
[ -d "$TESTDATA/mail/malformed" ] || { echo "soak: no $TESTDATA/mail/malformed" >&2; exit 2; }

# ---- the corpus: mixed mail, malformed mail, zip bombs -----------------------
python3 "$S/t/bench/gen_corpus.py" --seed "${SOAK_SEED:-1}" --count 300 \
	--testdata "$TESTDATA" "$W/corpus" || exit 1
for f in "$TESTDATA"/mail/malformed/*.eml; do
	cp "$f" "$W/corpus/malformed-$(basename "$f")"
done
python3 - "$W/corpus" <<'PY' || exit 1
import base64, io, struct, sys, tarfile, zipfile, zlib

out = sys.argv[1]

def zeros_zip(name, size):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open(name, "w", force_zip64=True) as f:
            block = bytes(1 << 20)
            for _ in range(size >> 20):
                f.write(block)
    return b.getvalue()

def nested(levels, fanout):
    data, name = zeros_zip("zeros.bin", 16 << 20), "l0.zip"
    for level in range(1, levels + 1):
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(fanout):
                z.writestr("l%d-%d.zip" % (level - 1, i), data)
        data = b.getvalue()
    return data

def many(n):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(n):
            z.writestr("f%05d.txt" % i, "x")
    return b.getvalue()

def overlap(copies):
    # one local entry (64 MB of zeros), named by many central entries
    one = zeros_zip("a", 64 << 20)
    eocd = one.rfind(b"PK\x05\x06")
    cd_size, cd_off = struct.unpack("<II", one[eocd + 12:eocd + 20])
    cd = one[cd_off:cd_off + cd_size]
    body = one[:cd_off] + cd * copies
    return body + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, copies,
                              copies, len(cd) * copies, cd_off, 0)

def targz(size):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w:gz", compresslevel=9) as t:
        info = tarfile.TarInfo("zeros.bin")
        info.size = size
        class Zeros(io.RawIOBase):
            left = size
            def readable(self):
                return True
            def readinto(self, buf):
                n = min(len(buf), self.left)
                buf[:n] = bytes(n)
                self.left -= n
                return n
        t.addfile(info, io.BufferedReader(Zeros()))
    return b.getvalue()

bombs = {
    "flat.zip": ("application/zip", zeros_zip("report.bin", 256 << 20)),
    "nested.zip": ("application/zip", nested(4, 8)),
    "many.zip": ("application/zip", many(5000)),
    "overlap.zip": ("application/zip", overlap(1000)),
    "zeros.tar.gz": ("application/gzip", targz(256 << 20)),
}
for i, (name, (ctype, data)) in enumerate(sorted(bombs.items())):
    b64 = base64.encodebytes(data).decode().replace("\n", "\r\n")
    msg = ("From: Bomb <bomb%d@example.net>\r\n"
           "To: rcpt@example.com\r\n"
           "Subject: invoice %s\r\n"
           "Message-ID: <bomb-%d@example.net>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
           "--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
           "--b\r\nContent-Type: %s; name=\"%s\"\r\n"
           "Content-Disposition: attachment; filename=\"%s\"\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n%s--b--\r\n"
           % (i, name, i, ctype, name, name, b64))
    with open("%s/bomb-%s.eml" % (out, name), "w", newline="") as f:
        f.write(msg)
PY

# ---- the run -------------------------------------------------------------------
rm -f "$W/kensa.sock"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	"$B/kensa-milter" -c "$S/conf/kensa.yaml" -f -o user= -o group= \
	-o socket_group= -o "socket=unix:$W/kensa.sock" \
	-o "policy=$S/conf/policy.yaml" -o "spool_dir=$W/spool" \
	-o "state_dir=$W/state" -o pidfile= -o log.syslog=false \
	-o log.stderr=true -o metrics_listen= 2>"$W/kensa.log" &
PID=$!
for _ in $(seq 100); do [ -S "$W/kensa.sock" ] && break; sleep 0.05; done
[ -S "$W/kensa.sock" ] || { cat "$W/kensa.log" >&2; echo "soak: kensa-milter did not start" >&2; exit 1; }

echo "kensa soak: $(git -C "$S" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), binary $B/kensa-milter"
count() { find "$W/corpus" -name "$1" | wc -l; }
echo "corpus: $(count '*.eml') messages ($(count 'malformed-*') malformed, $(count 'bomb-*') zip bombs), $(du -sk "$W/corpus" | cut -f1) kB; $N messages at concurrency $C"
echo "idle RSS/PSS kB: $(mem_kb "$PID")"
( t0=$(date +%s.%N)
  while kill -0 "$PID" 2>/dev/null; do
	echo "$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN {printf "%.1f", a - b}') $(mem_kb "$PID") $(rss_kb "$PID")"
	sleep "$INTERVAL"
  done ) >"$W/mem" &
SAMPLER=$!
"$LOAD" -s "unix:$W/kensa.sock" -c "$C" -n "$N" "$W/corpus" >"$W/load.out" 2>&1
load_rc=$?
kill "$SAMPLER" 2>/dev/null
wait "$SAMPLER" 2>/dev/null
cat "$W/load.out"
kill -TERM "$PID"
wait "$PID"
exit_rc=$?
PID=""

# ---- the verdict -----------------------------------------------------------------
fails=0
bad() { echo "SOAK FAIL: $*"; fails=$((fails + 1)); }
errors=$(awk '/^messages/ {print $4}' "$W/load.out")
done_msgs=$(awk '/^messages/ {print $2}' "$W/load.out")
tempfails=$(sed -n 's/.* tempfail=\([0-9]*\).*/\1/p' "$W/load.out")
if [ "$load_rc" -ne 0 ] || [ "${errors:-1}" -ne 0 ]; then
	bad "milter_load: exit $load_rc, errors ${errors:-?}"
fi
[ "${done_msgs:-0}" -eq "$N" ] || bad "$done_msgs of $N messages answered"
[ "${tempfails:-0}" -eq 0 ] || bad "$tempfails messages tempfailed"
awk -v n="$(wc -l <"$W/mem")" '
	{ t[NR] = $1; r[NR] = $2; d[NR] = $4 }
	END {
		if (n < 5) { print "RSS: too few samples (" n ")"; exit }
		for (i = int(n * 0.45) + 1; i <= int(n * 0.55) + 1; i++) { w += r[i]; dw += d[i]; wn++ }
		for (i = n - int(n * 0.1); i <= n; i++) { e += r[i]; de += d[i]; en++ }
		w /= wn; e /= en; dw /= wn; de /= en
		for (i = 1; i <= n; i++) if (r[i] > peak) peak = r[i]
		printf "RSS kB (daemon + workers, %d samples over %.0f s): after warm-up %.0f, end %.0f, peak %.0f, growth %+.1f%%\n",
			n, t[n], w, e, peak, (e - w) * 100 / w
		printf "  of which the daemon alone: after warm-up %.0f, end %.0f, growth %+.1f%%\n",
			dw, de, (de - dw) * 100 / dw
		print ((e - w) * 100 / w) > "/dev/stderr"
	}' "$W/mem" 2>"$W/growth"
growth=$(cat "$W/growth")
if grep -qa __asan_init "$B/kensa-milter"; then
	echo "(sanitizer build: RSS not judged)"
elif [ -n "$growth" ]; then
	awk -v g="$growth" 'BEGIN { exit !(g > 10) }' && bad "RSS grew by $growth% after warm-up"
fi
crashes=$(grep -ci 'worker.*\(crash\|died\|signal\|killed\)' "$W/kensa.log")
[ "$crashes" -eq 0 ] || bad "$crashes worker crash lines in the log"
[ "$exit_rc" -eq 0 ] || bad "kensa-milter exited with $exit_rc after SIGTERM"
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$W/kensa.log"; then
	bad "sanitizer report in the daemon's log:"
	grep -E -A30 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$W/kensa.log" | head -80
fi
echo "log: $(grep -c 'verdict=' "$W/kensa.log") verdict lines, $(grep -c 'warning' "$W/kensa.log") warnings, $(grep -c 'error' "$W/kensa.log") error lines"
grep -E 'warning|error' "$W/kensa.log" | grep -v 'running as root' | sed 's/^kensa-milter: [a-z]*: [0-9A-Za-z]*: //' |
	sort | uniq -c | sort -rn | head -5
if [ "$fails" -eq 0 ]; then echo "soak: ok"; else echo "soak: $fails check(s) failed"; fi
[ "$fails" -eq 0 ]
