#include "digest.h"

#include <openssl/evp.h>
#include <stdio.h>

void digest_sha256_hex(struct span bytes, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	EVP_Digest(bytes.ptr, bytes.len, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
	out[64] = '\0';
}
