/*
 * office_crypt_biff - opens encrypted Excel 97-2003 workbooks: the
 * FILEPASS record of the workbook stream's globals, RC4 encryption (the
 * Office 97 MD5 scheme, version 1.1) and RC4 CryptoAPI (versions 2, 3 and
 * 4 .2, SHA-1, 40 to 128-bit keys), MS-OFFCRYPTO 2.3.6 and 2.3.5.
 * Passwords are tried as office_crypt.h says (VelvetSweatshop first: the
 * part is a workbook), and checked against the verifier. The record data
 * after FILEPASS is decrypted with the RC4 keystream of its offset in the
 * stream (a new key every 1024 bytes); record headers, BOF, FILEPASS,
 * InterfaceHdr, UsrExcl, FileLock, RRDInfo, RRDHead and BoundSheet8's
 * lbPlyPos stay as they are. The decrypted copy's FILEPASS record is
 * renamed (type 0) so that readers go past it.
 *
 * Refuses (leaves to the caller): XOR obfuscation, CryptoAPI with another
 * cipher than RC4 or another hash than SHA-1, a FILEPASS cut short.
 * Limits: the password limits of office_crypt.h; the decrypted copy is
 * drawn from limits.decoded_bytes (scan.limit).
 */
#ifndef KENSA_OFFICE_CRYPT_BIFF_H
#define KENSA_OFFICE_CRYPT_BIFF_H

#include <stddef.h>
#include <stdint.h>

#include "scan_ctx.h"
#include "span.h"

#define OFFICE_CRYPT_BIFF_BLOCK 1024

enum office_crypt_biff_status {
	OFFICE_CRYPT_BIFF_OPENED = 0, /* *plain holds the decrypted stream */
	OFFICE_CRYPT_BIFF_PLAIN = 1,  /* no FILEPASS, or one not supported */
	OFFICE_CRYPT_BIFF_LOCKED = 2, /* office.encrypted reported */
};

struct office_crypt_rc4_info {
	int cryptoapi;
	unsigned key_bytes; /* RC4 key bytes derived: 5 to 16 */
	uint8_t salt[16];
	uint8_t verifier[16];
	uint8_t verifier_hash[20];
	size_t verifier_hash_len; /* 16 (MD5) or 20 (SHA-1) */
};

/*
 * The FILEPASS record of a workbook stream: 0, its info and where its
 * record ends (*after); 1 when there is none before the globals' EOF;
 * < 0 when it is there but not supported (reason filled in).
 */
int office_crypt_biff_filepass(struct span stream,
			       struct office_crypt_rc4_info *info,
			       size_t *filepass_at, size_t *after, char *reason,
			       size_t reason_len);
/* 0 when password opens it, and the key base in *base (20 bytes); else 1. */
int office_crypt_rc4_verify(const struct office_crypt_rc4_info *info,
			    const char *password, size_t len, uint8_t base[20]);
/* Decrypts a copy of the whole stream in place (same length). */
void office_crypt_biff_decrypt(const struct office_crypt_rc4_info *info,
			       const uint8_t base[20], uint8_t *stream,
			       size_t len, size_t filepass_at, size_t after);

/*
 * The analyzer step for a workbook stream: OPENED and *plain (caller
 * frees) after office.decrypted; PLAIN; LOCKED after office.encrypted; or
 * -1 when memory ran out.
 */
int office_crypt_biff_open(struct scan_ctx *ctx, const struct part_ctx *part,
			   struct span stream, uint8_t **plain);

#endif
