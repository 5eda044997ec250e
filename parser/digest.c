#include "digest.h"

#include <openssl/evp.h>

void digest_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void digest_sha256_hex(struct span bytes, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	EVP_Digest(bytes.ptr, bytes.len, md, &mdlen, EVP_sha256(), NULL);
	digest_hex(md, sizeof(md), out);
}
