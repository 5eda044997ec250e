#!/usr/bin/env python3
"""make_office_seeds - writes the hand-made seeds of the office fuzz
targets (and of t/unit/test_office.c) into t/fuzz/corpus/: small compound
files, OOXML packages, an RTF document, OVBA containers and a dir stream.
Python's standard library only. Run from the top of the tree with the
shared test data at ../shared/testdata; the zip members get today's
timestamps, the rest is byte for byte what is committed.

usage: t/tools/make_office_seeds.py
"""
import io
import os
import struct
import sys
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
import vba_reference  # noqa: E402

OUT = 't/fuzz/corpus'
TESTDATA = '../shared/testdata/office'
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'


def write(rel, data):
    os.makedirs(os.path.dirname(os.path.join(OUT, rel)), exist_ok=True)
    with open(os.path.join(OUT, rel), 'wb') as f:
        f.write(data)


def dir_entry(f, off, name, typ, child, start, size, right=0xFFFFFFFF):
    f[off:off + 128] = b'\0' * 128
    n = name.encode('utf-16-le')
    f[off:off + len(n)] = n
    struct.pack_into('<H', f, off + 64, len(n) + 2)
    f[off + 66] = typ
    struct.pack_into('<III', f, off + 68, 0xFFFFFFFF, right, child)
    struct.pack_into('<II', f, off + 116, start, size)


def cfb_one_stream(name, data):
    """Version 3: FAT in sector 0, directory in 1, the stream (4096
    bytes, so in the FAT) in sectors 2..9, sector 10 spare."""
    f = bytearray(512 * 12)
    f[0:8] = bytes.fromhex('D0CF11E0A1B11AE1')
    f[24], f[26], f[28], f[29], f[30], f[32] = 0x3E, 3, 0xFE, 0xFF, 9, 6
    struct.pack_into('<IIIIIII', f, 44, 1, 1, 0, 4096, 0xFFFFFFFE, 0,
                     0xFFFFFFFE)
    f[76:76 + 436] = b'\xff' * 436
    struct.pack_into('<I', f, 76, 0)
    fat = [0xFFFFFFFF] * 128
    fat[0], fat[1] = 0xFFFFFFFD, 0xFFFFFFFE
    for i in range(2, 9):
        fat[i] = i + 1
    fat[9] = 0xFFFFFFFE
    struct.pack_into('<128I', f, 512, *fat)
    dir_entry(f, 1024, 'Root Entry', 5, 1, 0xFFFFFFFE, 0)
    dir_entry(f, 1152, name, 2, 0xFFFFFFFF, 2, 4096)
    f[1536:1536 + len(data)] = data
    return f


def biff_xlm():
    """BOF, a very hidden macro sheet, the built-in name Auto_Open, EOF."""
    wb = struct.pack('<HH', 0x0809, 16) + struct.pack('<HHHHII', 0x0600, 5,
                                                      0, 0, 0, 0)
    sheet = struct.pack('<IBBBB', 0, 2, 1, 6, 0) + b'Macro1'
    wb += struct.pack('<HH', 0x0085, len(sheet)) + sheet
    name = struct.pack('<HBBHHHBBBB', 0x0020, 0, 1, 0, 0, 0, 0, 0, 0,
                       0) + b'\x00\x01'
    wb += struct.pack('<HH', 0x0018, len(name)) + name
    return wb + struct.pack('<HH', 0x000A, 0)


def package(label, path, data):
    """OLE1 Package native data (Ole10Native without its size)."""
    tmp = b'C:\\Temp\\' + label + b'\0'
    return (struct.pack('<H', 2) + label + b'\0' + path + b'\0' +
            struct.pack('<I', 0x00030000) + struct.pack('<I', len(tmp)) +
            tmp + struct.pack('<I', len(data)) + data)


def ole1(cls, native):
    def lpas(s):
        b = s.encode() + b'\0'
        return struct.pack('<I', len(b)) + b
    return (struct.pack('<II', 0x501, 2) + lpas(cls) + lpas('') + lpas('') +
            struct.pack('<I', len(native)) + native)


def zip_of(members):
    z = io.BytesIO()
    with zipfile.ZipFile(z, 'w', zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return z.getvalue()


def main():
    xlm = bytes(cfb_one_stream('Workbook', biff_xlm()))
    write('cfb/biff-xlm.cfb', xlm)
    # a directory name of 32 UTF-16 units without its terminator
    long_name = bytearray(xlm)
    long_name[1152:1152 + 64] = ('W' * 32).encode('utf-16-le')
    long_name[1152 + 64] = 64
    write('cfb/long-name.cfb', bytes(long_name))
    pkg = package(b'run.js', b'C:\\run.js', b'WScript.Echo("x")')
    stream = struct.pack('<I', len(pkg)) + pkg
    ole10 = cfb_one_stream('\x01Ole10Native', stream)
    struct.pack_into('<I', ole10, 1152 + 72, 2)
    write('cfb/ole10native.cfb', bytes(ole10))

    write('ovba/spec-3.2.1.bin', bytes.fromhex(
        '01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 '
        '71 72 73 74 75 76 2E'))
    write('ovba/spec-3.2.2.bin', bytes.fromhex(
        '01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 '
        '38 08 61 6B 6C 00 20 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 '
        '10 77 78 79 7A 00 2C'))
    write('ovba/raw-chunk.bin', b'\x01\xff\x3f' + b'x' * 4096 +
          b'\x03\xb0\x00yz')

    doc = open(os.path.join(TESTDATA, 'macro/SimpleMacro.doc'), 'rb').read()
    ents, read = vba_reference.cfb_streams(doc)
    for i, e in enumerate(ents):
        if e[0] == 'dir':
            write('vba_dir/simplemacro-doc.dir', vba_reference.ovba(read(i)))

    content_types = ('<?xml version="1.0"?><Types><Override PartName="/xl/'
                     'macrosheets/sheet1.xml" ContentType="application/'
                     'vnd.ms-excel.macrosheet+xml"/></Types>')
    write('ooxml/external-rels.docx', zip_of([
        ('[Content_Types].xml', content_types),
        ('word/_rels/settings.xml.rels',
         '<?xml version="1.0"?><Relationships>'
         '<Relationship Id="rId1" Type="' + REL + 'attachedTemplate" '
         'Target="http://198.51.100.7/t.dotm?a=1&amp;b=2" '
         'TargetMode="External"/>'
         '<Relationship Id="rId2" Type="' + REL + 'oleObject" '
         'Target="file://host/share/x.bin" TargetMode="External"/>'
         '<Relationship Id="rId3" Type="' + REL + 'hyperlink" '
         'Target="https://example.org/" TargetMode="External"/>'
         '</Relationships>'),
        ('xl/macrosheets/sheet1.xml', '<xm:macrosheet/>'),
        ('word/embeddings/oleObject1.bin', xlm)]))
    write('ooxml/rel-without-type.docx', zip_of([
        ('_rels/.rels', '<Relationships><Relationship Id="r" '
         'Target="http://198.51.100.7/" TargetMode="External"/>'
         '</Relationships>')]))
    write('ooxml/xlm-hidden.xlsm', zip_of([
        ('[Content_Types].xml', content_types),
        ('xl/workbook.xml',
         '<?xml version="1.0"?><workbook xmlns:r="r"><sheets>'
         '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
         '<sheet name="M&amp;1" sheetId="2" state="veryHidden" r:id="rId2"/>'
         '<sheet name="Data" sheetId="3" state="hidden" r:id="rId1"/>'
         '</sheets><definedNames><definedName name="_xlnm.Auto_Open" '
         'localSheetId="1" hidden="1">M!$A$1</definedName><definedName '
         'name="Total">Sheet1!$A$1</definedName></definedNames></workbook>'),
        ('xl/_rels/workbook.xml.rels',
         '<?xml version="1.0"?><Relationships><Relationship Id="rId1" '
         'Type="' + REL + 'worksheet" Target="worksheets/sheet1.xml"/>'
         '<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/'
         '2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/>'
         '</Relationships>'),
        ('xl/macrosheets/sheet1.xml', '<xm:macrosheet/>')]))
    xlsm = open(os.path.join(TESTDATA, 'macro/SimpleMacro.xlsm'), 'rb').read()
    write('ooxml/embedded-xlsm.docx', zip_of([
        ('[Content_Types].xml', '<?xml version="1.0"?><Types/>'),
        ('word/document.xml', '<w:document/>'),
        ('word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm',
         xlsm)]))

    exe = b'MZ' + b'\x90' * 62 + b'payload'
    o1 = ole1('Package', package(b'invoice.exe', b'C:\\Users\\x\\invoice.exe',
                                 exe)).hex()
    # whitespace and a group inside the hex
    o1 = o1[:20] + '\n ' + o1[20:40] + '{\\*\\foo}' + o1[40:]
    eq = ole1('Equation.3', b'\x1c\x00' + b'A' * 40).hex()
    # an odd nibble before \'41: Word drops both
    eq = eq[:10] + '7' + "\\'41" + eq[10:]
    sheet = ole1('Excel.Sheet.8', xlm)
    write('rtf/objects.rtf',
          b'{\\rtf1\\ansi{\\object\\objemb{\\*\\objclass Package}'
          b'{\\*\\objdata ' + o1.encode() + b'}}'
          b'{\\object\\objemb{\\*\\objdata ' + eq.encode() + b'}}'
          b'{\\object\\objemb{\\*\\objdata \\bin' + str(len(sheet)).encode() +
          b' ' + sheet + b'}}}')


if __name__ == '__main__':
    main()
