#!/bin/bash
# Office documents whose macros hide where a first look does not go, end
# to end through `kensa scan --json`: Excel binary workbooks (.xlsb, made
# here by t/tools/make_xlsb.py) with an Excel 4.0 macro sheet, hidden or
# very hidden, and a built-in or spelt-out Auto_Open; a clean one; a
# Word document whose ObjectPool holds a macro workbook and an Excel
# workbook whose MBD storage holds a macro document (made here by
# t/tools/make_ole_embed.py from the shared SimpleMacro samples): the
# object is office.ole_object on the document and its macros are found on
# the object's own part. The same for an object in a PowerPoint 97
# presentation (an ExOleObjStg record; the class from the progIdAtom the
# persist directory leads to, else the object's CompObj) and an OOXML
# document's word/embeddings/oleObject1.bin (the class from its CompObj);
# a Package, in any of them, is reported once, by its own part.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

XLSB="$abs_top_srcdir/t/tools/make_xlsb.py"
EMBED="$abs_top_srcdir/t/tools/make_ole_embed.py"
MACRO="$TESTDATA/office/macro"

# count ID: how many findings of that id the last scan has
count() {
	python3 -c 'import json, sys
o = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(f["id"] == sys.argv[2] for f in o["findings"]))' "$WORK/out.json" "$1"
}

# rule NAME: the last scan's verdict came with that rule
rule() {
	python3 -c 'import json, sys
sys.exit(sys.argv[2] not in json.load(open(sys.argv[1]))["rules"])' \
		"$WORK/out.json" "$1"
}
norule() { ! rule "$@"; }

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

# ---- .ppt: ExOleObjStg 1 holds SimpleMacro.xls, progIdAtom Excel.Sheet.8 ----
check ".ppt with an embedded macro workbook made" \
	python3 "$EMBED" --ppt "$MACRO/SimpleMacro.xls" "$WORK/embed.ppt"
scan_file "$WORK/embed.ppt" "slides.ppt"
check ".ppt: the object and its class" \
	has office.ole_object "ExOleObjStg 1: Excel.Sheet.8" '["2"]'
check ".ppt: one office.ole_object" test "$(count office.ole_object)" = 1
check ".ppt: the workbook's VBA project, on the object's part" \
	has office.vba.present "_VBA_PROJECT_CUR/VBA: 5 modules" '["2","ExOleObjStg 1"]'
check ".ppt: scored by rule embedded-object" rule embedded-object
check ".ppt: not held as a package or equation" \
	norule remote-template-or-object
check ".ppt: quarantined (a macro document)" test "$(verdict)" = quarantine

# ---- .ppt: the class only in the progIdAtom (the object has no CompObj) ----
check ".ppt (progIdAtom, no CompObj) made" \
	python3 "$EMBED" --ppt --xlm --no-compobj --progid Excel.Sheet.5 \
	"$WORK/progid.ppt"
scan_file "$WORK/progid.ppt" "progid.ppt"
check ".ppt: the class from the record stream" \
	has office.ole_object "ExOleObjStg 1: Excel.Sheet.5" '["2"]'
check ".ppt: the object's XLM macros on its part" \
	has office.xlm.hidden "very hidden" '["2","ExOleObjStg 1"]'

# ---- .ppt: neither progIdAtom nor CompObj ----
check ".ppt (no class anywhere) made" \
	python3 "$EMBED" --ppt --xlm --no-compobj --no-progid "$WORK/noclass.ppt"
scan_file "$WORK/noclass.ppt" "noclass.ppt"
check ".ppt: unknown class" \
	has office.ole_object "ExOleObjStg 1: unknown class" '["2"]'

# ---- SimpleMacro.ppt: its own VBA project is no embedded object ----
scan_file "$MACRO/SimpleMacro.ppt" "SimpleMacro.ppt"
check "SimpleMacro.ppt: project found" has office.vba.present
check "SimpleMacro.ppt: no office.ole_object" hasnt office.ole_object

# ---- .docx: word/embeddings/oleObject1.bin is SimpleMacro.xls ----
check ".docx with an embedded compound file made" \
	python3 "$EMBED" --ooxml "$MACRO/SimpleMacro.xls" "$WORK/embed.docx"
scan_file "$WORK/embed.docx" "embed.docx"
check ".docx: the object and its CompObj class" \
	has office.ole_object "word/embeddings/oleObject1.bin: Excel.Sheet.8" '["2"]'
check ".docx: one office.ole_object" test "$(count office.ole_object)" = 1
check ".docx: the workbook's VBA project, on the object's part" \
	has office.vba.present "_VBA_PROJECT_CUR/VBA: 5 modules" '["2","word/embeddings/oleObject1.bin"]'

# ---- .docx: no CompObj ----
check ".docx (object without CompObj) made" \
	python3 "$EMBED" --ooxml --xlm --no-compobj "$WORK/noclass.docx"
scan_file "$WORK/noclass.docx" "noclass.docx"
check ".docx: unknown class" \
	has office.ole_object "word/embeddings/oleObject1.bin: unknown class" '["2"]'

# ---- a Package in each kind of object: reported by its own part, once,
# held; the script inside found ----
for kind in "ppt ppt:ExOleObjStg 1" "word doc:ObjectPool/_1234567890" \
	"excel xls:MBD0012ABCD" "ooxml docx:word/embeddings/oleObject1.bin"; do
	made=${kind%% *} ext=${kind#* } object=${kind#*:}
	ext=${ext%%:*}
	check ".$ext with a Package made" \
		python3 "$EMBED" "--$made" --package run.js "$WORK/package.$ext"
	scan_file "$WORK/package.$ext" "package.$ext"
	check ".$ext Package: on the object's part" \
		has office.ole_object "Package: run.js" "[\"2\",\"$object\"]"
	check ".$ext Package: once" test "$(count office.ole_object)" = 1
	check ".$ext Package: held by rule remote-template-or-object" \
		rule remote-template-or-object
	check ".$ext Package: the script inside found" \
		has attachment.script "run.js"
done

# ---- the clean sample's empty ObjectPool gives no object ----
scan_file "$TESTDATA/office/clean/simple.doc" "simple.doc"
check "clean .doc: no office.ole_object" hasnt office.ole_object
check "clean .doc: accepted" test "$(verdict)" = accept

finish
