/*
 * office_crypt - encrypted OOXML documents; see office_crypt.h.
 */
#include "office_crypt.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bytes.h"
#include "mime_text.h"
#include "office.h"

static const uint8_t oc_block_verifier_input[8] = {0xfe, 0xa7, 0xd2, 0x76,
						   0x3b, 0x4b, 0x9e, 0x79};
static const uint8_t oc_block_verifier_hash[8] = {0xd7, 0xaa, 0x0f, 0x6d,
						  0x30, 0x61, 0x34, 0x4e};
static const uint8_t oc_block_key[8] = {0x14, 0x6e, 0x0b, 0xe7,
					0xab, 0xac, 0xd0, 0xd6};

struct oc_hash {
	EVP_MD *md;
	EVP_MD_CTX *mctx;
	unsigned len;
};

static double oc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int oc_hash_open(struct oc_hash *h, enum office_crypt_hash which)
{
	h->md = EVP_MD_fetch(NULL, office_crypt_hash_name(which), NULL);
	h->mctx = EVP_MD_CTX_new();
	if (!h->md || !h->mctx) {
		EVP_MD_free(h->md);
		EVP_MD_CTX_free(h->mctx);
		return -1;
	}
	h->len = (unsigned)EVP_MD_get_size(h->md);
	return 0;
}

static void oc_hash_close(struct oc_hash *h)
{
	EVP_MD_free(h->md);
	EVP_MD_CTX_free(h->mctx);
}

/* out = H(a || b) */
static int oc_hash2(struct oc_hash *h, const uint8_t *a, size_t alen,
		    const uint8_t *b, size_t blen, uint8_t *out)
{
	return EVP_DigestInit_ex(h->mctx, h->md, NULL) == 1 &&
		       EVP_DigestUpdate(h->mctx, a, alen) == 1 &&
		       EVP_DigestUpdate(h->mctx, b, blen) == 1 &&
		       EVP_DigestFinal_ex(h->mctx, out, NULL) == 1
		   ? 0
		   : -1;
}

size_t office_crypt_utf16le(const char *s, size_t len, uint8_t *out)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, o = 0, units = 0;

	while (i < len && units < OFFICE_CRYPT_PASSWORD_MAX) {
		uint32_t cp = 0xFFFD;
		unsigned n = 0;
		if (p[i] < 0x80)
			cp = p[i], n = 0;
		else if ((p[i] & 0xE0) == 0xC0)
			cp = p[i] & 0x1F, n = 1;
		else if ((p[i] & 0xF0) == 0xE0)
			cp = p[i] & 0x0F, n = 2;
		else if ((p[i] & 0xF8) == 0xF0)
			cp = p[i] & 0x07, n = 3;
		i++;
		for (unsigned k = 0; k < n; k++, i++) {
			if (i >= len || (p[i] & 0xC0) != 0x80) {
				cp = 0xFFFD;
				break;
			}
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if (cp >= 0x10000 && cp <= 0x10FFFF &&
		    units + 2 <= OFFICE_CRYPT_PASSWORD_MAX) {
			uint32_t v = cp - 0x10000;
			uint32_t hi = 0xD800 | v >> 10,
				 lo = 0xDC00 | (v & 0x3FF);
			out[o++] = (uint8_t)hi, out[o++] = (uint8_t)(hi >> 8);
			out[o++] = (uint8_t)lo, out[o++] = (uint8_t)(lo >> 8);
			units += 2;
			continue;
		}
		if (cp >= 0x10000)
			cp = 0xFFFD;
		out[o++] = (uint8_t)cp, out[o++] = (uint8_t)(cp >> 8);
		units++;
	}
	return o;
}

/* H0 = H(salt || password), Hn = H(iterator || Hn-1), spin times. */
static int oc_spin(struct oc_hash *h, const struct office_crypt_info *ci,
		   const char *password, size_t len, uint8_t *out)
{
	uint8_t pw[OFFICE_CRYPT_PASSWORD_MAX * 2], it[4];
	size_t pwlen = office_crypt_utf16le(password, len, pw);

	if (oc_hash2(h, ci->key.salt.b, ci->key.salt.len, pw, pwlen, out) < 0)
		return -1;
	for (uint32_t i = 0; i < ci->spin_count; i++) {
		bytes_put_le32(it, i);
		if (oc_hash2(h, it, 4, out, h->len, out) < 0)
			return -1;
	}
	return 0;
}

static const EVP_CIPHER *oc_aes(size_t key_len, int cbc)
{
	switch (key_len) {
	case 16: return cbc ? EVP_aes_128_cbc() : EVP_aes_128_ecb();
	case 24: return cbc ? EVP_aes_192_cbc() : EVP_aes_192_ecb();
	case 32: return cbc ? EVP_aes_256_cbc() : EVP_aes_256_ecb();
	default: return NULL;
	}
}

/* AES decryption of whole blocks, no padding; iv NULL: ECB. */
static int oc_decrypt(const uint8_t *key, size_t key_len, const uint8_t *iv,
		      const uint8_t *in, size_t len, uint8_t *out)
{
	const EVP_CIPHER *cipher = oc_aes(key_len, iv != NULL);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	ok = c && cipher && len % 16 == 0 && len <= 0x7FFFFFFF &&
	     EVP_DecryptInit_ex(c, cipher, NULL, key, iv) == 1 &&
	     EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	     EVP_DecryptUpdate(c, out, &n, in, (int)len) == 1 &&
	     (size_t)n == len;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/* An agile key or IV: the hash cut, or padded with 0x36, to len. */
static void oc_fit(const uint8_t *h, size_t hlen, uint8_t *out, size_t len)
{
	memset(out, 0x36, len);
	memcpy(out, h, hlen < len ? hlen : len);
}

/* Decrypts one encryptedKey value with the key of block key blk. */
static int oc_agile_value(struct oc_hash *h, const struct office_crypt_info *ci,
			  const uint8_t *spun, const uint8_t blk[8],
			  const struct office_crypt_blob *in, uint8_t *out)
{
	uint8_t hf[EVP_MAX_MD_SIZE], key[OFFICE_CRYPT_KEY_MAX], iv[16];

	if (oc_hash2(h, spun, h->len, blk, 8, hf) < 0)
		return -1;
	oc_fit(hf, h->len, key, ci->key.key_bytes);
	oc_fit(ci->key.salt.b, ci->key.salt.len, iv, sizeof(iv));
	return oc_decrypt(key, ci->key.key_bytes, iv, in->b, in->len, out);
}

static int oc_derive_agile(struct oc_hash *h,
			   const struct office_crypt_info *ci,
			   const uint8_t *spun, uint8_t *key, size_t *key_len)
{
	uint8_t input[OFFICE_CRYPT_BLOB_BYTES], value[OFFICE_CRYPT_BLOB_BYTES];
	uint8_t hashed[EVP_MAX_MD_SIZE], secret[OFFICE_CRYPT_BLOB_BYTES];

	if (oc_agile_value(h, ci, spun, oc_block_verifier_input, &ci->verifier,
			   input) < 0 ||
	    oc_agile_value(h, ci, spun, oc_block_verifier_hash,
			   &ci->verifier_hash, value) < 0 ||
	    EVP_Digest(input, ci->key.salt_bytes, hashed, NULL, h->md, NULL) !=
		1)
		return -1;
	if (memcmp(hashed, value, ci->key.hash_bytes) != 0)
		return 1;
	if (oc_agile_value(h, ci, spun, oc_block_key, &ci->encrypted_key,
			   secret) < 0)
		return -1;
	memcpy(key, secret, ci->data.key_bytes);
	*key_len = ci->data.key_bytes;
	return 0;
}

static int oc_derive_standard(struct oc_hash *h,
			      const struct office_crypt_info *ci,
			      const uint8_t *spun, uint8_t *key,
			      size_t *key_len)
{
	uint8_t hf[EVP_MAX_MD_SIZE], block[4] = {0}, pad[64], x[40];
	uint8_t verifier[16], vhash[32], hashed[EVP_MAX_MD_SIZE];

	if (oc_hash2(h, spun, h->len, block, 4, hf) < 0)
		return -1;
	memset(pad, 0x36, sizeof(pad));
	for (unsigned i = 0; i < h->len; i++)
		pad[i] ^= hf[i];
	if (EVP_Digest(pad, sizeof(pad), x, NULL, h->md, NULL) != 1)
		return -1;
	memset(pad, 0x5c, sizeof(pad));
	for (unsigned i = 0; i < h->len; i++)
		pad[i] ^= hf[i];
	if (EVP_Digest(pad, sizeof(pad), x + 20, NULL, h->md, NULL) != 1)
		return -1;
	memcpy(key, x, ci->key.key_bytes);
	*key_len = ci->key.key_bytes;
	if (oc_decrypt(key, *key_len, NULL, ci->verifier.b, 16, verifier) < 0 ||
	    oc_decrypt(key, *key_len, NULL, ci->verifier_hash.b, 32, vhash) <
		0 ||
	    EVP_Digest(verifier, 16, hashed, NULL, h->md, NULL) != 1)
		return -1;
	return memcmp(hashed, vhash, 20) == 0 ? 0 : 1;
}

int office_crypt_derive(const struct office_crypt_info *ci,
			const char *password, size_t len,
			uint8_t key[OFFICE_CRYPT_KEY_MAX], size_t *key_len)
{
	uint8_t spun[EVP_MAX_MD_SIZE];
	struct oc_hash h;
	int rc;

	if (oc_hash_open(&h, ci->key.hash) < 0)
		return OFFICE_CRYPT_E_CRYPTO;
	rc = oc_spin(&h, ci, password, len, spun);
	if (rc == 0)
		rc = ci->kind == OFFICE_CRYPT_AGILE
			 ? oc_derive_agile(&h, ci, spun, key, key_len)
			 : oc_derive_standard(&h, ci, spun, key, key_len);
	oc_hash_close(&h);
	return rc < 0 ? OFFICE_CRYPT_E_CRYPTO : rc;
}

int office_crypt_package_size(struct span package, uint64_t *size)
{
	uint64_t n = 0;

	if (package.len < 8)
		return -1;
	for (int i = 7; i >= 0; i--)
		n = n << 8 | package.ptr[i];
	if (n > package.len - 8)
		return -1;
	*size = n;
	return 0;
}

int office_crypt_decrypt(const struct office_crypt_info *ci, const uint8_t *key,
			 size_t key_len, struct span package, uint8_t *out,
			 size_t out_len)
{
	const uint8_t *in = package.ptr + 8;
	size_t avail = package.len >= 8 ? package.len - 8 : 0, done = 0;
	uint8_t block[OFFICE_CRYPT_SEGMENT], it[4], iv[EVP_MAX_MD_SIZE];
	struct oc_hash h = {0};
	int rc = 0;

	if (package.len < 8 || out_len > avail)
		return OFFICE_CRYPT_E_FORMAT;
	if (ci->kind == OFFICE_CRYPT_STANDARD)
		iv[0] = 0;
	else if (oc_hash_open(&h, ci->data.hash) < 0)
		return OFFICE_CRYPT_E_CRYPTO;
	for (uint32_t seg = 0; done < out_len && rc == 0; seg++) {
		size_t want = out_len - done, n;
		if (want > OFFICE_CRYPT_SEGMENT)
			want = OFFICE_CRYPT_SEGMENT;
		n = (want + 15) & ~(size_t)15;
		if (n > avail - done) {
			rc = OFFICE_CRYPT_E_FORMAT;
			break;
		}
		if (ci->kind == OFFICE_CRYPT_AGILE) {
			uint8_t hs[EVP_MAX_MD_SIZE];
			bytes_put_le32(it, seg);
			if (oc_hash2(&h, ci->data.salt.b, ci->data.salt.len, it,
				     4, hs) < 0) {
				rc = OFFICE_CRYPT_E_CRYPTO;
				break;
			}
			oc_fit(hs, h.len, iv, ci->data.block_bytes);
		}
		if (oc_decrypt(key, key_len,
			       ci->kind == OFFICE_CRYPT_AGILE ? iv : NULL,
			       in + done, n, block) < 0) {
			rc = OFFICE_CRYPT_E_CRYPTO;
			break;
		}
		memcpy(out + done, block, want);
		done += want;
	}
	if (ci->kind == OFFICE_CRYPT_AGILE)
		oc_hash_close(&h);
	return rc;
}

/* ---- the analyzer step: passwords, limits, findings ---- */

/* The package key the OOXML attempts find. */
struct oc_ooxml {
	const struct office_crypt_info *ci;
	uint8_t key[OFFICE_CRYPT_KEY_MAX];
	size_t key_len;
};

static int oc_ooxml_attempt(void *arg, const char *pw, size_t len)
{
	struct oc_ooxml *o = arg;

	return office_crypt_derive(o->ci, pw, len, o->key, &o->key_len);
}

/* 0: go on; 1: a per-document or per-message limit stops the tries. */
static int oc_limit(struct office_crypt_trial *t)
{
	if (t->tries >= t->ctx->limits->office_password_tries ||
	    scan_password_limit(t->ctx, t->part->path))
		return t->limited = 1;
	return 0;
}

/* 0: opened (origin set); 1: wrong or stopped; < 0: libcrypto failed. */
static int oc_try(struct office_crypt_trial *t, const char *pw,
		  const char *origin)
{
	double start;
	int rc;

	if (oc_limit(t))
		return 1;
	start = oc_now_ms();
	rc = t->attempt(t->arg, pw, strlen(pw));
	t->ctx->password_ms += oc_now_ms() - start;
	t->ctx->password_tries++;
	t->tries++;
	if (rc == 0)
		t->origin = origin;
	return rc;
}

/* A workbook by its name or declared type: VelvetSweatshop first. */
static int oc_workbook(const struct part_ctx *part)
{
	const char *dot = part->filename ? strrchr(part->filename, '.') : NULL;

	if (dot && strncasecmp(dot, ".xl", 3) == 0)
		return 1;
	return part->declared && (strstr(part->declared, "excel") ||
				  strstr(part->declared, "spreadsheet"));
}

int office_crypt_try_passwords(struct office_crypt_trial *t, int workbook)
{
	const struct passwords *pw = &t->ctx->passwords;
	int excel = workbook || oc_workbook(t->part), rc;

	if (excel &&
	    (rc = oc_try(t, OFFICE_CRYPT_EXCEL_DEFAULT,
			 "Excel's built-in default VelvetSweatshop")) <= 0)
		return rc;
	if (mime_text_passwords(t->ctx) < 0)
		return -1;
	for (size_t i = 0; i < passwords_count(pw); i++) {
		const struct passwords_candidate *c = passwords_get(pw, i);
		if (c->legacy) /* CP932 bytes: Office passwords are Unicode */
			continue;
		if (excel && strcmp(c->text, OFFICE_CRYPT_EXCEL_DEFAULT) == 0)
			continue;
		if ((rc = oc_try(t, c->text, c->origin)) <= 0)
			return rc;
		if (t->limited)
			break;
	}
	return 1;
}

/* The decrypted package, scanned as the part's child. */
static int oc_scan_package(struct office_crypt_trial *t, struct oc_ooxml *o,
			   struct cfb *c, uint32_t id, const char *what)
{
	struct scan_ctx *ctx = t->ctx;
	uint8_t *enc, *plain;
	size_t len;
	uint64_t size;
	int rc;

	if ((rc = cfb_read(c, id, &enc, &len)) < 0)
		return office_status_finding(ctx, t->part, rc,
					     "EncryptedPackage");
	if (office_crypt_package_size(span_make(enc, len), &size) < 0) {
		free(enc);
		return scan_finding(ctx, "scan.error", t->part->path,
				    "malformed EncryptedPackage (%s)", what);
	}
	if (scan_budget_take(ctx, (size_t)size) < size) {
		free(enc);
		return scan_finding(ctx, "scan.limit", t->part->path,
				    "decoded bytes over %zu in "
				    "EncryptedPackage",
				    ctx->limits->decoded_bytes);
	}
	plain = malloc(size ? (size_t)size : 1);
	if (!plain) {
		free(enc);
		return -1;
	}
	rc = office_crypt_decrypt(o->ci, o->key, o->key_len,
				  span_make(enc, len), plain, (size_t)size);
	free(enc);
	if (rc == 0)
		rc = office_child(ctx, t->part, "EncryptedPackage",
				  span_make(plain, (size_t)size));
	else
		rc = scan_finding(ctx, "scan.error", t->part->path,
				  "EncryptedPackage not decrypted (%s)", what);
	free(plain);
	return rc;
}

static int oc_read_info(struct cfb *c, uint32_t id,
			struct office_crypt_info *ci)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (c->dir[id].size > OFFICE_CRYPT_INFO_BYTES) {
		snprintf(ci->reason, sizeof(ci->reason),
			 "EncryptionInfo over %u bytes",
			 OFFICE_CRYPT_INFO_BYTES);
		return OFFICE_CRYPT_E_UNSUPPORTED;
	}
	if ((rc = cfb_read(c, id, &buf, &len)) < 0) {
		snprintf(ci->reason, sizeof(ci->reason), "EncryptionInfo: %s",
			 cfb_strerror(rc));
		return rc == CFB_E_NOMEM ? OFFICE_CRYPT_E_NOMEM
					 : OFFICE_CRYPT_E_FORMAT;
	}
	rc = office_crypt_info_parse(span_make(buf, len), ci);
	free(buf);
	return rc;
}

int office_crypt_open(struct scan_ctx *ctx, const struct part_ctx *part,
		      struct cfb *c)
{
	struct office_crypt_info *ci = calloc(1, sizeof(*ci));
	struct oc_ooxml o = {.ci = ci};
	struct office_crypt_trial t = {
	    .ctx = ctx, .part = part, .attempt = oc_ooxml_attempt, .arg = &o};
	uint32_t info, package;
	char what[96];
	int rc;

	if (!ci)
		return -1;
	if (cfb_child(c, 0, "EncryptionInfo", &info) != 0 ||
	    cfb_child(c, 0, "EncryptedPackage", &package) != 0) {
		free(ci);
		return 0;
	}
	rc = oc_read_info(c, info, ci);
	if (rc == OFFICE_CRYPT_E_NOMEM) {
		free(ci);
		return -1;
	}
	if (rc < 0) {
		rc = scan_finding(ctx, "office.encrypted", part->path,
				  "EncryptedPackage, not opened: %s",
				  ci->reason);
		free(ci);
		return rc;
	}
	office_crypt_info_describe(ci, what, sizeof(what));
	rc = office_crypt_try_passwords(&t, 0);
	if (rc == 0) {
		rc = scan_finding(ctx, "office.decrypted", part->path,
				  "password from %s; %s", t.origin, what);
		if (rc >= 0)
			rc = oc_scan_package(&t, &o, c, package, what);
	} else if (rc > 0) {
		rc = scan_finding(ctx, "office.encrypted", part->path,
				  "EncryptedPackage, %s, password unknown, "
				  "%u passwords tried%s",
				  what, t.tries,
				  t.limited ? " (limit reached)" : "");
	} else if (rc == OFFICE_CRYPT_E_CRYPTO) {
		rc = scan_finding(ctx, "office.encrypted", part->path,
				  "EncryptedPackage, %s, libcrypto refused",
				  what);
	}
	OPENSSL_cleanse(o.key, sizeof(o.key));
	free(ci);
	return rc;
}
