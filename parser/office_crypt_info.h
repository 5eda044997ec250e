/*
 * office_crypt_info - reads the EncryptionInfo stream of an encrypted
 * OOXML document (MS-OFFCRYPTO 2.3.4): standard encryption (version 2, 3
 * or 4 .2: AES-128/192/256 ECB, SHA-1, binary header and verifier) and
 * agile encryption (version 4.4: the XML descriptor, its keyData and the
 * password keyEncryptor's encryptedKey).
 *
 * Refuses (OFFICE_CRYPT_E_UNSUPPORTED, with a reason): extensible
 * encryption, RC4 and other ciphers than AES, chaining other than CBC,
 * hashes other than SHA-1/256/384/512, a spin count over
 * OFFICE_CRYPT_SPIN_MAX, no password key encryptor. Refuses
 * (OFFICE_CRYPT_E_FORMAT): a stream shorter than its fields, sizes that
 * disagree, salts or encrypted values longer than OFFICE_CRYPT_BLOB_BYTES.
 * Reads at most OFFICE_CRYPT_INFO_BYTES of the stream; no allocation.
 */
#ifndef KENSA_OFFICE_CRYPT_INFO_H
#define KENSA_OFFICE_CRYPT_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "span.h"

#define OFFICE_CRYPT_INFO_BYTES	   (64u << 10)
#define OFFICE_CRYPT_BLOB_BYTES	   64
#define OFFICE_CRYPT_SPIN_MAX	   1000000u
#define OFFICE_CRYPT_STANDARD_SPIN 50000u

enum office_crypt_status {
	OFFICE_CRYPT_OK = 0,
	OFFICE_CRYPT_E_FORMAT = -1,
	OFFICE_CRYPT_E_UNSUPPORTED = -2,
	OFFICE_CRYPT_E_NOMEM = -3,
	OFFICE_CRYPT_E_CRYPTO = -4, /* libcrypto refused */
};

enum office_crypt_kind { OFFICE_CRYPT_STANDARD, OFFICE_CRYPT_AGILE };

enum office_crypt_hash {
	OFFICE_CRYPT_SHA1,
	OFFICE_CRYPT_SHA256,
	OFFICE_CRYPT_SHA384,
	OFFICE_CRYPT_SHA512,
};

struct office_crypt_blob {
	uint8_t b[OFFICE_CRYPT_BLOB_BYTES];
	size_t len;
};

/* A cipher and hash as agile keyData and encryptedKey give them. */
struct office_crypt_params {
	enum office_crypt_hash hash;
	unsigned hash_bytes;
	unsigned key_bytes;   /* AES key: 16, 24 or 32 */
	unsigned block_bytes; /* 16 */
	unsigned salt_bytes;
	struct office_crypt_blob salt;
};

struct office_crypt_info {
	enum office_crypt_kind kind;
	unsigned version_major, version_minor;
	unsigned spin_count;
	/* the password key: agile encryptedKey, or the standard header */
	struct office_crypt_params key;
	/* the package: agile keyData (standard: the same as key) */
	struct office_crypt_params data;
	/* standard: encryptedVerifier and encryptedVerifierHash; agile:
	 * encryptedVerifierHashInput and encryptedVerifierHashValue */
	struct office_crypt_blob verifier, verifier_hash;
	struct office_crypt_blob encrypted_key; /* agile encryptedKeyValue */
	char reason[96]; /* why it was refused, for the finding */
};

/* Parses an EncryptionInfo stream into *out; out->reason on refusal. */
int office_crypt_info_parse(struct span stream, struct office_crypt_info *out);
/* "agile AES-256 SHA512 100000 rounds" into buf. */
void office_crypt_info_describe(const struct office_crypt_info *ci, char *buf,
				size_t len);
const char *office_crypt_hash_name(enum office_crypt_hash h);

#endif
