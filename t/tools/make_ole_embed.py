#!/usr/bin/env python3
"""make_ole_embed - writes a binary Office document holding an embedded OLE
object, for kensa's tests: the whole tree of a compound file (EMBED)
copied into a storage of a new one, the way Word keeps embedded objects
under ObjectPool/_NNN and Excel in MBD storages at the root, with a
\\001CompObj stream naming the object's class.

  --word:  OUT is a .doc: WordDocument (a bare FIB), ObjectPool/_1234567890
  --excel: OUT is a .xls: Workbook (BOF, EOF), MBD0012ABCD
  --ppt:   OUT is a PowerPoint 97 .ppt: the object zlib-compressed in an
           ExOleObjStg record of the PowerPoint Document stream, named by
           an ExOleEmbed container (ExOleObjAtom, the progIdAtom) through
           the persist directory; --no-progid leaves the progIdAtom out
  --ooxml: OUT is a .docx whose word/embeddings/oleObject1.bin is the object
  --package NAME: no EMBED: the object is a Package (\001Ole10Native)
           holding a small script under NAME
  --no-compobj: the object gets no \001CompObj
  --progid: the class put in the object's CompObj (default Excel.Sheet.8
            for --word, Word.Document.8 for --excel)
  --xlm:   no EMBED: the object is a workbook whose Workbook stream holds
           an Excel 4.0 macro sheet (very hidden) and Auto_Open

Reads compound files of version 3 or 4 (header DIFAT only: up to ~7 MB);
writes version 3. Standard library only.

usage: make_ole_embed.py (--word | --excel | --ppt | --ooxml) [--progid P]
       [--no-progid] [--no-compobj] (--xlm | --package NAME | EMBED) OUT
"""
import argparse
import io
import struct
import sys
import zipfile
import zlib

END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def read_cfb(data):
    """The tree of a compound file: {name: bytes | dict}."""
    shift, = struct.unpack_from('<H', data, 30)
    ss = 1 << shift
    (ndir, nfat, dir_start, _, cutoff, minifat_start, nminifat, _,
     _) = struct.unpack_from('<IIIIIIIII', data, 40)
    difat = struct.unpack_from('<109I', data, 76)

    def sector(i):
        return data[ss + i * ss: 2 * ss + i * ss]

    fat = []
    for s in difat[:nfat]:
        fat.extend(struct.unpack('<%dI' % (ss // 4), sector(s)))

    def chain(start):
        out, seen = b'', set()
        while start < 0xFFFFFFFA and start not in seen:
            seen.add(start)
            out += sector(start)
            start = fat[start]
        return out

    d = chain(dir_start)
    ents = []
    for off in range(0, len(d), 128):
        e = d[off:off + 128]
        nlen, typ = struct.unpack_from('<HB', e, 64)
        left, right, child = struct.unpack_from('<III', e, 68)
        start, size = struct.unpack_from('<IQ', e, 116)
        if shift == 9:
            size &= 0xFFFFFFFF
        ents.append((e[:max(nlen - 2, 0)].decode('utf-16-le'), typ, left,
                     right, child, start, size))
    mini = chain(ents[0][5])
    minifat = struct.unpack('<%dI' % (len(chain(minifat_start)) // 4),
                            chain(minifat_start)) if nminifat else ()

    def stream(start, size):
        if size >= cutoff:
            return chain(start)[:size]
        out, seen = b'', set()
        while start < 0xFFFFFFFA and start not in seen:
            seen.add(start)
            out += mini[start * 64:start * 64 + 64]
            start = minifat[start]
        return out[:size]

    def siblings(i, out):
        if i == NOSTREAM:
            return
        name, typ, left, right, child, start, size = ents[i]
        siblings(left, out)
        out[name] = tree(child) if typ == 1 else stream(start, size)
        siblings(right, out)

    def tree(child):
        out = {}
        siblings(child, out)
        return out

    return tree(ents[0][4])


def write_cfb(root):
    """A version 3 compound file of the tree {name: bytes | dict}."""
    sectors, fat, mini, minifat, ents = [], [], bytearray(), [], []

    def alloc(data):
        if not data:
            return END
        first = len(sectors)
        chunks = [data[i:i + 512] for i in range(0, len(data), 512)]
        for k, c in enumerate(chunks):
            sectors.append(bytes(c).ljust(512, b'\0'))
            fat.append(first + k + 1 if k + 1 < len(chunks) else END)
        return first

    def place(data):
        if len(data) >= 4096:
            return alloc(data)
        if not data:
            return END
        first, n = len(mini) // 64, (len(data) + 63) // 64
        minifat.extend(first + k + 1 if k + 1 < n else END for k in range(n))
        mini.extend(data.ljust(n * 64, b'\0'))
        return first

    def order(name):
        return (len(name), name.upper())

    def add(tree):
        """Entries of one storage's children, chained right; the first id."""
        names = sorted(tree, key=order)
        ids = []
        for name in names:
            ids.append(len(ents))
            ents.append(None)
        for k, name in enumerate(names):
            v = tree[name]
            right = ids[k + 1] if k + 1 < len(ids) else NOSTREAM
            if isinstance(v, dict):
                child = add(v)
                ents[ids[k]] = (name, 1, right, child, 0, 0)
            else:
                ents[ids[k]] = (name, 2, right, NOSTREAM, place(v), len(v))
        return ids[0] if ids else NOSTREAM

    ents.append(None)
    ents[0] = ('Root Entry', 5, NOSTREAM, add(root), 0, 0)
    mini_start = alloc(bytes(mini))
    ents[0] = ents[0][:4] + (mini_start, len(mini))
    mf = b''.join(struct.pack('<I', v) for v in minifat)
    minifat_start = alloc(mf) if minifat else END

    def entry(name, typ, right, child, start, size):
        n = name.encode('utf-16-le') + b'\0\0'
        return (n.ljust(64, b'\0') + struct.pack('<HBB', len(n), typ, 1) +
                struct.pack('<III', NOSTREAM, right, child) + bytes(36) +
                struct.pack('<IQ', start, size))

    d = b''.join(entry(*e) for e in ents)
    while len(d) % 512:
        d += (bytes(64) + struct.pack('<HBB', 0, 0, 0) +
              struct.pack('<III', NOSTREAM, NOSTREAM, NOSTREAM) + bytes(48))
    dir_start = alloc(d)
    nfat = 1
    while nfat * 128 < len(sectors) + nfat:
        nfat += 1
    assert nfat <= 109
    fat_first = len(sectors)
    fat.extend([FATSECT] * nfat)
    fat.extend([FREE] * (nfat * 128 - len(fat)))
    fb = b''.join(struct.pack('<I', v) for v in fat)
    for k in range(nfat):
        sectors.append(fb[k * 512:(k + 1) * 512])
    difat = [fat_first + k for k in range(nfat)] + [FREE] * (109 - nfat)
    header = (bytes.fromhex('D0CF11E0A1B11AE1') + bytes(16) +
              struct.pack('<HHHHH', 0x3E, 3, 0xFFFE, 9, 6) + bytes(6) +
              struct.pack('<IIIIIIIII', 0, nfat, dir_start, 0, 4096,
                          minifat_start, (len(mf) + 511) // 512, END, 0) +
              b''.join(struct.pack('<I', v) for v in difat))
    return header + b''.join(sectors)


def compobj(user_type, progid):
    """MS-OLEDS 2.3.8 CompObjStream: header, user type, no clipboard
    format, the ProgID, the Unicode marker."""
    def lpas(s):
        b = s.encode() + b'\0'
        return struct.pack('<I', len(b)) + b
    return (struct.pack('<IIII', 0xFFFE0001, 0x00000A03, 0xFFFFFFFF, 0) +
            bytes(12) + lpas(user_type) + struct.pack('<I', 0) +
            lpas(progid) + struct.pack('<I', 0x71B239F4))


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


def ole10native(name, data):
    """A Package's \001Ole10Native stream (MS-OLEDS 2.3.6 native data of
    OLE1's Packager): size, then label, path, temp path and the file."""
    tmp = b'C:\\Temp\\' + name + b'\0'
    native = (struct.pack('<H', 2) + name + b'\0' + b'C:\\' + name + b'\0' +
              struct.pack('<II', 0x00030000, len(tmp)) + tmp +
              struct.pack('<I', len(data)) + data)
    return struct.pack('<I', len(native)) + native


def ppt_record(rtype, body, ver=0, inst=0):
    return struct.pack('<HHI', ver | inst << 4, rtype, len(body)) + body


def ppt_cstring(text, inst):
    return ppt_record(0x0FBA, text.encode('utf-16-le'), inst=inst)


def ppt_stream(storage, progid):
    """A PowerPoint Document stream: the document container with an
    ExObjList naming the object (persist id 2), the ExOleObjStg (zlib,
    instance 1) and the persist directory: 1 -> document, 2 -> storage."""
    embed = (ppt_record(0x0FC3, struct.pack('<IIIIII', 1, 1, 1, 0, 2, 0),
                        ver=1) +
             ppt_record(0x0FCD, bytes(8), ver=1) +
             ppt_cstring('Worksheet', 1) +
             (ppt_cstring(progid, 2) if progid else b'') +
             ppt_cstring('Worksheet', 3))
    objlist = (ppt_record(0x040A, struct.pack('<I', 1)) +
               ppt_record(0x0FCC, embed, ver=0xF))
    doc = ppt_record(0x03E8, ppt_record(0x0409, objlist, ver=0xF), ver=0xF,
                     inst=1)
    stg = ppt_record(0x1011, struct.pack('<I', len(storage)) +
                     zlib.compress(storage), inst=1)
    pdir = ppt_record(0x1772, struct.pack('<III', 1 | 2 << 20, 0, len(doc)))
    return doc + stg + pdir


def docx(name, obj):
    """A .docx whose document points at the embedded object."""
    z = io.BytesIO()
    with zipfile.ZipFile(z, 'w', zipfile.ZIP_DEFLATED) as zf:
        zf.writestr('[Content_Types].xml',
                    '<?xml version="1.0"?><Types xmlns="http://schemas.open'
                    'xmlformats.org/package/2006/content-types"><Default '
                    'Extension="bin" ContentType="application/vnd.openxml'
                    'formats-officedocument.oleObject"/><Override PartName='
                    '"/word/document.xml" ContentType="application/vnd.'
                    'openxmlformats-officedocument.wordprocessingml.document.'
                    'main+xml"/></Types>')
        zf.writestr('word/document.xml',
                    '<?xml version="1.0"?><w:document xmlns:w="http://'
                    'schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    '<w:body><w:p/></w:body></w:document>')
        zf.writestr('word/_rels/document.xml.rels',
                    '<?xml version="1.0"?><Relationships xmlns="http://'
                    'schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId5" Type="http://schemas.openxml'
                    'formats.org/officeDocument/2006/relationships/'
                    'oleObject" Target="embeddings/' + name.split('/')[-1] +
                    '"/></Relationships>')
        zf.writestr(name, obj)
    return z.getvalue()


def main():
    ap = argparse.ArgumentParser()
    kind = ap.add_mutually_exclusive_group(required=True)
    kind.add_argument('--word', action='store_true')
    kind.add_argument('--excel', action='store_true')
    kind.add_argument('--ppt', action='store_true')
    kind.add_argument('--ooxml', action='store_true')
    ap.add_argument('--progid')
    ap.add_argument('--no-progid', action='store_true')
    ap.add_argument('--no-compobj', action='store_true')
    ap.add_argument('--xlm', action='store_true')
    ap.add_argument('--package')
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    if a.xlm:
        (out,) = a.paths
        obj = {'Workbook': biff_xlm()}
    elif a.package:
        (out,) = a.paths
        obj = {'\x01Ole10Native': ole10native(a.package.encode(),
                                               b'WScript.Echo("x")\r\n')}
    else:
        embed, out = a.paths
        obj = read_cfb(open(embed, 'rb').read())
    progid = a.progid or ('Package' if a.package else
                          'Word.Document.8' if a.excel else 'Excel.Sheet.8')
    if not a.no_compobj:
        obj['\x01CompObj'] = compobj('Embedded ' + progid.split('.')[0],
                                      progid)
    if a.ppt:
        stream = ppt_stream(write_cfb(obj), None if a.no_progid else progid)
        doc = {'PowerPoint Document': stream,
               'Current User': struct.pack('<IIIHHBBH', 20, 0xF3D1C4DF, 0,
                                           0, 0, 0, 0, 0)}
        open(out, 'wb').write(write_cfb(doc))
        return 0
    if a.ooxml:
        open(out, 'wb').write(docx('word/embeddings/oleObject1.bin',
                                   write_cfb(obj)))
        return 0
    if a.word:
        fib = struct.pack('<HH', 0xA5EC, 0xC1) + bytes(508)
        doc = {'WordDocument': fib, '1Table': bytes(512),
               'ObjectPool': {'_1234567890': obj}}
    else:
        wb = (struct.pack('<HH', 0x0809, 16) +
              struct.pack('<HHHHII', 0x0600, 5, 0, 0, 0, 0) +
              struct.pack('<HH', 0x000A, 0))
        doc = {'Workbook': wb, 'MBD0012ABCD': obj}
    open(out, 'wb').write(write_cfb(doc))
    return 0


if __name__ == '__main__':
    sys.exit(main())
