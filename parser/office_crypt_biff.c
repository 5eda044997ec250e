/*
 * office_crypt_biff - encrypted Excel 97-2003 workbooks; see
 * office_crypt_biff.h. RC4 is written here: OpenSSL 3 keeps it in the
 * legacy provider, and a keystream is all that is needed.
 */
#include "office_crypt_biff.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "office_crypt.h"

#define OCB_REC_BOF	     0x0809u
#define OCB_REC_EOF	     0x000Au
#define OCB_REC_FILEPASS     0x002Fu
#define OCB_REC_BOUNDSHEET   0x0085u
#define OCB_REC_INTERFACEHDR 0x00E1u
#define OCB_REC_USREXCL	     0x0194u
#define OCB_REC_FILELOCK     0x0195u
#define OCB_REC_RRDINFO	     0x0196u
#define OCB_REC_RRDHEAD	     0x0138u
#define OCB_ALG_RC4	     0x6801u
#define OCB_ALG_SHA1	     0x8004u

struct ocb_rc4 {
	uint8_t s[256];
	uint8_t i, j;
};

/* The keystream at a stream offset: one block's bytes, kept. */
struct ocb_stream {
	const struct office_crypt_rc4_info *info;
	const uint8_t *base;
	uint32_t block;
	int have;
	uint8_t ks[OFFICE_CRYPT_BIFF_BLOCK];
};

static void ocb_rc4_init(struct ocb_rc4 *r, const uint8_t *key, size_t len)
{
	uint8_t j = 0;

	for (int i = 0; i < 256; i++)
		r->s[i] = (uint8_t)i;
	for (int i = 0; i < 256; i++) {
		uint8_t t = r->s[i];
		j = (uint8_t)(j + t + key[i % len]);
		r->s[i] = r->s[j];
		r->s[j] = t;
	}
	r->i = r->j = 0;
}

static void ocb_rc4_xor(struct ocb_rc4 *r, uint8_t *buf, size_t len)
{
	for (size_t k = 0; k < len; k++) {
		uint8_t t;
		r->i++;
		r->j = (uint8_t)(r->j + r->s[r->i]);
		t = r->s[r->i];
		r->s[r->i] = r->s[r->j];
		r->s[r->j] = t;
		buf[k] ^= r->s[(uint8_t)(r->s[r->i] + r->s[r->j])];
	}
}

/* The RC4 key of block b: 16 bytes (40-bit keys padded with zeros). */
static void ocb_block_key(const struct office_crypt_rc4_info *info,
			  const uint8_t *base, uint32_t b, uint8_t key[16],
			  size_t *key_len)
{
	uint8_t in[24], h[EVP_MAX_MD_SIZE];
	size_t blen = info->cryptoapi ? 20 : 5;

	memcpy(in, base, blen);
	in[blen] = (uint8_t)b;
	in[blen + 1] = (uint8_t)(b >> 8);
	in[blen + 2] = (uint8_t)(b >> 16);
	in[blen + 3] = (uint8_t)(b >> 24);
	memset(h, 0, sizeof(h));
	EVP_Digest(in, blen + 4, h, NULL,
		   info->cryptoapi ? EVP_sha1() : EVP_md5(), NULL);
	memset(key, 0, 16);
	memcpy(key, h, info->key_bytes);
	*key_len =
	    info->key_bytes == 5 && info->cryptoapi ? 16 : info->key_bytes;
}

int office_crypt_rc4_verify(const struct office_crypt_rc4_info *info,
			    const char *password, size_t len, uint8_t base[20])
{
	uint8_t pw[OFFICE_CRYPT_PASSWORD_MAX * 2], h[EVP_MAX_MD_SIZE];
	uint8_t buf[16 * 21], key[16], v[16], vh[20];
	size_t pwlen = office_crypt_utf16le(password, len, pw), key_len;
	struct ocb_rc4 r;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok;

	if (!m)
		return OFFICE_CRYPT_E_CRYPTO;
	if (info->cryptoapi) {
		ok = EVP_DigestInit_ex(m, EVP_sha1(), NULL) == 1 &&
		     EVP_DigestUpdate(m, info->salt, 16) == 1 &&
		     EVP_DigestUpdate(m, pw, pwlen) == 1 &&
		     EVP_DigestFinal_ex(m, base, NULL) == 1;
	} else {
		ok = EVP_Digest(pw, pwlen, h, NULL, EVP_md5(), NULL) == 1;
		for (int i = 0; ok && i < 16; i++) {
			memcpy(buf + 21 * i, h, 5);
			memcpy(buf + 21 * i + 5, info->salt, 16);
		}
		ok = ok && EVP_Digest(buf, sizeof(buf), h, NULL, EVP_md5(),
				      NULL) == 1;
		memcpy(base, h, 5);
	}
	EVP_MD_CTX_free(m);
	if (!ok)
		return OFFICE_CRYPT_E_CRYPTO;
	ocb_block_key(info, base, 0, key, &key_len);
	ocb_rc4_init(&r, key, key_len);
	memcpy(v, info->verifier, 16);
	memcpy(vh, info->verifier_hash, info->verifier_hash_len);
	ocb_rc4_xor(&r, v, 16);
	ocb_rc4_xor(&r, vh, info->verifier_hash_len);
	if (EVP_Digest(v, 16, h, NULL, info->cryptoapi ? EVP_sha1() : EVP_md5(),
		       NULL) != 1)
		return OFFICE_CRYPT_E_CRYPTO;
	return CRYPTO_memcmp(h, vh, info->verifier_hash_len) == 0 ? 0 : 1;
}

/* XORs bytes [at, at + len) of the stream with their keystream. */
static void ocb_xor(struct ocb_stream *ks, uint8_t *stream, size_t at,
		    size_t len)
{
	while (len > 0) {
		uint32_t b = (uint32_t)(at / OFFICE_CRYPT_BIFF_BLOCK);
		size_t off = at % OFFICE_CRYPT_BIFF_BLOCK;
		size_t n = OFFICE_CRYPT_BIFF_BLOCK - off;
		if (n > len)
			n = len;
		if (!ks->have || ks->block != b) {
			struct ocb_rc4 r;
			uint8_t key[16];
			size_t key_len;
			ocb_block_key(ks->info, ks->base, b, key, &key_len);
			ocb_rc4_init(&r, key, key_len);
			memset(ks->ks, 0, sizeof(ks->ks));
			ocb_rc4_xor(&r, ks->ks, sizeof(ks->ks));
			ks->block = b;
			ks->have = 1;
		}
		for (size_t k = 0; k < n; k++)
			stream[at + k] ^= ks->ks[off + k];
		at += n;
		len -= n;
	}
}

static int ocb_clear_record(unsigned type)
{
	return type == OCB_REC_BOF || type == OCB_REC_FILEPASS ||
	       type == OCB_REC_USREXCL || type == OCB_REC_FILELOCK ||
	       type == OCB_REC_INTERFACEHDR || type == OCB_REC_RRDINFO ||
	       type == OCB_REC_RRDHEAD;
}

void office_crypt_biff_decrypt(const struct office_crypt_rc4_info *info,
			       const uint8_t base[20], uint8_t *stream,
			       size_t len, size_t filepass_at, size_t after)
{
	struct ocb_stream ks = {.info = info, .base = base};
	size_t pos = after;

	while (len - pos >= 4) {
		unsigned type = bytes_le16(stream + pos);
		size_t n = bytes_le16(stream + pos + 2), at = pos + 4;
		if (n > len - at)
			n = len - at;
		pos = at + n;
		if (ocb_clear_record(type))
			continue;
		if (type == OCB_REC_BOUNDSHEET) {
			if (n <= 4)
				continue;
			at += 4, n -= 4;
		}
		ocb_xor(&ks, stream, at, n);
	}
	stream[filepass_at] = 0;
	stream[filepass_at + 1] = 0;
	OPENSSL_cleanse(ks.ks, sizeof(ks.ks));
}

static int ocb_refuse(char *reason, size_t len, const char *why)
{
	snprintf(reason, len, "%s", why);
	return -1;
}

/* FILEPASS data past wEncryptionType = RC4: which RC4, its verifier. */
static int ocb_rc4_header(struct span d, struct office_crypt_rc4_info *info,
			  char *reason, size_t rlen)
{
	unsigned major, minor;
	uint32_t hsize, alg, alg_hash, bits;
	size_t v;

	if (d.len < 4)
		return ocb_refuse(reason, rlen, "FILEPASS cut short");
	major = bytes_le16(d.ptr);
	minor = bytes_le16(d.ptr + 2);
	memset(info, 0, sizeof(*info));
	if (major == 1 && minor == 1) {
		if (d.len < 4 + 48)
			return ocb_refuse(reason, rlen, "FILEPASS cut short");
		info->key_bytes = 16;
		memcpy(info->salt, d.ptr + 4, 16);
		memcpy(info->verifier, d.ptr + 20, 16);
		memcpy(info->verifier_hash, d.ptr + 36, 16);
		info->verifier_hash_len = 16;
		return 0;
	}
	if (major < 2 || major > 4 || minor != 2)
		return ocb_refuse(reason, rlen, "RC4 version not known");
	if (d.len < 12)
		return ocb_refuse(reason, rlen, "FILEPASS cut short");
	hsize = bytes_le32(d.ptr + 8);
	if (hsize < 32 || hsize > d.len - 12)
		return ocb_refuse(reason, rlen, "header size out of range");
	alg = bytes_le32(d.ptr + 20);
	alg_hash = bytes_le32(d.ptr + 24);
	bits = bytes_le32(d.ptr + 28);
	if ((alg != OCB_ALG_RC4 && alg != 0) ||
	    (alg_hash != OCB_ALG_SHA1 && alg_hash != 0))
		return ocb_refuse(reason, rlen,
				  "CryptoAPI other than RC4/SHA-1");
	if (bits == 0)
		bits = 40;
	if (bits < 40 || bits > 128 || bits % 8)
		return ocb_refuse(reason, rlen, "key size out of range");
	v = 12 + (size_t)hsize;
	if (d.len - v < 4 + 16 + 16 + 4 + 20 || bytes_le32(d.ptr + v) != 16 ||
	    bytes_le32(d.ptr + v + 36) != 20)
		return ocb_refuse(reason, rlen, "verifier malformed");
	info->cryptoapi = 1;
	info->key_bytes = bits / 8;
	memcpy(info->salt, d.ptr + v + 4, 16);
	memcpy(info->verifier, d.ptr + v + 20, 16);
	memcpy(info->verifier_hash, d.ptr + v + 40, 20);
	info->verifier_hash_len = 20;
	return 0;
}

int office_crypt_biff_filepass(struct span stream,
			       struct office_crypt_rc4_info *info,
			       size_t *filepass_at, size_t *after, char *reason,
			       size_t reason_len)
{
	size_t pos = 0;

	if (stream.len < 8 || bytes_le16(stream.ptr) != OCB_REC_BOF)
		return 1;
	while (stream.len - pos >= 4) {
		unsigned type = bytes_le16(stream.ptr + pos);
		size_t n = bytes_le16(stream.ptr + pos + 2);
		if (n > stream.len - pos - 4 || type == OCB_REC_EOF)
			return 1;
		if (type == OCB_REC_FILEPASS) {
			*filepass_at = pos;
			*after = pos + 4 + n;
			if (n < 2 || bytes_le16(stream.ptr + pos + 4) != 1)
				return ocb_refuse(reason, reason_len,
						  "XOR obfuscation");
			return ocb_rc4_header(
			    span_make(stream.ptr + pos + 6, n - 2), info,
			    reason, reason_len);
		}
		pos += 4 + n;
	}
	return 1;
}

struct ocb_attempt {
	const struct office_crypt_rc4_info *info;
	uint8_t base[20];
};

static int ocb_attempt(void *arg, const char *pw, size_t len)
{
	struct ocb_attempt *a = arg;

	return office_crypt_rc4_verify(a->info, pw, len, a->base);
}

int office_crypt_biff_open(struct scan_ctx *ctx, const struct part_ctx *part,
			   struct span stream, uint8_t **plain)
{
	struct office_crypt_rc4_info info;
	struct ocb_attempt a = {.info = &info};
	struct office_crypt_trial t = {
	    .ctx = ctx, .part = part, .attempt = ocb_attempt, .arg = &a};
	char what[48], reason[64];
	size_t at, after;
	int rc;

	*plain = NULL;
	rc = office_crypt_biff_filepass(stream, &info, &at, &after, reason,
					sizeof(reason));
	if (rc != 0)
		return OFFICE_CRYPT_BIFF_PLAIN;
	if (info.cryptoapi)
		snprintf(what, sizeof(what), "RC4 CryptoAPI %u-bit",
			 info.key_bytes * 8);
	else
		snprintf(what, sizeof(what), "RC4 40-bit (Office 97)");
	rc = office_crypt_try_passwords(&t, 1);
	if (rc < 0 && rc != OFFICE_CRYPT_E_CRYPTO)
		return -1;
	if (rc != 0) {
		if (scan_finding(ctx, "office.encrypted", part->path,
				 "workbook FILEPASS, %s, password "
				 "unknown, %u passwords tried%s",
				 what, t.tries,
				 t.limited ? " (limit reached)" : "") < 0)
			return -1;
		return OFFICE_CRYPT_BIFF_LOCKED;
	}
	if (scan_finding(ctx, "office.decrypted", part->path,
			 "password from %s; workbook %s", t.origin, what) < 0)
		return -1;
	if (scan_budget_take(ctx, stream.len) < stream.len) {
		scan_finding(ctx, "scan.limit", part->path,
			     "decoded bytes over %zu in Workbook",
			     ctx->limits->decoded_bytes);
		return OFFICE_CRYPT_BIFF_LOCKED;
	}
	*plain = malloc(stream.len);
	if (!*plain)
		return -1;
	memcpy(*plain, stream.ptr, stream.len);
	office_crypt_biff_decrypt(&info, a.base, *plain, stream.len, at, after);
	OPENSSL_cleanse(a.base, sizeof(a.base));
	return OFFICE_CRYPT_BIFF_OPENED;
}
