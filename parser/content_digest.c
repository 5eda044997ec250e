#include "content_digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "digest.h"

static const char *const skipped[] = {"Received", "X-Kensa-Released"};

static int is_skipped(const uint8_t *line, size_t len)
{
	for (size_t k = 0; k < sizeof(skipped) / sizeof(skipped[0]); k++) {
		size_t n = strlen(skipped[k]);
		if (len > n && line[n] == ':' &&
		    strncasecmp((const char *)line, skipped[k], n) == 0)
			return 1;
	}
	return 0;
}

int content_digest_init(struct content_digest *cd)
{
	memset(cd, 0, sizeof(*cd));
	cd->md = EVP_MD_CTX_new();
	if (!cd->md || !EVP_DigestInit_ex(cd->md, EVP_sha256(), NULL)) {
		content_digest_abort(cd);
		return -1;
	}
	return 0;
}

/* The start of a header line is known: blank (body follows), a
 * continuation (same field), or a new field (skipped or not). */
static int decide(struct content_digest *cd)
{
	const uint8_t *h = cd->head;
	size_t n = cd->nhead;

	cd->decided = 1;
	if ((n == 1 && h[0] == '\n') ||
	    (n == 2 && h[0] == '\r' && h[1] == '\n'))
		cd->in_body = 1;
	else if (h[0] != ' ' && h[0] != '\t')
		cd->skipping = is_skipped(h, n);
	if (cd->skipping && !cd->in_body)
		return 0;
	return EVP_DigestUpdate(cd->md, h, n) ? 0 : -1;
}

int content_digest_update(struct content_digest *cd, const void *buf,
			  size_t len)
{
	const uint8_t *p = buf, *end = p + len;

	while (p < end) {
		const uint8_t *nl;
		size_t n;
		if (cd->in_body)
			return EVP_DigestUpdate(cd->md, p, (size_t)(end - p))
				   ? 0
				   : -1;
		if (!cd->decided) {
			uint8_t b = *p++;
			cd->head[cd->nhead++] = b;
			if ((b == '\n' || cd->nhead == sizeof(cd->head)) &&
			    decide(cd) < 0)
				return -1;
			if (b == '\n' && !cd->in_body)
				cd->decided = cd->nhead = 0;
			continue;
		}
		/* the rest of a decided line, its line break included */
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (!cd->skipping && !EVP_DigestUpdate(cd->md, p, n))
			return -1;
		p += n;
		if (nl)
			cd->decided = cd->nhead = 0;
	}
	return 0;
}

int content_digest_final(struct content_digest *cd, char hex[65])
{
	unsigned char out[32];
	unsigned int outlen = 0;
	int rc = -1;

	if (cd->md && !cd->decided && cd->nhead && decide(cd) < 0)
		goto out;
	if (!cd->md || !EVP_DigestFinal_ex(cd->md, out, &outlen))
		goto out;
	digest_hex(out, sizeof(out), hex);
	rc = 0;
out:
	content_digest_abort(cd);
	return rc;
}

void content_digest_abort(struct content_digest *cd)
{
	EVP_MD_CTX_free(cd->md);
	cd->md = NULL;
}

int content_digest(struct span m, char hex[65])
{
	struct content_digest cd;

	if (content_digest_init(&cd) < 0)
		return -1;
	if (content_digest_update(&cd, m.ptr, m.len) < 0) {
		content_digest_abort(&cd);
		return -1;
	}
	return content_digest_final(&cd, hex);
}
