/*
 * fuzz_office_crypt - libFuzzer target for parser/office_crypt_info (the
 * EncryptionInfo stream) and the decryption it steers: the input is an
 * EncryptionInfo stream; when it parses, its description is made, a key
 * is derived for "password" when the spin count is small (a large one
 * only costs time, which the limits bound), and the input itself is
 * decrypted as an EncryptedPackage of at most 64 KiB with a fixed key.
 * The same input is read as an Excel workbook stream (office_crypt_biff):
 * its FILEPASS, a VelvetSweatshop check, and a copy decrypted whatever the
 * check said. Seeds in t/fuzz/corpus/office_crypt.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/office_crypt.h"
#include "../../parser/office_crypt_biff.h"
#include "../../parser/office_crypt_info.h"

#define FUZZ_SPIN_MAX	 1000
#define FUZZ_PACKAGE_MAX (64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_biff(const uint8_t *data, size_t size)
{
	struct office_crypt_rc4_info info;
	uint8_t base[20] = {0}, *copy;
	size_t at, after;
	char reason[64];

	if (office_crypt_biff_filepass(span_make(data, size), &info, &at,
				       &after, reason, sizeof(reason)) != 0)
		return;
	(void)office_crypt_rc4_verify(&info, "VelvetSweatshop", 15, base);
	copy = malloc(size);
	if (!copy)
		return;
	memcpy(copy, data, size);
	office_crypt_biff_decrypt(&info, base, copy, size, at, after);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct office_crypt_info ci;
	uint8_t key[OFFICE_CRYPT_KEY_MAX] = {0}, *out;
	struct span in = span_make(data, size);
	size_t key_len;
	uint64_t n;
	char what[96];

	fuzz_biff(data, size);
	if (office_crypt_info_parse(in, &ci) != OFFICE_CRYPT_OK) {
		if (memchr(ci.reason, '\0', sizeof(ci.reason)) == NULL)
			abort();
		return 0;
	}
	office_crypt_info_describe(&ci, what, sizeof(what));
	if (ci.spin_count <= FUZZ_SPIN_MAX)
		(void)office_crypt_derive(&ci, "password", 8, key, &key_len);
	if (office_crypt_package_size(in, &n) < 0 || n > FUZZ_PACKAGE_MAX)
		return 0;
	out = malloc(n ? (size_t)n : 1);
	if (!out)
		return 0;
	(void)office_crypt_decrypt(&ci, key, ci.data.key_bytes, in, out,
				   (size_t)n);
	free(out);
	return 0;
}
