/*
 * fuzz_office_crypt - libFuzzer target for parser/office_crypt_info (the
 * EncryptionInfo stream) and the decryption it steers: the input is an
 * EncryptionInfo stream; when it parses, its description is made, a key
 * is derived for "password" when the spin count is small (a large one
 * only costs time, which the limits bound), and the input itself is
 * decrypted as an EncryptedPackage of at most 64 KiB with a fixed key.
 * Seeds in t/fuzz/corpus/office_crypt.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/office_crypt.h"
#include "../../parser/office_crypt_info.h"

#define FUZZ_SPIN_MAX	 1000
#define FUZZ_PACKAGE_MAX (64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct office_crypt_info ci;
	uint8_t key[OFFICE_CRYPT_KEY_MAX] = {0}, *out;
	struct span in = span_make(data, size);
	size_t key_len;
	uint64_t n;
	char what[96];

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
