/*
 * zip_aes - checks a password against a WinZip AES member (AE-1, AE-2)
 * by its authentication code: PBKDF2-HMAC-SHA1 (1000 rounds) gives the
 * keys and the 2-byte verifier, HMAC-SHA1 over the encrypted data must
 * match the 10 bytes that end the member. libzip 1.7 checks only the
 * verifier (1 in 65536 wrong passwords pass it) and, for AE-2 members
 * whose CRC field is 0, reports a CRC error even with the right password.
 * Reads the member's raw bytes (salt, verifier, data, code), bounded by
 * its compressed size; refuses a member shorter than its own header.
 */
#ifndef KENSA_ZIP_AES_H
#define KENSA_ZIP_AES_H

#include <stdint.h>
#include <zip.h>

/* 1: password opens it, 0: it does not, -1: not readable as AES. */
int zip_aes_password_ok(zip_t *za, zip_uint64_t index, uint16_t method,
			const char *password);

#endif
