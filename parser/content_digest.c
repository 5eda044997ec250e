#include "content_digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <strings.h>

static const char *const skipped[] = {"Received", "X-Kensa-Released"};

static size_t line_end(struct span m, size_t i)
{
	const uint8_t *nl = memchr(m.ptr + i, '\n', m.len - i);
	return nl ? (size_t)(nl - m.ptr) + 1 : m.len;
}

static int is_skipped(struct span m, size_t start, size_t end)
{
	for (size_t k = 0; k < sizeof(skipped) / sizeof(skipped[0]); k++) {
		size_t n = strlen(skipped[k]);
		if (end - start > n && m.ptr[start + n] == ':' &&
		    strncasecmp((const char *)m.ptr + start, skipped[k], n) ==
			0)
			return 1;
	}
	return 0;
}

int content_digest(struct span m, char hex[65])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char out[32];
	unsigned int outlen = 0;
	size_t i = 0, body = m.len;
	int skipping = 0, rc = -1;

	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
		goto out;
	while (i < m.len) {
		size_t end = line_end(m, i);
		int blank =
		    m.ptr[i] == '\n' || (m.ptr[i] == '\r' && end - i <= 2);
		int continuation = m.ptr[i] == ' ' || m.ptr[i] == '\t';

		if (blank) {
			body = i;
			break;
		}
		if (!continuation)
			skipping = is_skipped(m, i, end);
		if (!skipping && !EVP_DigestUpdate(md, m.ptr + i, end - i))
			goto out;
		i = end;
	}
	if (body < m.len && !EVP_DigestUpdate(md, m.ptr + body, m.len - body))
		goto out;
	if (!EVP_DigestFinal_ex(md, out, &outlen))
		goto out;
	for (unsigned k = 0; k < 32; k++)
		snprintf(hex + k * 2, 3, "%02x", out[k]);
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	return rc;
}
