/*
 * bench_ledger - the cost of a thread ledger lookup with LMDB: fills a
 * fresh ledger in a temporary directory with ENTRIES outbound messages
 * (three recipients each), then times, in ROUNDS rounds of LOOKUPS each:
 * a bare mdb_get of a stored key (the floor), ledger_get (keyed hash,
 * MAC check, decoding) and a whole inbound thread check of a reply
 * (thread_ledger_check: In-Reply-To and References looked up, the name,
 * the Message-ID). Prints the median microseconds per call of each and
 * the ratio to the floor. Not a test: numbers for BENCHMARKS.md.
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../parser/scan.h"
#include "../../store/ledger.h"
#include "../../store/thread_ledger.h"

#define ENTRIES 20000
#define LOOKUPS 20000
#define ROUNDS	5

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), by_value);
	return v[ROUNDS / 2];
}

static void message_id(unsigned n, char *out, size_t len)
{
	snprintf(out, len, "<%08x.%u@mail.ours.example>", n * 2654435761u, n);
}

static int fill(struct ledger *l)
{
	struct ledger_entry *e = calloc(1, sizeof(*e));
	char id[64], rcpt[64];

	for (unsigned i = 0; e && i < ENTRIES; i++) {
		memset(e, 0, sizeof(*e));
		e->time = (uint64_t)time(NULL);
		for (unsigned r = 0; r < 3; r++) {
			snprintf(rcpt, sizeof(rcpt), "user%u@partner%u.example",
				 r, i % 1000);
			ledger_hash_text(l, rcpt, &e->rcpt[e->nrcpts++]);
		}
		snprintf(rcpt, sizeof(rcpt), "partner%u.example", i % 1000);
		ledger_hash_text(l, rcpt, &e->org[e->norgs++]);
		snprintf(e->domains, sizeof(e->domains), "%s", rcpt);
		message_id(i, id, sizeof(id));
		if (ledger_put(l, id, e) < 0) {
			free(e);
			return -1;
		}
	}
	free(e);
	return e ? 0 : -1;
}

/* The floor: the same number of mdb_get calls on the raw database. */
static double raw_round(const char *dir)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_cursor *cur;
	MDB_val k, v;
	unsigned char(*keys)[33] = malloc(LOOKUPS * sizeof(*keys));
	unsigned n = 0;
	double t0, t1;

	mdb_env_create(&env);
	mdb_env_set_maxreaders(env, 1024);
	mdb_env_open(env, dir, MDB_NOTLS | MDB_RDONLY, 0600);
	mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
	mdb_dbi_open(txn, NULL, 0, &dbi);
	mdb_cursor_open(txn, dbi, &cur);
	for (int op = MDB_FIRST;
	     n < LOOKUPS && mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT)
		if (k.mv_size == 33)
			memcpy(keys[n++], k.mv_data, 33);
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	t0 = now_us();
	for (unsigned i = 0; i < LOOKUPS; i++) {
		MDB_val key = {33, keys[(i * 7919u) % n]}, val;
		mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
		mdb_get(txn, dbi, &key, &val);
		mdb_txn_abort(txn);
	}
	t1 = now_us();
	mdb_env_close(env);
	free(keys);
	return (t1 - t0) / LOOKUPS;
}

static double get_round(struct ledger *l)
{
	struct ledger_entry *e = malloc(sizeof(*e));
	char id[64];
	unsigned found = 0;
	double t0 = now_us(), t1;

	for (unsigned i = 0; i < LOOKUPS; i++) {
		message_id((i * 7919u) % ENTRIES, id, sizeof(id));
		found += ledger_get(l, id, e) == LEDGER_FOUND;
	}
	t1 = now_us();
	free(e);
	if (found != LOOKUPS)
		fprintf(stderr, "bench_ledger: %u of %u found\n", found,
			LOOKUPS);
	return (t1 - t0) / LOOKUPS;
}

static double check_round(struct ledger *l)
{
	char id[64], older[64], text[512];
	double total = 0;
	const char *err;

	for (unsigned i = 0; i < LOOKUPS / 10; i++) {
		struct report r;
		struct scan_options o = {.limits = SCAN_LIMITS_DEFAULT};
		message_id((i * 7919u) % ENTRIES, id, sizeof(id));
		message_id((i * 104729u) % ENTRIES, older, sizeof(older));
		snprintf(text, sizeof(text),
			 "From: Hanako Suzuki <user1@partner%u.example>\r\n"
			 "Message-ID: <r%u@partner.example>\r\n"
			 "In-Reply-To: %s\r\nReferences: %s %s\r\n\r\nok\r\n",
			 ((i * 7919u) % ENTRIES) % 1000, i, id, older, id);
		scan_message(span_str(text), &o, &r);
		double t0 = now_us();
		thread_ledger_check(l, 0, "ours.example", NULL, &r, &err);
		total += now_us() - t0;
		if (!report_has_finding(&r, "thread.reply_verified"))
			fprintf(stderr, "bench_ledger: not verified\n");
		report_free(&r);
	}
	return total / (LOOKUPS / 10);
}

int main(void)
{
	char dir[] = "/tmp/kensa-bench-ledger.XXXXXX", db[64], key[64], cmd[96];
	struct ledger_options o = {
	    .map_size = 1UL << 30, .retention = 86400, .key_file = key};
	struct ledger *l;
	char *error = NULL;
	double raw[ROUNDS], get[ROUNDS], check[ROUNDS], t0;

	if (!mkdtemp(dir))
		return 1;
	snprintf(db, sizeof(db), "%s/db", dir);
	snprintf(key, sizeof(key), "%s/key", dir);
	o.location = db;
	scan_global_init();
	if (ledger_open(&o, &l, &error) < 0) {
		fprintf(stderr, "bench_ledger: %s\n", error);
		return 1;
	}
	t0 = now_us();
	if (fill(l) < 0) {
		fprintf(stderr, "bench_ledger: %s\n", ledger_last_error(l));
		return 1;
	}
	printf("ledger (LMDB): %d entries recorded in %.1f s (%.1f us each)\n",
	       ENTRIES, (now_us() - t0) / 1e6, (now_us() - t0) / ENTRIES);
	for (int r = 0; r < ROUNDS; r++) {
		raw[r] = raw_round(db);
		get[r] = get_round(l);
		check[r] = check_round(l);
	}
	double floor_us = median(raw);
	printf("median of %d rounds, us per call:\n", ROUNDS);
	printf("  mdb_get (floor)       %7.2f\n", floor_us);
	printf("  ledger_get            %7.2f  (%.1fx the floor)\n",
	       median(get), median(get) / floor_us);
	printf("  thread_ledger_check   %7.2f  (a reply: 2 references, its "
	       "sender, its name)\n",
	       median(check));
	ledger_close(l);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
