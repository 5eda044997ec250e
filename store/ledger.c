#include "ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../parser/address.h"
#include "ledger_backend.h"

#define KEY_BYTES    32
#define ENTRY_MAGIC  "KLm1"
#define NAME_MAGIC   "KLn1"
#define MAGIC_LEN    4
#define NAME_REFRESH 86400 /* seconds before a known name is written again */

struct ledger {
	struct ledger_backend be;
	unsigned char key[KEY_BYTES];
	EVP_MAC_CTX *mac; /* HMAC-SHA-256 keyed once; copied for each hash */
	unsigned long retention;
	char *location;
	pthread_mutex_t lock; /* guards last_error */
	char last_error[LEDGER_ERR_LEN];
};

static void set_error(struct ledger *l, const char *why)
{
	pthread_mutex_lock(&l->lock);
	snprintf(l->last_error, sizeof(l->last_error), "%s", why);
	pthread_mutex_unlock(&l->lock);
}

const char *ledger_last_error(const struct ledger *l)
{
	return l->last_error;
}

const char *ledger_location(const struct ledger *l)
{
	return l->location;
}

/* Reads the key, or makes one (mode 0600) when writable and missing. */
static int load_key(const char *path, int readonly,
		    unsigned char key[KEY_BYTES], char *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 && errno == ENOENT && !readonly) {
		if (RAND_bytes(key, KEY_BYTES) != 1) {
			snprintf(err, LEDGER_ERR_LEN, "no random bytes");
			return -1;
		}
		fd = open(path,
			  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  0600);
		if (fd >= 0 && write(fd, key, KEY_BYTES) == KEY_BYTES &&
		    fsync(fd) == 0 && close(fd) == 0)
			return 0;
		if (fd >= 0)
			close(fd);
		snprintf(err, LEDGER_ERR_LEN, "cannot create key %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (fd < 0) {
		snprintf(err, LEDGER_ERR_LEN, "cannot read key %s: %s", path,
			 strerror(errno));
		return -1;
	}
	n = read(fd, key, KEY_BYTES);
	close(fd);
	if (n != KEY_BYTES) {
		snprintf(err, LEDGER_ERR_LEN, "key %s: expected %d bytes", path,
			 KEY_BYTES);
		return -1;
	}
	return 0;
}

/* The HMAC-SHA-256 context with the ledger key set, which every hash
 * starts from (setting the key is most of the cost of a short HMAC). */
static int mac_init(struct ledger *l, char *err)
{
	char digest[] = "SHA256";
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
	    OSSL_PARAM_construct_end()};
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);

	l->mac = mac ? EVP_MAC_CTX_new(mac) : NULL;
	EVP_MAC_free(mac);
	if (!l->mac || !EVP_MAC_init(l->mac, l->key, KEY_BYTES, params)) {
		snprintf(err, LEDGER_ERR_LEN, "HMAC-SHA-256 unavailable");
		return -1;
	}
	return 0;
}

int ledger_open(const struct ledger_options *o, struct ledger **out,
		char **error)
{
	char err[LEDGER_ERR_LEN] = "";
	struct ledger *l = calloc(1, sizeof(*l));
	int rc;

	*out = NULL;
	*error = NULL;
	if (!l || !(l->location = strdup(o->location))) {
		free(l);
		*error = strdup("out of memory");
		return -1;
	}
	pthread_mutex_init(&l->lock, NULL);
	l->retention = o->retention;
	if (strncmp(o->location, "redis://", 8) == 0)
		rc = ledger_redis_open(o->location, o, &l->be, err);
	else
		rc = ledger_lmdb_open(o->location, o->map_size, o->readonly,
				      &l->be, err);
	if (rc == 0 && (load_key(o->key_file, o->readonly, l->key, err) < 0 ||
			mac_init(l, err) < 0)) {
		l->be.close(l->be.state);
		rc = -1;
	}
	if (rc < 0) {
		if (asprintf(error, "ledger %s: %s", o->location, err) < 0)
			*error = NULL;
		EVP_MAC_CTX_free(l->mac);
		OPENSSL_cleanse(l->key, sizeof(l->key));
		pthread_mutex_destroy(&l->lock);
		free(l->location);
		free(l);
		return -1;
	}
	*out = l;
	return 0;
}

void ledger_close(struct ledger *l)
{
	if (!l)
		return;
	l->be.close(l->be.state);
	EVP_MAC_CTX_free(l->mac);
	OPENSSL_cleanse(l->key, sizeof(l->key));
	pthread_mutex_destroy(&l->lock);
	free(l->location);
	free(l);
}

/* HMAC-SHA-256 with the ledger key over a || b; 0, or -1 without memory. */
static int hmac2(const struct ledger *l, const void *a, size_t alen,
		 const void *b, size_t blen, struct ledger_hash *out)
{
	EVP_MAC_CTX *c = EVP_MAC_CTX_dup(l->mac);
	size_t len = 0;
	int ok = c && EVP_MAC_update(c, a, alen) &&
		 EVP_MAC_update(c, b, blen) &&
		 EVP_MAC_final(c, out->b, &len, LEDGER_HASH_LEN) &&
		 len == LEDGER_HASH_LEN;

	EVP_MAC_CTX_free(c);
	return ok ? 0 : -1;
}

int ledger_hash_text(const struct ledger *l, const char *text,
		     struct ledger_hash *out)
{
	return hmac2(l, "t", 1, text, strlen(text), out);
}

int ledger_hash_in(const struct ledger_hash *set, unsigned n,
		   const struct ledger_hash *h)
{
	for (unsigned i = 0; i < n; i++)
		if (memcmp(set[i].b, h->b, LEDGER_HASH_LEN) == 0)
			return 1;
	return 0;
}

/* The backend key of a Message-ID ('m') or a display name ('n'): the tag
 * and the keyed hash of the normalized text. */
static int backend_key(const struct ledger *l, char tag, const char *text,
		       unsigned char key[1 + LEDGER_HASH_LEN])
{
	struct ledger_hash h;

	if (hmac2(l, &tag, 1, text, strlen(text), &h) < 0)
		return -1;
	key[0] = (unsigned char)tag;
	memcpy(key + 1, h.b, LEDGER_HASH_LEN);
	return 0;
}

/* "<Local@Example.COM>" -> "Local@example.com": brackets and space gone,
 * the domain lower-cased (the local part is case-sensitive). */
static char *normalize_message_id(const char *id)
{
	size_t len;
	char *out, *at;

	while (*id == ' ' || *id == '\t' || *id == '<')
		id++;
	len = strcspn(id, "> \t\r\n");
	if (len == 0 || !(out = strndup(id, len)))
		return NULL;
	if ((at = strrchr(out, '@')) != NULL)
		address_lower(at);
	return out;
}

struct wbuf {
	unsigned char *p;
	size_t len, cap;
};

static void put_bytes(struct wbuf *w, const void *b, size_t n)
{
	if (w->len + n <= w->cap)
		memcpy(w->p + w->len, b, n);
	w->len += n;
}

static void put_u64(struct wbuf *w, uint64_t v)
{
	unsigned char b[8];

	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)v;
	put_bytes(w, b, 8);
}

static int seal(const struct ledger *l, const unsigned char *key,
		struct wbuf *w)
{
	struct ledger_hash mac;

	if (w->len + LEDGER_HASH_LEN > w->cap ||
	    hmac2(l, key, 1 + LEDGER_HASH_LEN, w->p, w->len, &mac) < 0)
		return -1;
	put_bytes(w, mac.b, LEDGER_HASH_LEN);
	return 0;
}

struct rbuf {
	const unsigned char *p;
	size_t len, off;
	int bad;
};

static const unsigned char *take(struct rbuf *r, size_t n)
{
	const unsigned char *at = r->p + r->off;

	if (r->bad || n > r->len - r->off) {
		r->bad = 1;
		return NULL;
	}
	r->off += n;
	return at;
}

static uint64_t take_u64(struct rbuf *r)
{
	const unsigned char *b = take(r, 8);
	uint64_t v = 0;

	for (int i = 0; b && i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static unsigned take_u8(struct rbuf *r)
{
	const unsigned char *b = take(r, 1);
	return b ? *b : 0;
}

static void take_hashes(struct rbuf *r, struct ledger_hash *h, unsigned n)
{
	const unsigned char *b = take(r, (size_t)n * LEDGER_HASH_LEN);

	if (b)
		memcpy(h, b, (size_t)n * LEDGER_HASH_LEN);
}

/* Checks magic and MAC; on success r covers the fields after the magic. */
static int unseal(const struct ledger *l, const unsigned char *key,
		  const char *magic, struct rbuf *r)
{
	struct ledger_hash mac;

	if (r->len < MAGIC_LEN + LEDGER_HASH_LEN ||
	    memcmp(r->p, magic, MAGIC_LEN) != 0)
		return -1;
	r->len -= LEDGER_HASH_LEN;
	if (hmac2(l, key, 1 + LEDGER_HASH_LEN, r->p, r->len, &mac) < 0 ||
	    CRYPTO_memcmp(mac.b, r->p + r->len, LEDGER_HASH_LEN) != 0)
		return -1;
	r->off = MAGIC_LEN;
	return 0;
}

static int expired(const struct ledger *l, uint64_t t)
{
	return t + l->retention < (uint64_t)time(NULL);
}

static enum ledger_status get_value(struct ledger *l, const unsigned char *key,
				    const char *magic, unsigned char *val,
				    struct rbuf *r)
{
	char err[LEDGER_ERR_LEN] = "";
	size_t len = 0;
	int rc = l->be.get(l->be.state, key, 1 + LEDGER_HASH_LEN, val,
			   LEDGER_VALUE_MAX, &len, err);

	if (rc < 0) {
		set_error(l, err);
		return LEDGER_UNKNOWN;
	}
	if (rc == 0)
		return LEDGER_ABSENT;
	*r = (struct rbuf){val, len, 0, 0};
	if (unseal(l, key, magic, r) < 0) {
		set_error(l, "an entry failed its check (wrong key_file, or "
			     "written by someone without it): ignored");
		return LEDGER_ABSENT;
	}
	return LEDGER_FOUND;
}

static int put_value(struct ledger *l, const unsigned char *key, struct wbuf *w)
{
	char err[LEDGER_ERR_LEN] = "";

	if (seal(l, key, w) < 0) {
		set_error(l, "entry too large");
		return -1;
	}
	if (l->be.put(l->be.state, key, 1 + LEDGER_HASH_LEN, w->p, w->len,
		      l->retention, err) < 0) {
		set_error(l, err);
		return -1;
	}
	return 0;
}

int ledger_put(struct ledger *l, const char *message_id,
	       const struct ledger_entry *e)
{
	unsigned char key[1 + LEDGER_HASH_LEN], val[LEDGER_VALUE_MAX];
	struct wbuf w = {val, 0, sizeof(val)};
	char *id = normalize_message_id(message_id);
	size_t dlen = strnlen(e->domains, LEDGER_DOMAINS_LEN);
	int rc;

	if (!id || backend_key(l, 'm', id, key) < 0) {
		free(id);
		set_error(l, "no usable Message-ID");
		return -1;
	}
	free(id);
	put_bytes(&w, ENTRY_MAGIC, MAGIC_LEN);
	put_u64(&w, e->time);
	put_bytes(&w, e->sender.b, LEDGER_HASH_LEN);
	put_bytes(&w, e->subject.b, LEDGER_HASH_LEN);
	put_bytes(&w, (unsigned char[]){(unsigned char)e->nrcpts}, 1);
	put_bytes(&w, (unsigned char[]){(unsigned char)e->norgs}, 1);
	put_bytes(&w, (unsigned char[]){(unsigned char)dlen}, 1);
	put_bytes(&w, e->rcpt, (size_t)e->nrcpts * LEDGER_HASH_LEN);
	put_bytes(&w, e->org, (size_t)e->norgs * LEDGER_HASH_LEN);
	put_bytes(&w, e->domains, dlen);
	rc = put_value(l, key, &w);
	return rc;
}

enum ledger_status ledger_get(struct ledger *l, const char *message_id,
			      struct ledger_entry *out)
{
	unsigned char key[1 + LEDGER_HASH_LEN], val[LEDGER_VALUE_MAX];
	char *id = normalize_message_id(message_id);
	enum ledger_status st;
	struct rbuf r;
	unsigned dlen;
	const unsigned char *d;

	memset(out, 0, sizeof(*out));
	if (!id)
		return LEDGER_ABSENT;
	if (backend_key(l, 'm', id, key) < 0) {
		free(id);
		return LEDGER_UNKNOWN;
	}
	free(id);
	st = get_value(l, key, ENTRY_MAGIC, val, &r);
	if (st != LEDGER_FOUND)
		return st;
	out->time = take_u64(&r);
	take_hashes(&r, &out->sender, 1);
	take_hashes(&r, &out->subject, 1);
	out->nrcpts = take_u8(&r);
	out->norgs = take_u8(&r);
	dlen = take_u8(&r);
	if (out->nrcpts > LEDGER_MAX_RCPTS || out->norgs > LEDGER_MAX_ORGS ||
	    dlen > LEDGER_DOMAINS_LEN)
		r.bad = 1;
	take_hashes(&r, out->rcpt, r.bad ? 0 : out->nrcpts);
	take_hashes(&r, out->org, r.bad ? 0 : out->norgs);
	d = take(&r, dlen);
	if (r.bad || r.off != r.len) {
		set_error(l, "a malformed entry: ignored");
		memset(out, 0, sizeof(*out));
		return LEDGER_ABSENT;
	}
	memcpy(out->domains, d, dlen);
	out->domains[dlen] = '\0';
	return expired(l, out->time) ? LEDGER_ABSENT : LEDGER_FOUND;
}

enum ledger_status ledger_name_get(struct ledger *l, const char *name,
				   struct ledger_name *out)
{
	unsigned char key[1 + LEDGER_HASH_LEN], val[LEDGER_VALUE_MAX];
	enum ledger_status st;
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	if (backend_key(l, 'n', name, key) < 0)
		return LEDGER_UNKNOWN;
	st = get_value(l, key, NAME_MAGIC, val, &r);
	if (st != LEDGER_FOUND)
		return st;
	out->time = take_u64(&r);
	out->norgs = take_u8(&r);
	if (out->norgs > LEDGER_MAX_ORGS)
		r.bad = 1;
	take_hashes(&r, out->org, r.bad ? 0 : out->norgs);
	if (r.bad || r.off != r.len) {
		set_error(l, "a malformed name entry: ignored");
		memset(out, 0, sizeof(*out));
		return LEDGER_ABSENT;
	}
	return expired(l, out->time) ? LEDGER_ABSENT : LEDGER_FOUND;
}

int ledger_name_add(struct ledger *l, const char *name,
		    const struct ledger_hash *org)
{
	unsigned char key[1 + LEDGER_HASH_LEN], val[LEDGER_VALUE_MAX];
	struct wbuf w = {val, 0, sizeof(val)};
	struct ledger_name n;

	if (ledger_name_get(l, name, &n) == LEDGER_UNKNOWN ||
	    backend_key(l, 'n', name, key) < 0)
		return -1;
	if (ledger_hash_in(n.org, n.norgs, org) &&
	    n.time + NAME_REFRESH > (uint64_t)time(NULL))
		return 0; /* known, and recently: spare the write */
	if (!ledger_hash_in(n.org, n.norgs, org)) {
		if (n.norgs == LEDGER_MAX_ORGS) /* the oldest goes */
			memmove(n.org, n.org + 1, --n.norgs * sizeof(n.org[0]));
		n.org[n.norgs++] = *org;
	}
	put_bytes(&w, NAME_MAGIC, MAGIC_LEN);
	put_u64(&w, (uint64_t)time(NULL));
	put_bytes(&w, (unsigned char[]){(unsigned char)n.norgs}, 1);
	put_bytes(&w, n.org, (size_t)n.norgs * LEDGER_HASH_LEN);
	return put_value(l, key, &w);
}

/* An entry is expired when its time (right after the magic) is. */
static int sweep_expired(const void *key, size_t klen, const void *val,
			 size_t len, void *arg)
{
	const struct ledger *l = arg;
	struct rbuf r = {val, len, MAGIC_LEN, 0};
	uint64_t t = take_u64(&r);

	return !r.bad && expired(l, t);
}

int ledger_expire(struct ledger *l, unsigned long *removed)
{
	char err[LEDGER_ERR_LEN] = "";

	*removed = 0;
	if (!l->be.sweep)
		return 0;
	if (l->be.sweep(l->be.state, sweep_expired, l, removed, err) < 0) {
		set_error(l, err);
		return -1;
	}
	return 0;
}

int ledger_stats(struct ledger *l, struct ledger_stats *out)
{
	char err[LEDGER_ERR_LEN] = "";

	memset(out, 0, sizeof(*out));
	out->backend = l->be.name;
	if (l->be.stats(l->be.state, out, err) < 0) {
		set_error(l, err);
		return -1;
	}
	return 0;
}
