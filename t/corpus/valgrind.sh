#!/bin/bash
# The whole shared mail corpus through `kensa scan --json` under valgrind
# (no memory errors, nothing definitely or indirectly lost) or, in a
# sanitizer build, under AddressSanitizer and LeakSanitizer, which valgrind
# cannot run.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

if ldd "$KENSA" | grep -q libasan; then
	ASAN_OPTIONS=detect_leaks=1:exitcode=99 \
		"$KENSA" scan --policy "$POLICY" --json "$TESTDATA/mail" \
		>"$WORK/out.json" 2>"$WORK/checker.log"
	rc=$?
	checker="AddressSanitizer"
else
	check "valgrind installed" command -v valgrind
	valgrind --quiet --suppressions="$abs_top_srcdir/t/valgrind.supp" \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=99 --log-file="$WORK/checker.log" \
		"$KENSA" scan --policy "$POLICY" --json "$TESTDATA/mail" >"$WORK/out.json"
	rc=$?
	checker="valgrind"
fi
check "kensa scan under $checker exits 0 or 1 (not 99)" test "$rc" -le 1
check "$checker reports nothing" test ! -s "$WORK/checker.log"
[ -s "$WORK/checker.log" ] && head -60 "$WORK/checker.log" >&2
files=$(find "$TESTDATA/mail" -type f | wc -l)
check "every message scanned ($files files)" test "$(wc -l <"$WORK/out.json")" -ge "$files"
finish
