#!/bin/bash
# Dangerous types told by their bytes, whatever their names: compiled
# HTML help (ITSF), Excel add-ins (a DLL naming xlAutoOpen), Windows
# Installer packages (the MSI class id of a
# compound file), scripts by their content (<hta:application, <job>,
# #@~^), HTML smuggling, a OneNote section with an embedded HTA, names
# that disagree with the bytes; the same inside a zip.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

F="$WORK/files"
mkdir -p "$F"


# ---- CHM by its ITSF header ----
{ printf 'ITSF\3\0\0\0\140\0\0\0'; head -c 100 /dev/zero; } >"$F/help.dat"
scan_file "$F/help.dat" help.dat
check "CHM by bytes under another name" has attachment.chm ITSF '["2"]'
scan_file "$F/help.dat" help.chm
check "CHM named .chm: one finding" \
	test "$(grep -o attachment.chm "$WORK/out.json" | wc -l)" = 1

# ---- MSI: a compound file whose root entry has the MSI class id ----
python3 - "$F/setup.dat" <<'PY'
import struct, sys
hdr = bytearray(512)
hdr[0:8] = bytes.fromhex("d0cf11e0a1b11ae1")
struct.pack_into("<HHH", hdr, 0x1a, 0x3e, 3, 0xfffe)
struct.pack_into("<H", hdr, 0x1e, 9)
struct.pack_into("<I", hdr, 0x30, 0)
entry = bytearray(512)
name = "Root Entry".encode("utf-16-le") + b"\0\0"
entry[0:len(name)] = name
entry[0x42] = 5
entry[0x50:0x60] = bytes.fromhex("84100c0000000000c000000000000046")
open(sys.argv[1], "wb").write(bytes(hdr + entry))
PY
scan_file "$F/setup.dat" setup.dat
check "MSI by its class id" has attachment.installer msi '["2"]'

# ---- XLL: a DLL that exports xlAutoOpen ----
python3 - "$F/addin.bin" <<'PY'
import struct, sys
d = bytearray(1024)
d[0:2] = b"MZ"
struct.pack_into("<I", d, 0x3c, 0x80)
d[0x80:0x84] = b"PE\0\0"
struct.pack_into("<HHIIIHH", d, 0x84, 0x14c, 1, 0, 0, 0, 0xe0, 0x2102)
d[0x300:0x30b] = b"xlAutoOpen\0"
open(sys.argv[1], "wb").write(bytes(d))
PY
scan_file "$F/addin.bin" report.dat
check "XLL by its export" has attachment.xll xlAutoOpen '["2"]'
check "XLL is a program too" has attachment.executable pe '["2"]'
scan_file "$F/addin.bin" report.xll
check "XLL named .xll: one finding" \
	test "$(grep -o attachment.xll "$WORK/out.json" | wc -l)" = 1

# ---- scripts by content ----
printf '<html><head><HTA:APPLICATION ID="x">\n<script>a=1</script></head></html>\n' >"$F/hta.txt"
scan_file "$F/hta.txt" readme.txt
check "HTA content under a .txt name" has attachment.script "content: <hta:application"
scan_file "$F/hta.txt" readme.hta
check "HTA named .hta: reported by name, once" has attachment.script readme.hta
check "HTA named .hta: no content finding too" hasnt attachment.script "content:"
printf '#@~^XAAAAA==vJ@#@&AAAA==^#~@\n' >"$F/vbe.txt"
scan_file "$F/vbe.txt" notes.txt
check "encoded script marker" has attachment.script "content: #@~^"
printf '<job id="a">\n<script language="JScript">WScript.Echo(1)</script>\n</job>\n' >"$F/wsf.txt"
scan_file "$F/wsf.txt" notes.txt
check "WSF job by content" has attachment.script "content: <job"
printf 'The <jobs> page lists the <script> of each\n' >"$F/plain.txt"
scan_file "$F/plain.txt" notes.txt
check "plain text mentioning tags is no script" hasnt attachment.script

# ---- HTML smuggling ----
cat >"$F/smuggle.html" <<'EOF'
<html><body><script>
var b = atob("TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAA");
var a = new Uint8Array(b.length);
var blob = new Blob([a], {type: "application/octet-stream"});
var l = document.createElement("a");
l.href = window.URL.createObjectURL(blob);
l.download = "invoice.iso";
l.click();
</script></body></html>
EOF
scan_file "$F/smuggle.html" invoice.html
check "HTML smuggling" has attachment.html_smuggling "atob, createObjectURL, download" '["2"]'
check "HTML smuggling is rejected" test "$(verdict)" = reject
cat >"$F/datauri.html" <<'EOF'
<!DOCTYPE html><html><body>
<a href="data:application/octet-stream;base64,TVqQAAMAAAAE" download="a.exe">get</a>
</body></html>
EOF
scan_file "$F/datauri.html" page.html
check "HTML smuggling with a data: link" has attachment.html_smuggling "data:application/"
{
	printf 'From: a@example.org\nTo: b@example.net\nSubject: news\n'
	printf 'MIME-Version: 1.0\nContent-Type: text/html\n\n'
	cat "$F/smuggle.html"
} >"$WORK/body.eml"
scan "$WORK/body.eml"
check "an HTML body (no attachment) is not smuggling" hasnt attachment.html_smuggling
printf '<html><body><a href="https://example.org/app">Download our app</a></body></html>\n' >"$F/news.html"
scan_file "$F/news.html" news.html
check "an HTML file with a download link only is not smuggling" hasnt attachment.html_smuggling

# ---- OneNote with an embedded HTA ----
python3 - "$F/notes.one" "$F/hta.txt" <<'PY'
import struct, sys
head = bytes.fromhex("e4525c7b8cd8a74daeb15378d02996d3")
body = open(sys.argv[2], "rb").read()
fdso = (bytes.fromhex("e716e3bd65261145a4c48d4d0b7a9eac")
        + struct.pack("<QIQ", len(body), 0, 0) + body)
fdso += b"\0" * (-len(fdso) % 8)
fdso += bytes.fromhex("22a7fb71790f0b4abb13899256426b24")
open(sys.argv[1], "wb").write(head + b"\0" * 200 + fdso + b"\0" * 64)
PY
scan_file "$F/notes.one" notes.one
check "OneNote: attachment.onenote_embedded" has attachment.onenote_embedded "1 embedded files" '["2"]'
check "OneNote: the embedded HTA is found" has attachment.script "content: <hta:application" '["2","embedded1"]'
check "OneNote: rejected" test "$(verdict)" = reject

# ---- names that disagree with the bytes ----
printf '%%PDF-1.4\n%%EOF\n' >"$F/doc.pdf"
scan_file "$F/doc.pdf" photo.jpg
check "a PDF named .jpg" has attachment.type_mismatch "photo.jpg: pdf"
scan_file "$F/doc.pdf" report.pdf
check "a PDF named .pdf" hasnt attachment.type_mismatch
scan "$TESTDATA/mail/spamassassin/renamedmacro.eml"
check "renamedmacro.eml: workbook named .jpg" has attachment.type_mismatch "renamed.jpg: ooxml"

# ---- the same inside a zip ----
cp "$F/hta.txt" "$F/readme.txt"
cp "$F/notes.one" "$F/meeting.one"
(cd "$F" && zip -q "$WORK/types.zip" readme.txt meeting.one setup.dat)
scan_file "$WORK/types.zip" files.zip
check "zip: HTA content" has attachment.script "content: <hta:application" '["2","readme.txt"]'
check "zip: MSI" has attachment.installer msi '["2","setup.dat"]'
check "zip: OneNote embedded HTA" has attachment.script "content: <hta:application" '["2","meeting.one","embedded1"]'
finish
