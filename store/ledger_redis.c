/*
 * ledger_redis - the ledger's shared backend, for several MTA hosts: Redis
 * through hiredis, at redis://HOST:PORT/DB. Keys are "kensa:m:" (a
 * message) or "kensa:n:" (a display name) and the keyed hash in hex; values
 * expire by the server (SET ... EX retention). AUTH (with an ACL user when
 * redis_user is set) reads the password from redis_password_file, which must
 * not be readable by group or others.
 *
 * Limits: connect and every command time out after timeout_ms (at most
 * 100 ms by default); after a failure the circuit opens for
 * REDIS_RETRY_SECONDS and calls fail at once, so an unreachable server
 * costs one timeout, not one per message. One connection, shared under a
 * mutex.
 */
#include <errno.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../parser/digest.h"
#include "ledger_backend.h"

#define REDIS_RETRY_SECONDS 5
#define REDIS_PREFIX	    "kensa:"
#define REDIS_KEY_MAX	    128
#define REDIS_PASSWORD_MAX  512

struct redis_state {
	pthread_mutex_t lock;
	redisContext *c;
	char host[256];
	int port, db;
	unsigned timeout_ms;
	char *user, *password;
	time_t closed_until; /* circuit open: fail without trying */
	char why[LEDGER_ERR_LEN];
};

static int parse_url(const char *url, struct redis_state *s, char *err)
{
	const char *p = url + strlen("redis://"), *colon, *slash;
	size_t hlen;
	char *end;

	if (strchr(p, '@')) {
		snprintf(err, LEDGER_ERR_LEN,
			 "no password in the URL: use redis_password_file");
		return -1;
	}
	if (*p == '[') { /* [IPv6]:port */
		const char *close = strchr(p, ']');
		if (!close)
			goto bad;
		hlen = (size_t)(close - p - 1);
		p++;
		colon = close + 1;
	} else {
		colon = p + strcspn(p, ":/");
		hlen = (size_t)(colon - p);
	}
	if (hlen == 0 || hlen >= sizeof(s->host))
		goto bad;
	memcpy(s->host, p, hlen);
	s->host[hlen] = '\0';
	s->port = 6379;
	if (*colon == ':') {
		s->port = (int)strtol(colon + 1, &end, 10);
		if (end == colon + 1 || s->port < 1 || s->port > 65535)
			goto bad;
		colon = end;
	}
	slash = colon;
	if (*slash == '/' && slash[1]) {
		s->db = (int)strtol(slash + 1, &end, 10);
		if (*end || s->db < 0)
			goto bad;
	} else if (*slash && strcmp(slash, "/") != 0) {
		goto bad;
	}
	return 0;
bad:
	snprintf(err, LEDGER_ERR_LEN, "expected redis://HOST:PORT/DB");
	return -1;
}

static int read_password(const char *path, char **out, char *err)
{
	char buf[REDIS_PASSWORD_MAX + 1];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	if (fd < 0) {
		snprintf(err, LEDGER_ERR_LEN, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || (st.st_mode & 077)) {
		close(fd);
		snprintf(err, LEDGER_ERR_LEN,
			 "%s: must not be readable by group or others (chmod "
			 "600)",
			 path);
		return -1;
	}
	n = read(fd, buf, REDIS_PASSWORD_MAX);
	close(fd);
	if (n < 0) {
		snprintf(err, LEDGER_ERR_LEN, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	*out = strdup(buf);
	memset(buf, 0, sizeof(buf));
	return *out ? 0 : -1;
}

static void disconnect(struct redis_state *s, const char *why)
{
	snprintf(s->why, sizeof(s->why), "redis %.60s:%d: %.80s", s->host,
		 s->port, why);
	if (s->c)
		redisFree(s->c);
	s->c = NULL;
	s->closed_until = time(NULL) + REDIS_RETRY_SECONDS;
}

static redisReply *command_argv(struct redis_state *s, int argc,
				const char **argv, const size_t *lens)
{
	redisReply *r = redisCommandArgv(s->c, argc, argv, lens);

	if (!r) {
		disconnect(s, s->c->errstr[0] ? s->c->errstr : "no answer");
		return NULL;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		char why[LEDGER_ERR_LEN];
		snprintf(why, sizeof(why), "%s", r->str);
		freeReplyObject(r);
		disconnect(s, why);
		return NULL;
	}
	return r;
}

static int ok_command(struct redis_state *s, int argc, const char **argv)
{
	size_t lens[4];
	redisReply *r;

	for (int i = 0; i < argc; i++)
		lens[i] = strlen(argv[i]);
	r = command_argv(s, argc, argv, lens);
	if (r)
		freeReplyObject(r);
	return r ? 0 : -1;
}

/* Connected, authenticated and on the right database, or -1. */
static int ensure_connected(struct redis_state *s)
{
	struct timeval tv = {s->timeout_ms / 1000,
			     (long)(s->timeout_ms % 1000) * 1000};
	char db[16];

	if (s->c)
		return 0;
	if (time(NULL) < s->closed_until)
		return -1;
	s->c = redisConnectWithTimeout(s->host, s->port, tv);
	if (!s->c || s->c->err) {
		disconnect(s, s->c ? s->c->errstr : "out of memory");
		return -1;
	}
	if (redisSetTimeout(s->c, tv) != REDIS_OK) {
		disconnect(s, "cannot set the timeout");
		return -1;
	}
	if (s->password &&
	    ok_command(s, s->user ? 3 : 2,
		       s->user ? (const char *[]){"AUTH", s->user, s->password}
			       : (const char *[]){"AUTH", s->password}) < 0)
		return -1;
	snprintf(db, sizeof(db), "%d", s->db);
	if (s->db && ok_command(s, 2, (const char *[]){"SELECT", db}) < 0)
		return -1;
	return 0;
}

/* "kensa:m:" and the hash in hex: the tag byte, then the hash. */
static size_t redis_key(const void *key, size_t klen, char *out)
{
	const unsigned char *k = key;
	size_t n =
	    (size_t)snprintf(out, REDIS_KEY_MAX, "%s%c:", REDIS_PREFIX, k[0]);

	if (klen > 1 && n + 2 * (klen - 1) < REDIS_KEY_MAX) {
		digest_hex(k + 1, klen - 1, out + n);
		n += 2 * (klen - 1);
	}
	return n;
}

static int fail(struct redis_state *s, char *err)
{
	snprintf(err, LEDGER_ERR_LEN, "%s", s->why);
	pthread_mutex_unlock(&s->lock);
	return -1;
}

static int redis_get(void *state, const void *key, size_t klen, void *val,
		     size_t cap, size_t *len, char *err)
{
	struct redis_state *s = state;
	char k[REDIS_KEY_MAX];
	const char *argv[2] = {"GET", k};
	size_t lens[2] = {3, 0};
	redisReply *r;
	int found;

	if (klen * 2 + 8 > REDIS_KEY_MAX)
		return 0;
	lens[1] = redis_key(key, klen, k);
	pthread_mutex_lock(&s->lock);
	if (ensure_connected(s) < 0 || !(r = command_argv(s, 2, argv, lens)))
		return fail(s, err);
	found = r->type == REDIS_REPLY_STRING;
	if (found) {
		*len = r->len < cap ? r->len : cap;
		memcpy(val, r->str, *len);
	}
	freeReplyObject(r);
	pthread_mutex_unlock(&s->lock);
	return found;
}

static int redis_put(void *state, const void *key, size_t klen, const void *val,
		     size_t len, unsigned long ttl, char *err)
{
	struct redis_state *s = state;
	char k[REDIS_KEY_MAX], seconds[24];
	const char *argv[5] = {"SET", k, val, "EX", seconds};
	size_t lens[5] = {3, 0, len, 2, 0};
	redisReply *r;

	if (klen * 2 + 8 > REDIS_KEY_MAX)
		return -1;
	lens[1] = redis_key(key, klen, k);
	lens[4] =
	    (size_t)snprintf(seconds, sizeof(seconds), "%lu", ttl ? ttl : 1);
	pthread_mutex_lock(&s->lock);
	if (ensure_connected(s) < 0 || !(r = command_argv(s, 5, argv, lens)))
		return fail(s, err);
	freeReplyObject(r);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static int redis_stats(void *state, struct ledger_stats *out, char *err)
{
	struct redis_state *s = state;
	const char *argv[1] = {"DBSIZE"};
	size_t lens[1] = {6};
	redisReply *r;

	pthread_mutex_lock(&s->lock);
	if (ensure_connected(s) < 0 || !(r = command_argv(s, 1, argv, lens)))
		return fail(s, err);
	out->entries = r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
	freeReplyObject(r);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static void redis_close(void *state)
{
	struct redis_state *s = state;

	if (!s)
		return;
	if (s->c)
		redisFree(s->c);
	if (s->password) {
		memset(s->password, 0, strlen(s->password));
		free(s->password);
	}
	free(s->user);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int ledger_redis_open(const char *url, const struct ledger_options *o,
		      struct ledger_backend *out, char *err)
{
	struct redis_state *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, LEDGER_ERR_LEN, "out of memory");
		return -1;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->timeout_ms = o->timeout_ms ? o->timeout_ms : 100;
	if (parse_url(url, s, err) < 0 ||
	    (o->redis_password_file && *o->redis_password_file &&
	     read_password(o->redis_password_file, &s->password, err) < 0) ||
	    (o->redis_user && *o->redis_user &&
	     !(s->user = strdup(o->redis_user)))) {
		redis_close(s);
		return -1;
	}
	*out = (struct ledger_backend){
	    "redis", s, redis_get, redis_put, NULL, redis_stats, redis_close};
	return 0;
}
