/*
 * ledger - the thread ledger: for every message we sent, who it went to,
 * so that a reply can be checked against the conversation it claims to
 * continue; and, per display name, the organizations our correspondents
 * write from.
 *
 * Keys are a keyed hash (HMAC-SHA-256 with the ledger key, key_file) of
 * the Message-ID or the normalized display name; addresses and
 * organizational domains are stored as keyed hashes too, and every value
 * carries a MAC over its key and contents. Whoever can write the backend
 * but lacks the key can neither mint an entry that verifies a reply nor
 * read whom we wrote to; a value that fails its MAC reads as absent and
 * is logged. Only the recipient domains are kept in clear, for the
 * detail of thread.ledger_mismatch.
 *
 * Backends: LMDB (a directory; ledger_lmdb.c) and Redis (redis://HOST:
 * PORT/DB; ledger_redis.c). Entries expire after the retention. Any
 * failure reads as LEDGER_UNKNOWN: the ledger never stops mail by itself.
 * Limits: LEDGER_MAX_RCPTS recipients and LEDGER_MAX_ORGS organizations
 * per entry (the rest are not stored), LEDGER_DOMAINS_LEN bytes of
 * domains text.
 */
#ifndef KENSA_LEDGER_H
#define KENSA_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#define LEDGER_HASH_LEN	   32
#define LEDGER_MAX_RCPTS   100
#define LEDGER_MAX_ORGS	   32
#define LEDGER_DOMAINS_LEN 200

enum ledger_status { LEDGER_ABSENT, LEDGER_FOUND, LEDGER_UNKNOWN };

struct ledger;

struct ledger_options {
	const char *location;	 /* directory (LMDB) or redis://HOST:PORT/DB */
	const char *key_file;	 /* the HMAC key; created if missing */
	size_t map_size;	 /* LMDB map size */
	unsigned long retention; /* seconds */
	unsigned timeout_ms;	 /* Redis connect and command timeout */
	const char *redis_user;	 /* ACL user, or NULL/"" */
	const char *redis_password_file; /* mode 0600, or NULL/"" */
	int readonly;			 /* kensa scan, ledger show */
};

struct ledger_hash {
	unsigned char b[LEDGER_HASH_LEN];
};

/* One message we sent. */
struct ledger_entry {
	uint64_t time; /* when it was recorded, Unix seconds */
	struct ledger_hash sender;
	struct ledger_hash subject; /* the normalized subject */
	unsigned nrcpts, norgs;
	struct ledger_hash rcpt[LEDGER_MAX_RCPTS];
	struct ledger_hash org[LEDGER_MAX_ORGS]; /* recipients' org domains */
	char domains[LEDGER_DOMAINS_LEN + 1];	 /* "a.example b.example" */
};

/* The organizations a display name was seen from. */
struct ledger_name {
	uint64_t time;
	unsigned norgs;
	struct ledger_hash org[LEDGER_MAX_ORGS];
};

struct ledger_stats {
	const char *backend;
	long long entries; /* -1 when the backend cannot count them */
	size_t bytes_used, bytes_max;
};

int ledger_open(const struct ledger_options *o, struct ledger **out,
		char **error);
void ledger_close(struct ledger *l);
const char *ledger_location(const struct ledger *l);
/* Why the last call failed (for a log line); never NULL. */
const char *ledger_last_error(const struct ledger *l);

/* The keyed hash of a text (lower-cased by the caller where it should). */
int ledger_hash_text(const struct ledger *l, const char *text,
		     struct ledger_hash *out);
int ledger_hash_in(const struct ledger_hash *set, unsigned n,
		   const struct ledger_hash *h);

int ledger_put(struct ledger *l, const char *message_id,
	       const struct ledger_entry *e);
enum ledger_status ledger_get(struct ledger *l, const char *message_id,
			      struct ledger_entry *out);
/* Adds org to the organizations of name (kept at most LEDGER_MAX_ORGS). */
int ledger_name_add(struct ledger *l, const char *name,
		    const struct ledger_hash *org);
enum ledger_status ledger_name_get(struct ledger *l, const char *name,
				   struct ledger_name *out);
/* Removes expired entries (LMDB; Redis expires keys itself). */
int ledger_expire(struct ledger *l, unsigned long *removed);
int ledger_stats(struct ledger *l, struct ledger_stats *out);

#endif
