#!/usr/bin/env python3
"""office_encrypt - encrypts an OOXML document with a password the way
Office does (MS-OFFCRYPTO 2.3.4), for kensa's test fixtures: a compound
file holding EncryptionInfo and EncryptedPackage.

  agile:    EncryptionInfo 4.4, AES-256-CBC, SHA-512, spinCount 100000
            (or --spin), 4096-byte segments, dataIntegrity HMAC
  standard: EncryptionInfo 4.2, AES-128-ECB, SHA-1, 50000 rounds
  --xls:    IN is an Excel 97-2003 Workbook stream (BIFF8); a FILEPASS
            record is put after its first BOF and the rest is encrypted
            with RC4 CryptoAPI (SHA-1, 128-bit), or with --xls97 the
            Office 97 RC4 (MD5); OUT holds it as its Workbook stream

The output is meant to be checked with msoffcrypto-tool -p, an independent
implementation. Needs python3-cryptography (AES); the rest is the
standard library. Randomness from os.urandom unless --seed is given.

usage: office_encrypt.py [--standard | --xls | --xls97] [--spin N]
                         [--seed S] PASSWORD IN OUT
"""
import argparse
import base64
import hashlib
import hmac
import os
import random
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLK_VERIFIER_INPUT = bytes.fromhex('fea7d2763b4b9e79')
BLK_VERIFIER_HASH = bytes.fromhex('d7aa0f6d3061344e')
BLK_KEY = bytes.fromhex('146e0be7abacd0d6')
BLK_HMAC_KEY = bytes.fromhex('5fb2ad010cb9e1f6')
BLK_HMAC_VALUE = bytes.fromhex('a0677f02b22c8433')
PASSWORD_URI = 'http://schemas.microsoft.com/office/2006/keyEncryptor/password'


def aes(key, iv, data):
    mode = modes.CBC(iv) if iv is not None else modes.ECB()
    enc = Cipher(algorithms.AES(key), mode).encryptor()
    return enc.update(data) + enc.finalize()


def pad16(data, fill=b'\0'):
    return data + fill * (-len(data) % 16)


def spin(hash_name, salt, password, count):
    h = hashlib.new(hash_name, salt + password.encode('utf-16-le')).digest()
    for i in range(count):
        h = hashlib.new(hash_name, struct.pack('<I', i) + h).digest()
    return h


def fit(data, size):
    return data[:size] + b'\x36' * (size - len(data))


def agile(password, plain, rnd, spin_count):
    hname, hsize, kbytes = 'sha512', 64, 32
    data_salt, key_salt = rnd(16), rnd(16)
    secret, verifier = rnd(kbytes), rnd(16)
    spun = spin(hname, key_salt, password, spin_count)

    def enc_value(block, value):
        key = fit(hashlib.new(hname, spun + block).digest(), kbytes)
        return aes(key, key_salt, pad16(value))

    package = struct.pack('<Q', len(plain))
    for seg, off in enumerate(range(0, len(plain), 4096)):
        iv = hashlib.new(hname, data_salt + struct.pack('<I', seg)).digest()
        package += aes(secret, iv[:16], pad16(plain[off:off + 4096]))
    hmac_key = rnd(hsize)
    hmac_value = hmac.new(hmac_key, package, hname).digest()

    def enc_integrity(block, value):
        iv = hashlib.new(hname, data_salt + block).digest()[:16]
        return aes(secret, iv, pad16(value))

    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    params = ('saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
              'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
              'hashAlgorithm="SHA512"')
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<encryption xmlns="http://schemas.microsoft.com/office/2006/'
        'encryption" xmlns:p="http://schemas.microsoft.com/office/2006/'
        'keyEncryptor/password" xmlns:c="http://schemas.microsoft.com/'
        'office/2006/keyEncryptor/certificate">'
        f'<keyData {params} saltValue="{b64(data_salt)}"/>'
        '<dataIntegrity encryptedHmacKey="'
        f'{b64(enc_integrity(BLK_HMAC_KEY, hmac_key))}" '
        'encryptedHmacValue="'
        f'{b64(enc_integrity(BLK_HMAC_VALUE, hmac_value))}"/>'
        f'<keyEncryptors><keyEncryptor uri="{PASSWORD_URI}">'
        f'<p:encryptedKey spinCount="{spin_count}" {params} '
        f'saltValue="{b64(key_salt)}" encryptedVerifierHashInput="'
        f'{b64(enc_value(BLK_VERIFIER_INPUT, verifier))}" '
        'encryptedVerifierHashValue="'
        f'{b64(enc_value(BLK_VERIFIER_HASH, hashlib.new(hname, verifier).digest()))}" '
        f'encryptedKeyValue="{b64(enc_value(BLK_KEY, secret))}"/>'
        '</keyEncryptor></keyEncryptors></encryption>')
    info = struct.pack('<HHI', 4, 4, 0x40) + xml.encode()
    return info, package


def standard(password, plain, rnd):
    salt, verifier = rnd(16), rnd(16)
    h = spin('sha1', salt, password, 50000)
    h = hashlib.sha1(h + struct.pack('<I', 0)).digest()
    x1 = hashlib.sha1(bytes(b ^ 0x36 for b in fit(h, 64)[:20]) +
                      b'\x36' * 44).digest()
    key = x1[:16]
    csp = 'Microsoft Enhanced RSA and AES Cryptographic Provider\0'
    header = struct.pack('<IIIIIIII', 0x24, 0, 0x660E, 0x8004, 128, 0x18, 0,
                         0) + csp.encode('utf-16-le')
    ver = (struct.pack('<I', 16) + salt + aes(key, None, verifier) +
           struct.pack('<I', 20) +
           aes(key, None, pad16(hashlib.sha1(verifier).digest())))
    info = struct.pack('<HHII', 4, 2, 0x24, len(header)) + header + ver
    package = struct.pack('<Q', len(plain)) + aes(key, None, pad16(plain))
    return info, package


# ---- Excel 97-2003: RC4 and RC4 CryptoAPI over the BIFF records ----

def rc4(key, data):
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 255
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for b in data:
        i = (i + 1) & 255
        j = (j + s[i]) & 255
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 255])
    return bytes(out)


def xls_keys(password, salt, cryptoapi):
    """The key base and the key of block b, as a function."""
    pw = password.encode('utf-16-le')
    if cryptoapi:
        base = hashlib.sha1(salt + pw).digest()
        return lambda b: hashlib.sha1(base + struct.pack('<I', b)).digest()[:16]
    h = hashlib.md5(pw).digest()
    base = hashlib.md5((h[:5] + salt) * 16).digest()[:5]
    return lambda b: hashlib.md5(base + struct.pack('<I', b)).digest()


CLEAR_RECORDS = {0x0809, 0x002F, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138}


def xls(password, biff, rnd, cryptoapi):
    salt, verifier = rnd(16), rnd(16)
    key = xls_keys(password, salt, cryptoapi)
    if cryptoapi:
        vh = rc4(key(0), verifier + hashlib.sha1(verifier).digest())
        csp = 'Microsoft Enhanced Cryptographic Provider v1.0\0'
        header = struct.pack('<IIIIIIII', 0x04, 0, 0x6801, 0x8004, 128, 1,
                             0, 0) + csp.encode('utf-16-le')
        fp = (struct.pack('<HHHII', 1, 4, 2, 0x04, len(header)) + header +
              struct.pack('<I', 16) + salt + vh[:16] +
              struct.pack('<I', 20) + vh[16:])
    else:
        vh = rc4(key(0), verifier + hashlib.md5(verifier).digest())
        fp = struct.pack('<HHH', 1, 1, 1) + salt + vh
    filepass = struct.pack('<HH', 0x002F, len(fp)) + fp
    first = 4 + struct.unpack_from('<H', biff, 2)[0]
    out = bytearray(biff[:first] + filepass + biff[first:])
    pos = first + len(filepass)
    ks = {}
    while len(out) - pos >= 4:
        typ, n = struct.unpack_from('<HH', out, pos)
        at, pos = pos + 4, pos + 4 + n
        if typ == 0x0085:  # BoundSheet8: lbPlyPos moved, and kept clear
            ply = struct.unpack_from('<I', out, at)[0]
            if ply:
                struct.pack_into('<I', out, at, ply + len(filepass))
            at += 4
        if typ in CLEAR_RECORDS or at >= pos:
            continue
        for off in range(at, min(pos, len(out))):
            blk, k = divmod(off, 1024)
            if blk not in ks:
                ks[blk] = rc4(key(blk), bytes(1024))
            out[off] ^= ks[blk][k]
    return bytes(out)


# ---- a minimal MS-CFB writer (version 3, 512-byte sectors) ----

FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def cfb(streams):
    """streams: [(name, bytes)], names in the order of the sibling tree."""
    sectors, fat = [], []

    def alloc(data):
        if not data:
            return END
        first = len(sectors)
        chunks = [data[i:i + 512] for i in range(0, len(data), 512)]
        for k, c in enumerate(chunks):
            sectors.append(c.ljust(512, b'\0'))
            fat.append(first + k + 1 if k + 1 < len(chunks) else END)
        return first

    mini, minifat, starts = b'', [], []
    for name, data in streams:
        if len(data) >= 4096:
            starts.append(None)
            continue
        first = len(mini) // 64
        n = (len(data) + 63) // 64
        for k in range(n):
            minifat.append(first + k + 1 if k + 1 < n else END)
        starts.append(first if data else END)
        mini += data.ljust(n * 64, b'\0')
    for i, (name, data) in enumerate(streams):
        if starts[i] is None:
            starts[i] = alloc(data)
    mini_start = alloc(mini)
    minifat_bytes = b''.join(struct.pack('<I', v) for v in minifat)
    minifat_start = alloc(minifat_bytes) if minifat else END

    def entry(name, typ, child, start, size, right=NOSTREAM):
        n = name.encode('utf-16-le') + b'\0\0' if name else b''
        return (n.ljust(64, b'\0') + struct.pack('<HBB', len(n), typ, 1) +
                struct.pack('<III', NOSTREAM, right, child) + bytes(16) +
                struct.pack('<I', 0) + bytes(16) +
                struct.pack('<IQ', start, size))

    d = entry('Root Entry', 5, 1 if streams else NOSTREAM, mini_start,
              len(mini))
    for i, (name, data) in enumerate(streams):
        d += entry(name, 2, NOSTREAM, starts[i], len(data),
                   i + 2 if i + 1 < len(streams) else NOSTREAM)
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
    fat_bytes = b''.join(struct.pack('<I', v) for v in fat)
    for k in range(nfat):
        sectors.append(fat_bytes[k * 512:(k + 1) * 512])
    difat = [fat_first + k for k in range(nfat)] + [FREE] * (109 - nfat)
    header = (bytes.fromhex('D0CF11E0A1B11AE1') + bytes(16) +
              struct.pack('<HHHHH', 0x3E, 3, 0xFFFE, 9, 6) + bytes(6) +
              struct.pack('<IIIIIIIII', 0, nfat, dir_start, 0, 4096,
                          minifat_start, (len(minifat_bytes) + 511) // 512,
                          END, 0) +
              b''.join(struct.pack('<I', v) for v in difat))
    return header + b''.join(sectors)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--standard', action='store_true')
    ap.add_argument('--xls', action='store_true')
    ap.add_argument('--xls97', action='store_true')
    ap.add_argument('--spin', type=int, default=100000)
    ap.add_argument('--seed')
    ap.add_argument('password')
    ap.add_argument('input')
    ap.add_argument('output')
    a = ap.parse_args()
    if a.seed is not None:
        r = random.Random(a.seed)
        rnd = lambda n: bytes(r.getrandbits(8) for _ in range(n))  # noqa
    else:
        rnd = os.urandom
    plain = open(a.input, 'rb').read()
    if a.xls or a.xls97:
        wb = xls(a.password, plain, rnd, not a.xls97)
        open(a.output, 'wb').write(cfb([('Workbook', wb)]))
        return 0
    if a.standard:
        info, package = standard(a.password, plain, rnd)
    else:
        info, package = agile(a.password, plain, rnd, a.spin)
    # EncryptionInfo < EncryptedPackage: shorter names sort first
    out = cfb([('EncryptionInfo', info), ('EncryptedPackage', package)])
    open(a.output, 'wb').write(out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
