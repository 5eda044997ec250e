#include "release.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../parser/digest.h"
#include "quarantine.h"

static void key_path(const char *state_dir, char *out, size_t len)
{
	snprintf(out, len, "%s/release.key", state_dir);
}

int release_key_load(const char *state_dir, unsigned char key[RELEASE_KEY_LEN])
{
	char path[4096];
	int fd;
	ssize_t n;

	key_path(state_dir, path, sizeof(path));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, key, RELEASE_KEY_LEN);
	close(fd);
	return n == RELEASE_KEY_LEN ? 0 : -1;
}

int release_key_ensure(const char *state_dir,
		       unsigned char key[RELEASE_KEY_LEN])
{
	char path[4096];
	int fd;

	if (release_key_load(state_dir, key) == 0)
		return 0;
	if (getrandom(key, RELEASE_KEY_LEN, 0) != RELEASE_KEY_LEN)
		return -1;
	key_path(state_dir, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0640);
	if (fd < 0)
		return errno == EEXIST ? release_key_load(state_dir, key) : -1;
	if (write(fd, key, RELEASE_KEY_LEN) != RELEASE_KEY_LEN ||
	    fsync(fd) < 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	return close(fd);
}

static int stamp_hmac(const unsigned char key[RELEASE_KEY_LEN], const char *id,
		      const char *digest, char hex[65])
{
	char input[128];
	unsigned char mac[32];
	unsigned int maclen = 0;

	snprintf(input, sizeof(input), "%s:%s", id, digest);
	if (!HMAC(EVP_sha256(), key, RELEASE_KEY_LEN,
		  (const unsigned char *)input, strlen(input), mac, &maclen) ||
	    maclen != 32)
		return -1;
	digest_hex(mac, sizeof(mac), hex);
	return 0;
}

char *release_stamp(const unsigned char key[RELEASE_KEY_LEN], const char *id,
		    const char *digest)
{
	char hex[65], *out;

	if (!quarantine_id_valid(id) || stamp_hmac(key, id, digest, hex) < 0)
		return NULL;
	if (asprintf(&out, "%s; hmac=%s", id, hex) < 0)
		return NULL;
	return out;
}

int release_stamp_valid(const unsigned char key[RELEASE_KEY_LEN],
			const char *value, const char *digest, char id_out[64])
{
	char id[QUARANTINE_ID_LEN + 1], want[65];
	const char *mac;

	while (*value == ' ' || *value == '\t')
		value++;
	if (strlen(value) < QUARANTINE_ID_LEN)
		return 0;
	memcpy(id, value, QUARANTINE_ID_LEN);
	id[QUARANTINE_ID_LEN] = '\0';
	mac = strstr(value, "; hmac=");
	if (!quarantine_id_valid(id) || !mac ||
	    mac != value + QUARANTINE_ID_LEN)
		return 0;
	mac += 7;
	if (strlen(mac) < 64 || stamp_hmac(key, id, digest, want) < 0)
		return 0;
	if (CRYPTO_memcmp(mac, want, 64) != 0)
		return 0;
	snprintf(id_out, 64, "%s", id);
	return 1;
}

struct upload {
	const char *parts[3];
	size_t lens[3];
	size_t part, off;
};

static size_t upload_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t room = size * nitems, done = 0;

	while (done < room && u->part < 3) {
		size_t left = u->lens[u->part] - u->off;
		size_t n = left < room - done ? left : room - done;
		memcpy(buf + done, u->parts[u->part] + u->off, n);
		done += n;
		u->off += n;
		if (u->off == u->lens[u->part]) {
			u->part++;
			u->off = 0;
		}
	}
	return done;
}

static int address_ok(const char *a)
{
	return a && strlen(a) < 512 && !strpbrk(a, "\r\n<>");
}

int release_send(const char *smtp, const char *sender, const char *const *rcpts,
		 size_t nrcpts, const char *header_field, struct span message,
		 char *err, size_t errlen)
{
	char url[512], from[600], *header = NULL;
	struct curl_slist *to = NULL;
	struct upload up = {0};
	CURL *curl;
	CURLcode cc;
	int rc = -1;

	if (!address_ok(sender) || nrcpts == 0) {
		snprintf(err, errlen, "no usable sender or recipients");
		return -1;
	}
	for (size_t i = 0; i < nrcpts; i++) {
		char rcpt[600];
		if (!address_ok(rcpts[i])) {
			snprintf(err, errlen, "refused recipient address");
			goto out;
		}
		snprintf(rcpt, sizeof(rcpt), "<%s>", rcpts[i]);
		to = curl_slist_append(to, rcpt);
	}
	if (strpbrk(header_field, "\r\n") ||
	    asprintf(&header, "%s\r\n", header_field) < 0)
		goto out;
	snprintf(url, sizeof(url), "smtp://%s", smtp);
	snprintf(from, sizeof(from), "<%s>", sender);
	up.parts[0] = header;
	up.lens[0] = strlen(header);
	up.parts[1] = (const char *)message.ptr;
	up.lens[1] = message.len;
	up.parts[2] = "";
	up.lens[2] = 0;
	curl = curl_easy_init();
	if (!curl)
		goto out;
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp");
	cc = curl_easy_perform(curl);
	if (cc == CURLE_OK)
		rc = 0;
	else
		snprintf(err, errlen, "%s", curl_easy_strerror(cc));
	curl_easy_cleanup(curl);
out:
	curl_slist_free_all(to);
	free(header);
	return rc;
}
