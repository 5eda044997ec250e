#!/usr/bin/env python3
"""make_tnef.py OUT FILE [NAME]...: a TNEF stream (winmail.dat, MS-OXTNEF)
carrying each FILE as an attachment named NAME (default: its base name),
the way Outlook writes one: attAttachRendData, attAttachTitle (8.3 name),
attAttachData, and attAttachment with PR_ATTACH_LONG_FILENAME in UTF-16.
"""
import os
import struct
import sys

SIGNATURE = 0x223E9F78


def attr(level, attr_id, data):
    return struct.pack("<BII", level, attr_id, len(data)) + data + \
        struct.pack("<H", sum(data) & 0xFFFF)


def mapi_unicode(prop_id, text):
    value = text.encode("utf-16-le") + b"\0\0"
    pad = (-len(value)) % 4
    return struct.pack("<HHII", 0x001F, prop_id, 1, len(value)) + value + \
        b"\0" * pad


def tnef(files):
    out = struct.pack("<IH", SIGNATURE, 0x0001)
    out += attr(1, 0x00089006, struct.pack("<I", 0x00010000))  # version
    out += attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")  # class
    for data, name in files:
        stem, ext = os.path.splitext(name)
        short = (stem[:6] + "~1" + ext[:4]).upper().encode("ascii", "replace")
        out += attr(2, 0x00069002, struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0))
        out += attr(2, 0x00018010, short + b"\0")
        out += attr(2, 0x0006800F, data)
        props = mapi_unicode(0x3707, name)
        out += attr(2, 0x00069005, struct.pack("<I", 1) + props)
    return out


def main():
    args = sys.argv[2:]
    files = []
    i = 0
    while i < len(args):
        path = args[i]
        name = os.path.basename(path)
        if i + 1 < len(args) and not os.path.exists(args[i + 1]):
            name = args[i + 1]
            i += 1
        with open(path, "rb") as f:
            files.append((f.read(), name))
        i += 1
    with open(sys.argv[1], "wb") as f:
        f.write(tnef(files))


if __name__ == "__main__":
    main()
