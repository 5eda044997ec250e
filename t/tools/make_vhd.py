#!/usr/bin/env python3
"""make_vhd.py - wrap a raw disk image into a VHD, for kensa's tests.

    make_vhd.py fixed|dynamic|mbr|gpt IN OUT [BLOCK]

fixed: the image, padded to whole sectors, then the 512-byte "conectix"
footer. dynamic: footer copy, "cxsparse" header, block allocation table
(2 MiB blocks, or BLOCK bytes; blocks of zeros are left unallocated), each allocated
block as its sector bitmap and its data, then the footer. mbr: IN put
behind a one-entry MBR partition table at LBA 2048 (type 0x0c), as a raw
disk image. gpt: the same behind a protective MBR and a GPT whose first
entry is an unused Linux partition and second a basic data partition
at LBA 2048. Written from the VHD specification (Microsoft, 2006) and
the UEFI specification's GPT chapter.
"""
import struct
import sys
import time
import uuid
import zlib

SECTOR = 512
BLOCK = 2 << 20


def geometry(size):
    """CHS geometry as the VHD specification's appendix computes it."""
    total = min(size // SECTOR, 65535 * 16 * 255)
    if total >= 65535 * 16 * 63:
        spt, heads = 255, 16
        cth = total // spt
    else:
        spt = 17
        cth = total // spt
        heads = max((cth + 1023) // 1024, 4)
        if cth >= heads * 1024 or heads > 16:
            spt, heads = 31, 16
            cth = total // spt
        if cth >= heads * 1024:
            spt, heads = 63, 16
            cth = total // spt
    return cth // heads, heads, spt


def footer(size, disk_type, data_offset):
    cyl, heads, spt = geometry(size)
    f = bytearray(struct.pack(
        ">8sIIQI4sIIQQHBBII16sB",
        b"conectix", 2, 0x00010000, data_offset,
        int(time.time()) - 946684800, b"ksna", 0x00010000, 0x5769326B,
        size, size, cyl, heads, spt, disk_type, 0, uuid.uuid4().bytes, 0))
    f += bytes(SECTOR - len(f))
    checksum = ~sum(f) & 0xFFFFFFFF
    f[64:68] = struct.pack(">I", checksum)
    return bytes(f)


def fixed(data):
    data += bytes(-len(data) % SECTOR)
    return data + footer(len(data), 2, 0xFFFFFFFFFFFFFFFF)


def dynamic(data, block=BLOCK):
    global BLOCK
    BLOCK = block
    size = len(data) + (-len(data) % SECTOR)
    blocks = (size + BLOCK - 1) // BLOCK
    table_off = SECTOR + 1024
    table_len = blocks * 4 + (-(blocks * 4) % SECTOR)
    hdr = bytearray(struct.pack(
        ">8sQQIIII16sI", b"cxsparse", 0xFFFFFFFFFFFFFFFF, table_off,
        0x00010000, blocks, BLOCK, 0, bytes(16), 0))
    hdr += bytes(1024 - len(hdr))
    hdr[36:40] = struct.pack(">I", ~sum(hdr) & 0xFFFFFFFF)
    bitmap = bytes([0xFF]) * (BLOCK // SECTOR // 8)
    bitmap += bytes(-len(bitmap) % SECTOR)
    body = bytearray()
    table = []
    at = table_off + table_len
    for i in range(blocks):
        chunk = data[i * BLOCK:(i + 1) * BLOCK]
        if not chunk.strip(b"\0"):
            table.append(0xFFFFFFFF)
            continue
        chunk += bytes(BLOCK - len(chunk))
        table.append(at // SECTOR)
        body += bitmap + chunk
        at += len(bitmap) + len(chunk)
    tab = b"".join(struct.pack(">I", t) for t in table)
    tab += b"\xff" * (table_len - len(tab))
    foot = footer(size, 3, SECTOR)
    return foot + bytes(hdr) + tab + bytes(body) + foot


def mbr(data):
    lba = 2048
    sectors = (len(data) + SECTOR - 1) // SECTOR
    m = bytearray(SECTOR)
    m[446:462] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x0C, b"\0\0\0",
                             lba, sectors)
    m[510:512] = b"\x55\xaa"
    return bytes(m) + bytes((lba - 1) * SECTOR) + data


def gpt(data):
    lba = 2048
    sectors = (len(data) + SECTOR - 1) // SECTOR
    total = lba + sectors + 33
    m = bytearray(SECTOR)
    m[446:462] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0xEE, b"\0\0\0",
                             1, min(total - 1, 0xFFFFFFFF))
    m[510:512] = b"\x55\xaa"
    linux = uuid.UUID("0FC63DAF-8483-4772-8E69-3D69D8477DE4").bytes_le
    basic = uuid.UUID("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7").bytes_le
    entries = bytearray(128 * 128)
    entries[0:48] = linux + uuid.uuid4().bytes_le + struct.pack(
        "<QQ", 40, 1000)
    entries[128:176] = basic + uuid.uuid4().bytes_le + struct.pack(
        "<QQ", lba, lba + sectors - 1)
    h = bytearray(struct.pack(
        "<8sIIIIQQQQ16sQIII", b"EFI PART", 0x00010000, 92, 0, 0, 1,
        total - 1, 34, lba - 1, uuid.uuid4().bytes_le, 2, 128, 128,
        zlib.crc32(entries)))
    h[16:20] = struct.pack("<I", zlib.crc32(h))
    h += bytes(SECTOR - len(h))
    out = bytes(m) + bytes(h) + bytes(entries)
    return out + bytes(lba * SECTOR - len(out)) + data


def main():
    kind, src, dst = sys.argv[1:4]
    data = open(src, "rb").read()
    if kind == "dynamic" and len(sys.argv) > 4:
        out = dynamic(data, int(sys.argv[4]))
    else:
        out = {"fixed": fixed, "dynamic": dynamic, "mbr": mbr,
               "gpt": gpt}[kind](data)
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
