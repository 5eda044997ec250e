#!/bin/bash
# Office documents whose macros hide where a first look does not go, end
# to end through `kensa scan --json`: Excel binary workbooks (.xlsb, made
# here by t/tools/make_xlsb.py) with an Excel 4.0 macro sheet, hidden or
# very hidden, and a built-in or spelt-out Auto_Open; a clean one; a
# Word document whose ObjectPool holds a macro workbook and an Excel
# workbook whose MBD storage holds a macro document (made here by
# t/tools/make_ole_embed.py from the shared SimpleMacro samples): the
# object is office.ole_object on the document and its macros are found on
# the object's own part.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

XLSB="$abs_top_srcdir/t/tools/make_xlsb.py"
EMBED="$abs_top_srcdir/t/tools/make_ole_embed.py"
MACRO="$TESTDATA/office/macro"

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

# ---- .doc: ObjectPool/_NNN holds SimpleMacro.xls ----
check ".doc with an embedded macro workbook made" \
	python3 "$EMBED" --word "$MACRO/SimpleMacro.xls" "$WORK/embed.doc"
scan_file "$WORK/embed.doc" "letter.doc"
check ".doc: the object and its class" \
	has office.ole_object "ObjectPool/_1234567890: Excel.Sheet.8" '["2"]'
check ".doc: the object is a part of its own" \
	part '["2","ObjectPool/_1234567890"]' application/x-ole-storage
check ".doc: the workbook's VBA project, on the object's part" \
	has office.vba.present "_VBA_PROJECT_CUR/VBA: 5 modules" '["2","ObjectPool/_1234567890"]'
check ".doc: not on the document itself" \
	hasnt office.vba.present "" '["2"]'
check ".doc: quarantined (a macro document)" test "$(verdict)" = quarantine

# ---- .xls: MBD storage holds SimpleMacro.doc ----
check ".xls with an embedded macro document made" \
	python3 "$EMBED" --excel "$MACRO/SimpleMacro.doc" "$WORK/embed.xls"
scan_file "$WORK/embed.xls" "book.xls"
check ".xls: the object and its class" \
	has office.ole_object "MBD0012ABCD: Word.Document.8" '["2"]'
check ".xls: the document's project, on the object's part" \
	has office.vba.present "Macros/VBA: 2 modules" '["2","MBD0012ABCD"]'
check ".xls: not on the workbook itself" \
	hasnt office.vba.present "" '["2"]'

# ---- Excel 4.0 macros in an embedded workbook: rejected ----
check ".doc with an embedded XLM workbook made" \
	python3 "$EMBED" --word --xlm "$WORK/xlm.doc"
scan_file "$WORK/xlm.doc" "xlm.doc"
check "embedded XLM: very hidden macro sheet on the object" \
	has office.xlm.hidden "very hidden" '["2","ObjectPool/_1234567890"]'
check "embedded XLM: rejected" test "$(verdict)" = reject

# ---- the clean sample's empty ObjectPool gives no object ----
scan_file "$TESTDATA/office/clean/simple.doc" "simple.doc"
check "clean .doc: no office.ole_object" hasnt office.ole_object
check "clean .doc: accepted" test "$(verdict)" = accept

finish
