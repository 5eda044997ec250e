#!/bin/bash
# The whole shared mail corpus through `kensa scan --json` under valgrind:
# no memory errors, nothing definitely or indirectly lost.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

check "valgrind installed" command -v valgrind
valgrind --quiet --suppressions="$abs_top_srcdir/t/valgrind.supp" --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=99 --log-file="$WORK/valgrind.log" \
	"$KENSA" scan --policy "$POLICY" --json "$TESTDATA/mail" >"$WORK/out.json"
rc=$?
check "kensa scan under valgrind exits 0 or 1 (not 99)" test "$rc" -le 1
check "valgrind reports nothing" test ! -s "$WORK/valgrind.log"
[ -s "$WORK/valgrind.log" ] && head -60 "$WORK/valgrind.log" >&2
files=$(find "$TESTDATA/mail" -type f | wc -l)
check "every message scanned ($files files)" test "$(wc -l <"$WORK/out.json")" -ge "$files"
finish
