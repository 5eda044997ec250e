#!/usr/bin/env python3
"""make_pdf.py OUTDIR [DOCM]: small PDFs for kensa's PDF tests, written
from scratch (objects, xref, trailer) so that every byte is known:

  clean.pdf      one page, nothing active
  js_open.pdf    /OpenAction << /S /JavaScript /JS (...) >>
  launch.pdf     /OpenAction -> /S /Launch /Win << /F (cmd.exe) >>
  embedded.pdf   DOCM embedded as inner.docm (Flate), when DOCM is given
  uri.pdf        two /URI link annotations
  objstm.pdf     catalog and a /J#61vaScript action inside a Flate object
                 stream, /OpenAction by reference
  aa_hex.pdf     page /AA with a JavaScript action in hex string, A85 text
  encrypted.pdf  /Encrypt in the trailer (standard handler, RC4 40)
"""
import os
import sys
import zlib


def build(objs, trailer_extra=b"", header=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"):
    """objs: list of (num, body bytes); returns the file with an xref."""
    out = bytearray(header)
    offsets = {}
    for num, body in objs:
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    size = max(offsets) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        if n in offsets:
            out += b"%010d 00000 n \n" % offsets[n]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size, trailer_extra, xref)
    return bytes(out)


def stream(dict_body, data):
    return b"<< %s /Length %d >>\nstream\n" % (dict_body, len(data)) + data + \
        b"\nendstream"


PAGES = [
    (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"),
]


def clean():
    return build([(1, b"<< /Type /Catalog /Pages 2 0 R >>")] + PAGES)


def js_open():
    return build([(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction "
                   b"<< /S /JavaScript /JS (app.alert\\(\"hi\"\\);) >> >>")]
                 + PAGES)


def launch():
    return build([(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>")]
                 + PAGES + [(5, b"<< /Type /Action /S /Launch /Win << /F "
                             b"(cmd.exe) /P (/c calc.exe) >> >>")])


def embedded(docm):
    data = zlib.compress(docm)
    return build([
        (1, b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles "
            b"<< /Names [(inner.docm) 6 0 R] >> >> >>"),
    ] + PAGES + [
        (6, b"<< /Type /Filespec /F (inner.docm) /UF <FEFF0069006E006E00650072"
            b"002E0064006F0063006D> /EF << /F 7 0 R >> >>"),
        (7, stream(b"/Type /EmbeddedFile /Subtype /application#2Fvnd.ms-word"
                   b".document.macroEnabled.12 /Filter /FlateDecode", data)),
    ])


def uri():
    return build([(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
                  (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                  (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                      b"/Annots [8 0 R 9 0 R] >>"),
                  (8, b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A "
                      b"<< /S /URI /URI (http://phish.example/login\\051x) >> >>"),
                  (9, b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A "
                      b"<< /S /URI /URI <68747470733A2F2F73332E6578616D706C65"
                      b"2F612E657865> >> >>")])


def objstm():
    inner = [(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"),
             (4, b"<< /S /J#61vaScript /J#53 (this.exportDataObject\\(\\)) >>")]
    head = b""
    body = b""
    for num, o in inner:
        head += b"%d %d " % (num, len(body))
        body += o + b"\n"
    data = zlib.compress(head + body)
    return build(PAGES + [
        (10, stream(b"/Type /ObjStm /N %d /First %d /Filter [/FlateDecode]"
                    % (len(inner), len(head)), data)),
    ], header=b"%PDF-1.5\n")


def aa_hex():
    js = b"app.launchURL('http://x.example/');"
    a85 = b"<~" + __import__("base64").a85encode(js) + b"~>"
    return build([(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
                  (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                  (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                      b"/AA << /O 11 0 R >> >>"),
                  (11, b"<< /S /JavaScript /JS 12 0 R >>"),
                  (12, stream(b"/Filter /ASCII85Decode", a85))])


def encrypted():
    return build([(1, b"<< /Type /Catalog /Pages 2 0 R >>")] + PAGES + [
        (9, b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <"
            + b"41" * 32 + b"> /U <" + b"42" * 32 + b"> >>")],
        trailer_extra=b"/Encrypt 9 0 R /ID [<00112233445566778899aabbccddeeff>"
        b"<00112233445566778899aabbccddeeff>] ")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {"clean.pdf": clean(), "js_open.pdf": js_open(),
             "launch.pdf": launch(), "uri.pdf": uri(), "objstm.pdf": objstm(),
             "aa_hex.pdf": aa_hex(), "encrypted.pdf": encrypted()}
    if len(sys.argv) > 2:
        with open(sys.argv[2], "rb") as f:
            files["embedded.pdf"] = embedded(f.read())
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
