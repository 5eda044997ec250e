#!/bin/bash
# Replays the shared mail corpus, the policies and kensa's own fuzz corpus
# (t/fuzz/corpus: inputs that once crashed or hung a target) through the
# fuzz targets, built with the normal compiler; the office targets also
# get every sample of $TESTDATA/office.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
FUZZ="$abs_top_builddir/t/fuzz"
mapfile -t mail < <(find "$TESTDATA/mail" "$abs_top_srcdir/t/fuzz/corpus/scan" -type f 2>/dev/null | sort)
mapfile -t yaml < <(find "$abs_top_srcdir/conf" "$abs_top_srcdir/t/fuzz/corpus/policy" -type f 2>/dev/null | sort)
mapfile -t zips < <(find "$abs_top_srcdir/t/fuzz/corpus/zip" "$abs_top_srcdir/t/data" -type f 2>/dev/null | sort)
mapfile -t texts < <(find "$abs_top_srcdir/t/fuzz/corpus/passwords" -type f 2>/dev/null | sort)
check "scan target over ${#mail[@]} inputs" "$FUZZ/replay_scan" "${mail[@]}"
# libarchive allocates what 7z headers declare (one input asks for 3 TB):
# malloc fails there, as a worker's address-space limit makes it, and
# under ASan too with allocator_may_return_null.
check "zip target over ${#zips[@]} inputs" \
	env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1" \
	"$FUZZ/replay_zip" "${zips[@]}"
check "passwords target over ${#texts[@]} inputs" "$FUZZ/replay_passwords" "${texts[@]}"
mapfile -t quotes < <(find "$abs_top_srcdir/t/fuzz/corpus/thread_quote" -type f 2>/dev/null | sort)
check "thread_quote target over ${#quotes[@]} inputs" "$FUZZ/replay_thread_quote" "${quotes[@]}"
mapfile -t urls < <(find "$abs_top_srcdir/t/fuzz/corpus/urls" "$abs_top_srcdir/t/fuzz/corpus/passwords" -type f 2>/dev/null | sort)
check "urls target over ${#urls[@]} inputs" "$FUZZ/replay_urls" "${urls[@]}"
check "filetype target over ${#zips[@]} inputs" "$FUZZ/replay_filetype" "${zips[@]}"
check "policy target over ${#yaml[@]} inputs" "$FUZZ/replay_policy" "${yaml[@]}"
mapfile -t crypt < <(find "$abs_top_srcdir/t/fuzz/corpus/office_crypt" "$abs_top_srcdir/t/data/office_crypt" -type f 2>/dev/null | sort)
check "office_crypt target over ${#crypt[@]} inputs" "$FUZZ/replay_office_crypt" "${crypt[@]}"
mapfile -t office < <(find "$TESTDATA/office" -type f 2>/dev/null | sort)
for t in pdf tnef uudecode fat vhd xlsb report_wire url_plain; do
	mapfile -t seeds < <(find "$abs_top_srcdir/t/fuzz/corpus/$t" -type f 2>/dev/null | sort)
	check "$t target over ${#seeds[@]} inputs" "$FUZZ/replay_$t" "${seeds[@]}"
done
for t in cfb ovba vba_dir ooxml rtf; do
	mapfile -t seeds < <(find "$abs_top_srcdir/t/fuzz/corpus/$t" -type f 2>/dev/null | sort)
	check "$t target over $((${#seeds[@]} + ${#office[@]})) inputs" \
	    "$FUZZ/replay_$t" "${seeds[@]}" "${office[@]}"
done
finish
