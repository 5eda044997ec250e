#!/bin/bash
# Containers inside the message that are not archives, end to end through
# `kensa scan --json`: a TNEF winmail.dat (written here by
# t/tools/make_tnef.py) carrying a macro document under a Japanese name
# and a program; a uuencoded and a yEnc program in plain-text bodies.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

SRC="$WORK/src"
make_samples "$SRC"
DOCM="$TESTDATA/office/macro/SimpleMacro.docm"

# ---- TNEF ----
python3 "$abs_top_srcdir/t/tools/make_tnef.py" "$WORK/winmail.dat" \
	"$DOCM" "請求書.docm" "$SRC/note.txt"
python3 - "$WORK/tnef.eml" "$WORK/winmail.dat" <<'PY'
import sys, email.message, email.policy
m = email.message.EmailMessage(policy=email.policy.SMTP)
m["From"] = "a@example.org"
m["To"] = "b@example.net"
m["Subject"] = "Outlook"
m.set_content("see attached")
m.add_attachment(open(sys.argv[2], "rb").read(), maintype="application",
                 subtype="ms-tnef", filename="winmail.dat")
open(sys.argv[1], "wb").write(m.as_bytes())
PY
scan "$WORK/tnef.eml"
check "winmail.dat read as TNEF" part '["2"]' application/ms-tnef
check "its macro document scanned under its long name" \
	part '["2","請求書.docm"]' application/vnd.openxmlformats-officedocument
check "the macros found" has office.vba.present "" '["2","請求書.docm","word/vbaProject.bin"]'
check "its text attachment listed" part '["2","note.txt"]' text/plain
check "TNEF macro document: quarantined" test "$(verdict)" = quarantine

# a damaged checksum hides the attachment from libytnef (it stops with
# "Checksum mismatch"); kensa ignores checksums
python3 - "$WORK/winmail.dat" "$WORK/badsum.dat" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.find(struct.pack("<BI", 2, 0x0006800F))
d[i + 9 + struct.unpack_from("<I", d, i + 5)[0]] ^= 0xFF
open(sys.argv[2], "wb").write(d)
PY
scan_file "$WORK/badsum.dat" winmail.dat
check "damaged checksum: the macros still found" \
	has office.vba.present "" '["2","請求書.docm","word/vbaProject.bin"]'

python3 "$abs_top_srcdir/t/tools/make_tnef.py" "$WORK/exe.dat" "$SRC/invoice.exe"
scan_file "$WORK/exe.dat" winmail.dat
check "a program in TNEF" has attachment.executable pe '["2","invoice.exe"]'
check "a program in TNEF: rejected" test "$(verdict)" = reject

# ---- uuencoded and yEnc programs in a plain-text body ----
python3 - "$WORK" "$SRC/invoice.exe" <<'PY'
import binascii, sys, email.message, email.policy
w, exe = sys.argv[1], open(sys.argv[2], "rb").read()
uu = "".join(binascii.b2a_uu(exe[i:i + 45]).decode()
             for i in range(0, len(exe), 45))
m = email.message.EmailMessage(policy=email.policy.SMTP)
m["From"] = "a@example.org"
m["To"] = "b@example.net"
m["Subject"] = "update"
m.set_content("Please run the update below.\n\nbegin 644 update.exe\n" + uu +
              "`\nend\n\nThanks, and begin 100 days of summer\n")
open(w + "/uu.eml", "wb").write(m.as_bytes())
def yenc(d):
    out = bytearray()
    for b in d:
        c = (b + 42) & 255
        out += b"=" + bytes([(c + 64) & 255]) if c in (0, 10, 13, 61) else bytes([c])
    return bytes(out)
y = (b"From: a@example.org\r\nTo: b@example.net\r\nSubject: y\r\n"
     b"Content-Type: text/plain; charset=iso-8859-1\r\n"
     b"Content-Transfer-Encoding: 8bit\r\n\r\nhi\r\n"
     b"=ybegin line=128 size=%d name=setup 1.exe\r\n" % len(exe) + yenc(exe) +
     b"\r\n=yend size=%d\r\n" % len(exe))
open(w + "/y.eml", "wb").write(y)
PY
scan "$WORK/uu.eml"
check "uuencoded program named by its begin line" \
	has attachment.executable pe '["1","update.exe"]'
check "uuencoded program decoded whole" python3 -c '
import json, sys
p = [p for p in json.load(open(sys.argv[1]))["parts"] if p["path"] == ["1", "update.exe"]]
assert p and p[0]["size"] == 204, p
' "$WORK/out.json"
check "prose that looks like a begin line is no part" \
	python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["parts"]) == 2' "$WORK/out.json"
check "uuencoded program: rejected" test "$(verdict)" = reject
scan "$WORK/y.eml"
check "yEnc program" has attachment.executable pe '["1","setup 1.exe"]'

finish
