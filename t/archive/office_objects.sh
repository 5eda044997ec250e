#!/bin/bash
# Office documents whose macros hide where a first look does not go, end
# to end through `kensa scan --json`: Excel binary workbooks (.xlsb, made
# here by t/tools/make_xlsb.py) with an Excel 4.0 macro sheet, hidden or
# very hidden, and a built-in or spelt-out Auto_Open; a clean one.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

XLSB="$abs_top_srcdir/t/tools/make_xlsb.py"

# ---- .xlsb: a very hidden macro sheet, built-in Auto_Open ----
check "xlsb fixture made" python3 "$XLSB" "$WORK/book.xlsb"
scan_file "$WORK/book.xlsb" "report.xlsb"
check "xlsb: the macro sheet is found" \
	has office.xlm.present "macrosheet content type" '["2"]'
check "xlsb: very hidden, from BrtBundleSh" \
	has office.xlm.hidden "macro sheet Macro1 (very hidden)" '["2"]'
check "xlsb: built-in Auto_Open from BrtName" \
	has office.xlm.autoexec "_xlnm.Auto_Open" '["2"]'
check "xlsb: rejected" test "$(verdict)" = reject

# ---- hidden, a name spelt out ----
check "xlsb fixture (hidden, plain name) made" \
	python3 "$XLSB" --state hidden --plain-name "$WORK/plain.xlsb"
scan_file "$WORK/plain.xlsb" "plain.xlsb"
check "xlsb: hidden" has office.xlm.hidden "macro sheet Macro1 (hidden)"
check "xlsb: Auto_Open_1 spelt out" has office.xlm.autoexec "Auto_Open_1"

# ---- visible macro sheet: present, not hidden ----
check "xlsb fixture (visible) made" \
	python3 "$XLSB" --state visible "$WORK/visible.xlsb"
scan_file "$WORK/visible.xlsb" "visible.xlsb"
check "xlsb visible: present" has office.xlm.present
check "xlsb visible: not hidden" hasnt office.xlm.hidden

# ---- clean ----
check "clean xlsb made" python3 "$XLSB" --clean "$WORK/clean.xlsb"
scan_file "$WORK/clean.xlsb" "clean.xlsb"
check "clean xlsb: no office.xlm.*" hasnt office.xlm.present
check "clean xlsb: no autoexec" hasnt office.xlm.autoexec
check "clean xlsb: no scan.error" hasnt scan.error

finish
