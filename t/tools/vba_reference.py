#!/usr/bin/env python3
"""vba_reference - an independent reader of VBA projects, written from the
MS-CFB and MS-OVBA specifications with Python's standard library only, that
prints, for each VBA project of a file (a compound file, the storages
inside a PowerPoint 97 file, or an OOXML zip whose members are compound
files), the module names and the lengths of
their decompressed source. t/unit/test_office.c asserts the numbers it
prints; it shares no code with parser/.

usage: vba_reference.py FILE...
"""
import struct
import sys
import zipfile
import zlib
import io

END = 0xFFFFFFFE


def cfb_streams(data):
    ssz = 1 << struct.unpack_from('<H', data, 30)[0]
    sector = lambda i: data[(i + 1) * ssz:(i + 2) * ssz]
    difat = [x for x in struct.unpack_from('<109I', data, 76) if x < 0xFFFFFFFA]
    nxt = struct.unpack_from('<I', data, 68)[0]
    while nxt < 0xFFFFFFFA:
        s = sector(nxt)
        ents = struct.unpack('<%dI' % (ssz // 4), s)
        difat += [x for x in ents[:-1] if x < 0xFFFFFFFA]
        nxt = ents[-1]
    fat = []
    for f in difat:
        fat += struct.unpack('<%dI' % (ssz // 4), sector(f))

    def chain(start, table):
        out = []
        while start < 0xFFFFFFFA and len(out) <= len(table):
            out.append(start)
            start = table[start]
        return out

    def big(start, size=None):
        b = b''.join(sector(i) for i in chain(start, fat))
        return b if size is None else b[:size]

    dirdata = big(struct.unpack_from('<I', data, 48)[0])
    ents = []
    for off in range(0, len(dirdata) - 127, 128):
        e = dirdata[off:off + 128]
        nlen = struct.unpack_from('<H', e, 64)[0]
        name = e[:max(nlen - 2, 0)].decode('utf-16-le', 'replace')
        typ = e[66]
        left, right, child = struct.unpack_from('<3I', e, 68)
        start, size = struct.unpack_from('<IQ', e, 116)
        if ssz == 512:
            size &= 0xFFFFFFFF
        ents.append([name, typ, left, right, child, start, size, None])
    minifat_raw = big(struct.unpack_from('<I', data, 60)[0])
    minifat = list(struct.unpack('<%dI' % (len(minifat_raw) // 4), minifat_raw))
    ministream = big(ents[0][5], ents[0][6])

    def read(i):
        name, typ, l, r, c, start, size, p = ents[i]
        if size < 4096:
            return b''.join(ministream[j * 64:(j + 1) * 64]
                            for j in chain(start, minifat))[:size]
        return big(start, size)

    # parents: siblings of a storage's child share the storage as parent
    todo, seen = [0], {0}
    while todo:
        s = todo.pop()
        stack = [ents[s][4]]
        while stack:
            i = stack.pop()
            if i >= len(ents) or i in seen:
                continue
            seen.add(i)
            ents[i][7] = s
            stack += [ents[i][2], ents[i][3]]
            if ents[i][1] == 1:
                todo.append(i)
    return ents, read


def ovba(buf):
    assert buf[0] == 1
    out = bytearray()
    pos = 1
    while pos + 2 <= len(buf):
        hdr = struct.unpack_from('<H', buf, pos)[0]
        end = min(pos + (hdr & 0xFFF) + 3, len(buf))
        pos += 2
        start = len(out)
        if not hdr & 0x8000:
            out += buf[pos:pos + 4096]
            pos = end
            continue
        while pos < end:
            flags = buf[pos]
            pos += 1
            for b in range(8):
                if pos >= end:
                    break
                if not (flags >> b) & 1:
                    out.append(buf[pos])
                    pos += 1
                    continue
                tok = struct.unpack_from('<H', buf, pos)[0]
                pos += 2
                d = len(out) - start
                bits = 4
                while (1 << bits) < d:
                    bits += 1
                length = (tok & (0xFFFF >> bits)) + 3
                off = (tok >> (16 - bits)) + 1
                for _ in range(length):
                    out.append(out[-off])
    return bytes(out)


def modules(dirbuf):
    pos, mods, cur = 0, [], None
    while pos + 6 <= len(dirbuf):
        rid, size = struct.unpack_from('<HI', dirbuf, pos)
        if rid == 9:
            size = 6
        body = dirbuf[pos + 6:pos + 6 + size]
        pos += 6 + size
        if rid == 0x10:
            break
        if rid == 0x19:
            cur = {'name': body}
            mods.append(cur)
        elif cur is not None and rid == 0x47:
            cur['name'] = body.decode('utf-16-le')
        elif cur is not None and rid == 0x32:
            cur['stream'] = body.decode('utf-16-le')
        elif cur is not None and rid == 0x31:
            cur['offset'] = struct.unpack('<I', body)[0]
    return mods


def projects(data):
    ents, read = cfb_streams(data)
    for i, e in enumerate(ents):
        if e[1] != 1 or e[0].upper() != 'VBA':
            continue
        kids = {ents[j][0].lower(): j for j in range(len(ents)) if ents[j][7] == i}
        if 'dir' not in kids:
            continue
        res = []
        for m in modules(ovba(read(kids['dir']))):
            raw = read(kids[m['stream'].lower()])
            res.append((m['name'], len(ovba(raw[m['offset']:]))))
        yield res


def ppt_storages(data):
    """Compound files inside ExOleObjStg records of PowerPoint 97."""
    ents, read = cfb_streams(data)
    for i, e in enumerate(ents):
        if e[0] != 'PowerPoint Document':
            continue
        s, pos = read(i), 0
        while pos + 8 <= len(s):
            vi, typ, ln = struct.unpack_from('<HHI', s, pos)
            if vi & 0xF == 0xF:
                pos += 8
                continue
            if typ == 0x1011:
                body = s[pos + 8:pos + 8 + ln]
                yield zlib.decompress(body[4:]) if vi >> 4 == 1 else body
            pos += 8 + ln


def main():
    for path in sys.argv[1:]:
        data = open(path, 'rb').read()
        blobs = [data]
        if data[:2] == b'PK':
            z = zipfile.ZipFile(io.BytesIO(data))
            blobs = [z.read(n) for n in z.namelist()
                     if z.read(n)[:8] == bytes.fromhex('D0CF11E0A1B11AE1')]
        if data[:8] == bytes.fromhex('D0CF11E0A1B11AE1'):
            blobs += list(ppt_storages(data))
        for b in blobs:
            if b[:8] != bytes.fromhex('D0CF11E0A1B11AE1'):
                continue
            for mods in projects(b):
                print(path.split('/')[-1], len(mods),
                      ' '.join('%s=%d' % m for m in mods))


if __name__ == '__main__':
    main()
