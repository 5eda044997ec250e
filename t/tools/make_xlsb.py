#!/usr/bin/env python3
"""make_xlsb - writes a small Excel binary workbook (.xlsb) for kensa's
tests: xl/workbook.bin as BIFF12 records (MS-XLSB 2.1.4: a variable-length
record type and size, then the data) with a visible worksheet and,
unless --clean, an Excel 4.0 macro sheet (relationship type xlMacrosheet,
part xl/macrosheets/sheet1.bin, content type
application/vnd.ms-excel.macrosheet) in the state --state gives and a
defined name Auto_Open (fBuiltin, or spelt out with --plain-name).

  make_xlsb.py [--clean] [--state visible|hidden|veryHidden]
               [--plain-name] [--bin] OUT

--bin writes xl/workbook.bin alone (the fuzz target's seeds). Standard
library only.
"""
import argparse
import struct
import zipfile

STATES = {'visible': 0, 'hidden': 1, 'veryHidden': 2}
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
MS_REL = 'http://schemas.microsoft.com/office/2006/relationships'


def varint(v, most):
    out = bytearray()
    for _ in range(most):
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)
    raise ValueError('value too large')


def rec(typ, data=b''):
    return varint(typ, 2) + varint(len(data), 4) + data


def wide(s):
    return struct.pack('<I', len(s)) + s.encode('utf-16-le')


def workbook_bin(clean, state, plain_name):
    out = rec(131)  # BrtBeginBook
    out += rec(143)  # BrtBeginBundleShs
    out += rec(156, struct.pack('<II', 0, 1) + wide('rId1') + wide('Sheet1'))
    if not clean:
        out += rec(156, struct.pack('<II', STATES[state], 2) + wide('rId2') +
                   wide('Macro1'))
    out += rec(144)  # BrtEndBundleShs
    if not clean:
        flags = 0x0 if plain_name else 0x20  # fBuiltin
        name = 'Auto_Open_1' if plain_name else 'Auto_Open'
        out += rec(39, struct.pack('<IBI', flags, 0, 0xFFFFFFFF) +
                   wide(name) + struct.pack('<II', 0, 0))
    out += rec(39, struct.pack('<IBI', 0, 0, 0xFFFFFFFF) + wide('Total') +
               struct.pack('<II', 0, 0))
    out += rec(132)  # BrtEndBook
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--clean', action='store_true')
    ap.add_argument('--state', choices=STATES, default='veryHidden')
    ap.add_argument('--plain-name', action='store_true')
    ap.add_argument('--bin', action='store_true')
    ap.add_argument('out')
    a = ap.parse_args()
    wb = workbook_bin(a.clean, a.state, a.plain_name)
    if a.bin:
        with open(a.out, 'wb') as f:
            f.write(wb)
        return
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types">'
             '<Default Extension="rels" ContentType="application/vnd.'
             'openxmlformats-package.relationships+xml"/>'
             '<Default Extension="bin" ContentType="application/vnd.ms-excel.'
             'sheet.binary.macroEnabled.main"/>'
             '<Override PartName="/xl/worksheets/sheet1.bin" ContentType='
             '"application/vnd.ms-excel.worksheet"/>')
    if not a.clean:
        types += ('<Override PartName="/xl/macrosheets/sheet1.bin" '
                  'ContentType="application/vnd.ms-excel.macrosheet"/>')
    types += '</Types>'
    root = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="' + REL +
            '/officeDocument" Target="xl/workbook.bin"/></Relationships>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="' + REL +
            '/worksheet" Target="worksheets/sheet1.bin"/>')
    if not a.clean:
        rels += ('<Relationship Id="rId2" Type="' + MS_REL +
                 '/xlMacrosheet" Target="macrosheets/sheet1.bin"/>')
    rels += '</Relationships>'
    sheet = rec(129) + rec(145) + rec(146) + rec(130)  # begin/end sheet data
    with zipfile.ZipFile(a.out, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', types)
        z.writestr('_rels/.rels', root)
        z.writestr('xl/workbook.bin', wb)
        z.writestr('xl/_rels/workbook.bin.rels', rels)
        z.writestr('xl/worksheets/sheet1.bin', sheet)
        if not a.clean:
            z.writestr('xl/macrosheets/sheet1.bin', sheet)


if __name__ == '__main__':
    main()
