/*
 * office_crypt - opens encrypted OOXML documents (a compound file holding
 * EncryptionInfo and EncryptedPackage, MS-OFFCRYPTO 2.3.4) with the
 * passwords the message gives, and scans what they hold like any Office
 * file (dispatch_child, as the part's child "EncryptedPackage").
 *
 * Standard encryption: SHA-1 key derivation (50 000 rounds), AES-ECB;
 * agile encryption: keyData/encryptedKey, SHA-1/256/384/512 key derivation
 * (spinCount rounds, 100 000 as Office writes it), AES-CBC in 4096-byte
 * segments, each with its own IV. A password is checked against the
 * verifier before anything is decrypted; the dataIntegrity HMAC is not
 * checked (a package that does not decrypt into a document is only
 * scanned as the bytes it is).
 *
 * Passwords tried, in order: Excel's built-in VelvetSweatshop first when
 * the part looks like a workbook (its name or declared type), then the
 * message's candidates (passwords.h: labelled, other tokens, common list).
 * Limits, each a finding:
 *   limits.office_password_tries  per document (office.encrypted says
 *                                  how many were tried)
 *   limits.password_tries, limits.password_ms  per message, shared with
 *                                  the archives (scan.limit); checked
 *                                  before each try, so one try (at most
 *                                  OFFICE_CRYPT_SPIN_MAX rounds) may end
 *                                  past password_ms
 *   OFFICE_CRYPT_SPIN_MAX          rounds of one try (office.encrypted)
 *   limits.decoded_bytes           the decrypted package (scan.limit)
 * Success is office.decrypted ("password from ..."); anything else leaves
 * office.encrypted with the reason.
 */
#ifndef KENSA_OFFICE_CRYPT_H
#define KENSA_OFFICE_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "cfb.h"
#include "office_crypt_info.h"
#include "scan_ctx.h"

#define OFFICE_CRYPT_KEY_MAX	   32
#define OFFICE_CRYPT_SEGMENT	   4096
#define OFFICE_CRYPT_PASSWORD_MAX  255 /* UTF-16 units, as Office allows */
#define OFFICE_CRYPT_EXCEL_DEFAULT "VelvetSweatshop"

/*
 * The package key for a UTF-8 password: 0 and key (key_len bytes) when
 * the verifier accepts it, 1 when it does not, < 0 on a libcrypto error.
 */
int office_crypt_derive(const struct office_crypt_info *ci,
			const char *password, size_t len,
			uint8_t key[OFFICE_CRYPT_KEY_MAX], size_t *key_len);
/* UTF-8 to UTF-16LE, an invalid byte as U+FFFD, at most
 * OFFICE_CRYPT_PASSWORD_MAX units into out; returns the bytes written. */
size_t office_crypt_utf16le(const char *s, size_t len, uint8_t *out);
/* The plaintext size an EncryptedPackage stream declares: 0, or -1. */
int office_crypt_package_size(struct span package, uint64_t *size);
/* Decrypts the stream's first out_len plaintext bytes into out. */
int office_crypt_decrypt(const struct office_crypt_info *ci, const uint8_t *key,
			 size_t key_len, struct span package, uint8_t *out,
			 size_t out_len);

/*
 * One document's password trials: attempt says whether a password opens
 * it (0), does not (1), or failed (< 0). office_crypt_try_passwords() tries
 * the candidates in order within the limits (workbook, or a part that
 * looks like one: VelvetSweatshop first) and returns what the last
 * attempt said, 1 when none opened it; tries, limited and origin (where
 * the password that opened it came from) are filled in.
 */
struct office_crypt_trial {
	struct scan_ctx *ctx;
	const struct part_ctx *part;
	int (*attempt)(void *arg, const char *password, size_t len);
	void *arg;
	unsigned tries; /* on this document */
	int limited;	/* a limit stopped the tries */
	const char *origin;
};

int office_crypt_try_passwords(struct office_crypt_trial *t, int workbook);

/* Called for a compound file with both streams: tries, decrypts, scans. */
int office_crypt_open(struct scan_ctx *ctx, const struct part_ctx *part,
		      struct cfb *c);

#endif
