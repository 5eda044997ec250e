/*
 * office_crypt_info - the EncryptionInfo stream; see office_crypt_info.h.
 * The agile descriptor is read with a small attribute scanner, not an XML
 * parser: the elements wanted are empty elements whose attributes carry
 * everything, and nothing outside their start tags matters.
 */
#include "office_crypt_info.h"

#include <stdio.h>
#include <string.h>

#include "bytes.h"

#define OCI_STD_FLAG_CRYPTOAPI 0x04u
#define OCI_STD_FLAG_AES       0x20u
#define OCI_AGILE_FLAGS	       0x40u
#define OCI_ALG_AES128	       0x660Eu
#define OCI_ALG_AES192	       0x660Fu
#define OCI_ALG_AES256	       0x6610u
#define OCI_ALG_RC4	       0x6801u
#define OCI_ALG_SHA1	       0x8004u
#define OCI_PASSWORD_URI                                                       \
	"http://schemas.microsoft.com/office/2006/keyEncryptor/password"

static int oci_refuse(struct office_crypt_info *out, int status,
		      const char *why)
{
	snprintf(out->reason, sizeof(out->reason), "%s", why);
	return status;
}

const char *office_crypt_hash_name(enum office_crypt_hash h)
{
	switch (h) {
	case OFFICE_CRYPT_SHA1: return "SHA1";
	case OFFICE_CRYPT_SHA256: return "SHA256";
	case OFFICE_CRYPT_SHA384: return "SHA384";
	case OFFICE_CRYPT_SHA512: return "SHA512";
	}
	return "?";
}

void office_crypt_info_describe(const struct office_crypt_info *ci, char *buf,
				size_t len)
{
	snprintf(buf, len, "%s AES-%u %s %u rounds",
		 ci->kind == OFFICE_CRYPT_AGILE ? "agile" : "standard",
		 ci->data.key_bytes * 8, office_crypt_hash_name(ci->key.hash),
		 ci->spin_count);
}

/* ---- standard encryption: binary header and verifier ---- */

static int oci_standard(struct span s, struct office_crypt_info *out)
{
	const uint8_t *p = s.ptr;
	uint32_t hsize, hflags, alg, alg_hash, key_bits, salt_size, vh_size;
	size_t v;

	if (s.len < 12)
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT,
				  "header cut short");
	hsize = bytes_le32(p + 8);
	if (hsize < 32 || hsize > s.len - 12)
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT,
				  "header size out of range");
	hflags = bytes_le32(p + 12);
	alg = bytes_le32(p + 20);
	alg_hash = bytes_le32(p + 24);
	key_bits = bytes_le32(p + 28);
	if (alg == OCI_ALG_RC4 || !(hflags & OCI_STD_FLAG_AES))
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "RC4 CryptoAPI");
	if (!(hflags & OCI_STD_FLAG_CRYPTOAPI))
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "not CryptoAPI");
	if (alg_hash != 0 && alg_hash != OCI_ALG_SHA1)
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "hash other than SHA-1");
	if (!((alg == OCI_ALG_AES128 && key_bits == 128) ||
	      (alg == OCI_ALG_AES192 && key_bits == 192) ||
	      (alg == OCI_ALG_AES256 && key_bits == 256) ||
	      (alg == 0 &&
	       (key_bits == 128 || key_bits == 192 || key_bits == 256))))
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "cipher other than AES");
	v = 12 + (size_t)hsize;
	/* saltSize, salt[16], verifier[16], hashSize, hash[32] */
	if (s.len - v < 4 + 16 + 16 + 4 + 32)
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT,
				  "verifier cut short");
	salt_size = bytes_le32(p + v);
	vh_size = bytes_le32(p + v + 36);
	if (salt_size != 16 || vh_size != 20)
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT,
				  "verifier sizes out of range");
	out->kind = OFFICE_CRYPT_STANDARD;
	out->spin_count = OFFICE_CRYPT_STANDARD_SPIN;
	out->key.hash = OFFICE_CRYPT_SHA1;
	out->key.hash_bytes = 20;
	out->key.key_bytes = key_bits / 8;
	out->key.block_bytes = 16;
	out->key.salt_bytes = 16;
	memcpy(out->key.salt.b, p + v + 4, 16);
	out->key.salt.len = 16;
	memcpy(out->verifier.b, p + v + 20, 16);
	out->verifier.len = 16;
	memcpy(out->verifier_hash.b, p + v + 40, 32);
	out->verifier_hash.len = 32;
	out->data = out->key;
	return OFFICE_CRYPT_OK;
}

/* ---- agile encryption: the XML descriptor ---- */

static int oci_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int oci_name_end(uint8_t c)
{
	return oci_space(c) || c == '/' || c == '>' || c == '=';
}

/*
 * The next start tag at or after *pos whose local name is name: its
 * attributes (from after the name to before '>') in *attrs, *pos past it.
 * 0, or 1 when there is none.
 */
static int oci_element(struct span xml, size_t *pos, const char *name,
		       struct span *attrs)
{
	size_t nlen = strlen(name);
	const uint8_t *p = xml.ptr;

	for (size_t i = *pos; i < xml.len; i++) {
		size_t start, end, local;
		if (p[i] != '<')
			continue;
		start = i + 1;
		end = start;
		while (end < xml.len && !oci_name_end(p[end]))
			end++;
		local = start;
		for (size_t k = start; k < end; k++)
			if (p[k] == ':')
				local = k + 1;
		if (end - local != nlen || memcmp(p + local, name, nlen) != 0)
			continue;
		for (size_t k = end; k < xml.len; k++) {
			uint8_t quote;
			if (p[k] == '>') {
				*attrs = span_make(p + end, k - end);
				*pos = k + 1;
				return 0;
			}
			if (p[k] != '"' && p[k] != '\'')
				continue;
			quote = p[k];
			while (++k < xml.len && p[k] != quote)
				;
			if (k >= xml.len)
				return 1;
		}
		return 1;
	}
	return 1;
}

/* The value of attribute name (unprefixed) in attrs: 0 and *value, or 1. */
static int oci_attr(struct span attrs, const char *name, struct span *value)
{
	size_t nlen = strlen(name), i = 0;
	const uint8_t *p = attrs.ptr;

	while (i < attrs.len) {
		size_t nstart, nend, vstart;
		uint8_t quote;
		while (i < attrs.len && (oci_space(p[i]) || p[i] == '/'))
			i++;
		nstart = i;
		while (i < attrs.len && !oci_name_end(p[i]))
			i++;
		nend = i;
		while (i < attrs.len && oci_space(p[i]))
			i++;
		if (nend == nstart || i >= attrs.len || p[i] != '=')
			return 1;
		i++;
		while (i < attrs.len && oci_space(p[i]))
			i++;
		if (i >= attrs.len || (p[i] != '"' && p[i] != '\''))
			return 1;
		quote = p[i++];
		vstart = i;
		while (i < attrs.len && p[i] != quote)
			i++;
		if (i >= attrs.len)
			return 1;
		if (nend - nstart == nlen &&
		    memcmp(p + nstart, name, nlen) == 0) {
			*value = span_make(p + vstart, i - vstart);
			return 0;
		}
		i++;
	}
	return 1;
}

static int oci_attr_is(struct span attrs, const char *name, const char *want)
{
	struct span v;

	return oci_attr(attrs, name, &v) == 0 && v.len == strlen(want) &&
	       memcmp(v.ptr, want, v.len) == 0;
}

/* A decimal attribute of at most 9 digits: 0 and *n, or 1. */
static int oci_attr_uint(struct span attrs, const char *name, unsigned *n)
{
	struct span v;
	unsigned x = 0;

	if (oci_attr(attrs, name, &v) != 0 || v.len == 0 || v.len > 9)
		return 1;
	for (size_t i = 0; i < v.len; i++) {
		if (v.ptr[i] < '0' || v.ptr[i] > '9')
			return 1;
		x = x * 10 + (unsigned)(v.ptr[i] - '0');
	}
	*n = x;
	return 0;
}

static int oci_b64_value(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64 (white space ignored, '=' ends it) into a blob: 0, or 1. */
static int oci_base64(struct span v, struct office_crypt_blob *out)
{
	uint32_t acc = 0;
	unsigned bits = 0;

	out->len = 0;
	for (size_t i = 0; i < v.len; i++) {
		int d;
		if (oci_space(v.ptr[i]))
			continue;
		if (v.ptr[i] == '=')
			break;
		if ((d = oci_b64_value(v.ptr[i])) < 0)
			return 1;
		acc = (acc << 6 | (uint32_t)d) & 0xFFFFFFu;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (out->len >= sizeof(out->b))
				return 1;
			out->b[out->len++] = (uint8_t)(acc >> bits);
		}
	}
	return 0;
}

static int oci_attr_blob(struct span attrs, const char *name,
			 struct office_crypt_blob *out)
{
	struct span v;

	return oci_attr(attrs, name, &v) != 0 || oci_base64(v, out) != 0;
}

/* keyData or encryptedKey's cipher, hash and salt. */
static int oci_params(struct span attrs, struct office_crypt_params *p,
		      struct office_crypt_info *out)
{
	static const struct {
		const char *name;
		enum office_crypt_hash hash;
		unsigned bytes;
	} hashes[] = {{"SHA1", OFFICE_CRYPT_SHA1, 20},
		      {"SHA-1", OFFICE_CRYPT_SHA1, 20},
		      {"SHA256", OFFICE_CRYPT_SHA256, 32},
		      {"SHA384", OFFICE_CRYPT_SHA384, 48},
		      {"SHA512", OFFICE_CRYPT_SHA512, 64}};
	unsigned key_bits, hash_size;
	size_t h;

	if (!oci_attr_is(attrs, "cipherAlgorithm", "AES"))
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "cipher other than AES");
	if (!oci_attr_is(attrs, "cipherChaining", "ChainingModeCBC"))
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "chaining other than CBC");
	for (h = 0; h < sizeof(hashes) / sizeof(hashes[0]); h++)
		if (oci_attr_is(attrs, "hashAlgorithm", hashes[h].name))
			break;
	if (h == sizeof(hashes) / sizeof(hashes[0]))
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "hash other than SHA-1/256/384/512");
	p->hash = hashes[h].hash;
	p->hash_bytes = hashes[h].bytes;
	if (oci_attr_uint(attrs, "keyBits", &key_bits) ||
	    oci_attr_uint(attrs, "blockSize", &p->block_bytes) ||
	    oci_attr_uint(attrs, "saltSize", &p->salt_bytes) ||
	    oci_attr_uint(attrs, "hashSize", &hash_size) ||
	    oci_attr_blob(attrs, "saltValue", &p->salt))
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT,
				  "attribute missing or malformed");
	if (key_bits != 128 && key_bits != 192 && key_bits != 256)
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "key size other than 128/192/256");
	p->key_bytes = key_bits / 8;
	if (p->block_bytes != 16 || hash_size != p->hash_bytes ||
	    p->salt_bytes == 0 || p->salt.len != p->salt_bytes)
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT, "sizes disagree");
	return OFFICE_CRYPT_OK;
}

/* An encrypted value: whole blocks, at least need bytes. */
static int oci_encrypted_blob(struct span attrs, const char *name, size_t need,
			      struct office_crypt_blob *out)
{
	return oci_attr_blob(attrs, name, out) == 0 && out->len >= need &&
	       out->len % 16 == 0;
}

/* The password key encryptor: the encryptedKey with a spinCount. */
static int oci_password_key(struct span xml, struct span *attrs)
{
	size_t pos = 0, kpos;
	struct span enc, key;

	while (oci_element(xml, &pos, "keyEncryptor", &enc) == 0) {
		if (!oci_attr_is(enc, "uri", OCI_PASSWORD_URI))
			continue;
		kpos = pos;
		if (oci_element(xml, &kpos, "encryptedKey", &key) == 0 &&
		    oci_attr(key, "spinCount", &(struct span){0}) == 0) {
			*attrs = key;
			return 0;
		}
	}
	return 1;
}

static int oci_agile(struct span s, struct office_crypt_info *out)
{
	struct span xml, data, key;
	size_t pos = 0;
	int rc;

	if (bytes_le32(s.ptr + 4) != OCI_AGILE_FLAGS)
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT,
				  "agile flags not 0x40");
	xml = span_make(s.ptr + 8, s.len - 8);
	if (oci_element(xml, &pos, "keyData", &data) != 0)
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT, "no keyData");
	if (oci_password_key(xml, &key) != 0)
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "no password key encryptor");
	out->kind = OFFICE_CRYPT_AGILE;
	if ((rc = oci_params(data, &out->data, out)) != 0 ||
	    (rc = oci_params(key, &out->key, out)) != 0)
		return rc;
	if (oci_attr_uint(key, "spinCount", &out->spin_count))
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT,
				  "spinCount malformed");
	if (out->spin_count > OFFICE_CRYPT_SPIN_MAX)
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "spinCount over the limit");
	if (!oci_encrypted_blob(key, "encryptedVerifierHashInput",
				out->key.salt_bytes, &out->verifier) ||
	    !oci_encrypted_blob(key, "encryptedVerifierHashValue",
				out->key.hash_bytes, &out->verifier_hash) ||
	    !oci_encrypted_blob(key, "encryptedKeyValue", out->data.key_bytes,
				&out->encrypted_key))
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT,
				  "encrypted verifier or key malformed");
	return OFFICE_CRYPT_OK;
}

int office_crypt_info_parse(struct span stream, struct office_crypt_info *out)
{
	memset(out, 0, sizeof(*out));
	if (stream.len > OFFICE_CRYPT_INFO_BYTES)
		stream.len = OFFICE_CRYPT_INFO_BYTES;
	if (stream.len < 8)
		return oci_refuse(out, OFFICE_CRYPT_E_FORMAT,
				  "EncryptionInfo cut short");
	out->version_major = (unsigned)(stream.ptr[0] | stream.ptr[1] << 8);
	out->version_minor = (unsigned)(stream.ptr[2] | stream.ptr[3] << 8);
	if (out->version_major == 4 && out->version_minor == 4)
		return oci_agile(stream, out);
	if ((out->version_major == 3 || out->version_major == 4) &&
	    out->version_minor == 3)
		return oci_refuse(out, OFFICE_CRYPT_E_UNSUPPORTED,
				  "extensible encryption");
	if (out->version_major >= 2 && out->version_major <= 4 &&
	    out->version_minor == 2)
		return oci_standard(stream, out);
	snprintf(out->reason, sizeof(out->reason), "version %u.%u",
		 out->version_major, out->version_minor);
	return OFFICE_CRYPT_E_UNSUPPORTED;
}
