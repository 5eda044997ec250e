#!/bin/bash
# Replays the shared mail corpus, the policies and kensa's own fuzz corpus
# (t/fuzz/corpus: inputs that once crashed or hung a target) through the
# fuzz targets, built with the normal compiler.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
FUZZ="$abs_top_builddir/t/fuzz"
mapfile -t mail < <(find "$TESTDATA/mail" "$abs_top_srcdir/t/fuzz/corpus/scan" -type f 2>/dev/null | sort)
mapfile -t yaml < <(find "$abs_top_srcdir/conf" "$abs_top_srcdir/t/fuzz/corpus/policy" -type f 2>/dev/null | sort)
check "scan target over ${#mail[@]} inputs" "$FUZZ/replay_scan" "${mail[@]}"
check "policy target over ${#yaml[@]} inputs" "$FUZZ/replay_policy" "${yaml[@]}"
finish
