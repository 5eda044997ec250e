#!/bin/bash
# PDF end to end through `kensa scan --json`, on PDFs written here by
# t/tools/make_pdf.py: JavaScript in /OpenAction, in a page's /AA and
# hidden in a Flate object stream behind #xx-escaped names, a Launch
# action, an embedded macro document scanned as a child part, link
# targets handed to the URLs, an encrypted PDF; the default policy's
# verdicts on them; damaged and hostile PDFs (deep nesting, too many
# objects, object streams that expand too much, a stream that never
# ends) stay bounded.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

DOCM="$TESTDATA/office/macro/SimpleMacro.docm"
PDF="$WORK/pdf"
python3 "$abs_top_srcdir/t/tools/make_pdf.py" "$PDF" "$DOCM"
check "fixtures written" test -s "$PDF/embedded.pdf"

scan_file "$PDF/clean.pdf" clean.pdf
check "clean: scanned as PDF" part '["2"]' application/pdf
check "clean: no pdf finding" hasnt pdf.javascript
check "clean: accepted" test "$(verdict)" = accept

scan_file "$PDF/js_open.pdf" js.pdf
check "OpenAction JavaScript" has pdf.javascript "runs when the document is opened" '["2"]'
check "OpenAction JavaScript: quarantined" test "$(verdict)" = quarantine

scan_file "$PDF/aa_hex.pdf" aa.pdf
check "page /AA JavaScript by reference" has pdf.javascript "runs when the document is opened"

scan_file "$PDF/objstm.pdf" objstm.pdf
check "/J#61vaScript inside a Flate object stream" \
	has pdf.javascript "runs when the document is opened" '["2"]'

scan_file "$PDF/launch.pdf" launch.pdf
check "Launch action names its program" has pdf.launch "launches cmd.exe" '["2"]'
check "Launch action: rejected" test "$(verdict)" = reject

scan_file "$PDF/embedded.pdf" x.pdf
check "embedded file named by its file specification" \
	has pdf.embedded_file inner.docm '["2"]'
check "embedded .docm scanned as a part" \
	part '["2","inner.docm"]' application/vnd.openxmlformats-officedocument
check "macros of the embedded .docm found" \
	has office.vba.present "" '["2","inner.docm","word/vbaProject.bin"]'
check "embedded file: quarantined" test "$(verdict)" = quarantine

scan_file "$PDF/uri.pdf" uri.pdf
check "link targets in the URLs (escapes and hex strings decoded)" python3 -c '
import json, sys
u = json.load(open(sys.argv[1]))["urls"]
assert "http://phish.example/login)x" in u and "https://s3.example/a.exe" in u, u
' "$WORK/out.json"

scan_file "$PDF/encrypted.pdf" enc.pdf
check "encrypted" has pdf.encrypted "" '["2"]'
check "encrypted: quarantined as not inspected" test "$(verdict)" = quarantine

# ---- hostile: deep nesting, many objects, a stream that never ends ----
python3 - "$WORK" <<'PY'
import sys, zlib
w = sys.argv[1]
open(w + "/deep.pdf", "wb").write(b"%PDF-1.4\n1 0 obj\n" + b"<< /A [" * 200000 + b"\nendobj\n")
open(w + "/many.pdf", "wb").write(b"%PDF-1.4\n" + b"".join(b"%d 0 obj << /S /JavaScript >> endobj\n" % i for i in range(150000)))
blob = zlib.compress(b"1 0 " + b" " * (8 << 20), 9)
open(w + "/bomb.pdf", "wb").write(b"%PDF-1.5\n" + b"".join(
    b"%d 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
    % (i + 1, len(blob)) + blob + b"\nendstream\nendobj\n" for i in range(10)))
open(w + "/open.pdf", "wb").write(b"%PDF-1.4\n" + b"1 0 obj << /Length 99999999 /Type /ObjStm /N 5 /First 0 /Filter /FlateDecode >> stream\n" + zlib.compress(b"1 0 " * 1000)[:50] + b"(unterminated" * 1000)
PY
scan_file "$WORK/deep.pdf" deep.pdf
check "deep nesting: scan.limit" has scan.limit "PDF nesting over"
scan_file "$WORK/many.pdf" many.pdf
check "many objects: scan.limit" has scan.limit "PDF objects over"
check "many objects: JavaScript still found" has pdf.javascript
scan_file "$WORK/bomb.pdf" bomb.pdf
check "object streams expanding past the ratio: archive.bomb" \
	has archive.bomb "PDF streams expand over" '["2"]'
scan_file "$WORK/open.pdf" open.pdf
check "unterminated stream: scanned" part '["2"]' application/pdf

finish
