#include "zip_aes.h"

#include <glib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#define ZIP_AES_ROUNDS	1000
#define ZIP_AES_PV_LEN	2
#define ZIP_AES_MAC_LEN 10
#define ZIP_AES_KEY_MAX 32
#define ZIP_AES_READ	65536

static size_t zip_aes_key_len(uint16_t method)
{
	switch (method) {
	case ZIP_EM_AES_128: return 16;
	case ZIP_EM_AES_192: return 24;
	case ZIP_EM_AES_256: return 32;
	default: return 0;
	}
}

/*
 * The raw (encrypted) bytes of a member, whole: exactly its compressed
 * size, never the read past it, where libzip 1.7 checks the CRC of the
 * raw bytes and fails.
 */
static GByteArray *zip_aes_raw(zip_t *za, zip_uint64_t index)
{
	zip_file_t *zf;
	GByteArray *raw;
	zip_stat_t st;
	char *buf;

	if (zip_stat_index(za, index, 0, &st) < 0 ||
	    !(st.valid & ZIP_STAT_COMP_SIZE) ||
	    !(zf = zip_fopen_index(za, index, ZIP_FL_ENCRYPTED)))
		return NULL;
	raw = g_byte_array_new();
	buf = g_malloc(ZIP_AES_READ);
	while (raw->len < st.comp_size) {
		zip_uint64_t left = st.comp_size - raw->len;
		zip_int64_t n = zip_fread(
		    zf, buf, left < ZIP_AES_READ ? left : ZIP_AES_READ);
		if (n <= 0)
			break;
		g_byte_array_append(raw, (guint8 *)buf, (guint)n);
	}
	g_free(buf);
	zip_fclose(zf);
	if (raw->len != st.comp_size) {
		g_byte_array_unref(raw);
		return NULL;
	}
	return raw;
}

int zip_aes_password_ok(zip_t *za, zip_uint64_t index, uint16_t method,
			const char *password)
{
	size_t key_len = zip_aes_key_len(method), salt_len = key_len / 2;
	uint8_t keys[2 * ZIP_AES_KEY_MAX + ZIP_AES_PV_LEN];
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned mac_len = 0;
	GByteArray *raw;
	size_t data_len;
	int ok = -1;

	if (!key_len || !(raw = zip_aes_raw(za, index)))
		return -1;
	if (raw->len < salt_len + ZIP_AES_PV_LEN + ZIP_AES_MAC_LEN)
		goto out;
	data_len = raw->len - salt_len - ZIP_AES_PV_LEN - ZIP_AES_MAC_LEN;
	if (!PKCS5_PBKDF2_HMAC_SHA1(password, (int)strlen(password), raw->data,
				    (int)salt_len, ZIP_AES_ROUNDS,
				    (int)(2 * key_len + ZIP_AES_PV_LEN), keys))
		goto out;
	ok = 0;
	if (memcmp(keys + 2 * key_len, raw->data + salt_len, ZIP_AES_PV_LEN))
		goto out;
	if (!HMAC(EVP_sha1(), keys + key_len, (int)key_len,
		  raw->data + salt_len + ZIP_AES_PV_LEN, data_len, mac,
		  &mac_len) ||
	    mac_len < ZIP_AES_MAC_LEN)
		goto out;
	ok = CRYPTO_memcmp(mac, raw->data + raw->len - ZIP_AES_MAC_LEN,
			   ZIP_AES_MAC_LEN) == 0;
out:
	OPENSSL_cleanse(keys, sizeof(keys));
	g_byte_array_unref(raw);
	return ok;
}
