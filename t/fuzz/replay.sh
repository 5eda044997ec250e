#!/bin/bash
# Replays the shared mail corpus, the policies and kensa's own fuzz corpus
# (t/fuzz/corpus: inputs that once crashed or hung a target) through the
# fuzz targets, built with the normal compiler; the office targets also
# get every sample of $TESTDATA/office.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
FUZZ="$abs_top_builddir/t/fuzz"
mapfile -t mail < <(find "$TESTDATA/mail" "$abs_top_srcdir/t/fuzz/corpus/scan" -type f 2>/dev/null | sort)
mapfile -t yaml < <(find "$abs_top_srcdir/conf" "$abs_top_srcdir/t/fuzz/corpus/policy" -type f 2>/dev/null | sort)
check "scan target over ${#mail[@]} inputs" "$FUZZ/replay_scan" "${mail[@]}"
check "policy target over ${#yaml[@]} inputs" "$FUZZ/replay_policy" "${yaml[@]}"
mapfile -t office < <(find "$TESTDATA/office" -type f 2>/dev/null | sort)
for t in cfb ovba vba_dir ooxml rtf; do
	mapfile -t seeds < <(find "$abs_top_srcdir/t/fuzz/corpus/$t" -type f 2>/dev/null | sort)
	check "$t target over $((${#seeds[@]} + ${#office[@]})) inputs" \
	    "$FUZZ/replay_$t" "${seeds[@]}" "${office[@]}"
done
finish
