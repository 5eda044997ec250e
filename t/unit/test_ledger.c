/*
 * test_ledger - store/ledger with its LMDB backend, on a real LMDB in a
 * temporary directory: entries round-trip; a value changed behind the
 * ledger's back, or written with another key, reads as absent; expired
 * entries read as absent and are removed; many threads read and write at
 * once; and the thread checks of store/thread_ledger on real messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <lmdb.h>
#include <pthread.h>

#include "../../parser/scan.h"
#include "../../store/ledger.h"
#include "../../store/thread_ledger.h"
#include "testutil.h"

#define THREADS	   8
#define PER_THREAD 300

struct fixture {
	char dir[64];
	char key[96];
	struct ledger *l;
};

static struct ledger *open_ledger(const char *dir, const char *key,
				  unsigned long retention)
{
	struct ledger_options o = {.location = dir,
				   .key_file = key,
				   .map_size = 64UL << 20,
				   .retention = retention};
	struct ledger *l = NULL;
	char *error = NULL;

	if (ledger_open(&o, &l, &error) < 0)
		fail_msg("ledger_open: %s", error);
	return l;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/kensa-ledger.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->key, sizeof(f->key), "%s/key", f->dir);
	strcat(f->dir, "/db");
	f->l = open_ledger(f->dir, f->key, 86400);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	ledger_close(f->l);
	f->dir[strlen(f->dir) - 3] = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void entry_for(struct ledger *l, const char *rcpt, const char *org,
		      struct ledger_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->time = (uint64_t)time(NULL);
	ledger_hash_text(l, rcpt, &e->rcpt[e->nrcpts++]);
	ledger_hash_text(l, org, &e->org[e->norgs++]);
	snprintf(e->domains, sizeof(e->domains), "%s", org);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct ledger_entry e, got;
	struct ledger_hash h;

	entry_for(f->l, "bob@partner.example", "partner.example", &e);
	assert_int_equal(ledger_put(f->l, "<m1@ours.example>", &e), 0);
	/* brackets, spaces and the domain's case do not matter */
	assert_int_equal(ledger_get(f->l, " m1@OURS.example ", &got),
			 LEDGER_FOUND);
	assert_int_equal(got.nrcpts, 1);
	assert_string_equal(got.domains, "partner.example");
	ledger_hash_text(f->l, "bob@partner.example", &h);
	assert_true(ledger_hash_in(got.rcpt, got.nrcpts, &h));
	ledger_hash_text(f->l, "eve@partner.example", &h);
	assert_false(ledger_hash_in(got.rcpt, got.nrcpts, &h));
	/* the local part's case does */
	assert_int_equal(ledger_get(f->l, "<M1@ours.example>", &got),
			 LEDGER_ABSENT);
}

/* Every byte of a stored value is covered by its MAC. */
static void test_tampered_value_is_absent(void **state)
{
	struct fixture *f = *state;
	struct ledger_entry e, got;
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_cursor *cur;
	MDB_val k, v;
	unsigned char copy[8192];

	entry_for(f->l, "bob@partner.example", "partner.example", &e);
	assert_int_equal(ledger_put(f->l, "<m2@ours.example>", &e), 0);
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_open(env, f->dir, MDB_NOTLS, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
	assert_int_equal(mdb_cursor_open(txn, dbi, &cur), 0);
	assert_int_equal(mdb_cursor_get(cur, &k, &v, MDB_FIRST), 0);
	assert_true(v.mv_size < sizeof(copy));
	memcpy(copy, v.mv_data, v.mv_size);
	copy[20] ^= 1; /* a bit of the sender's hash */
	v.mv_data = copy;
	assert_int_equal(mdb_cursor_put(cur, &k, &v, MDB_CURRENT), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	assert_int_equal(ledger_get(f->l, "<m2@ours.example>", &got),
			 LEDGER_ABSENT);
	assert_non_null(strstr(ledger_last_error(f->l), "check"));
}

/* Someone with write access but another key mints nothing. */
static void test_other_key_mints_nothing(void **state)
{
	struct fixture *f = *state;
	char key2[128];
	struct ledger *other;
	struct ledger_entry e, got;

	snprintf(key2, sizeof(key2), "%s.other", f->key);
	other = open_ledger(f->dir, key2, 86400);
	entry_for(other, "eve@evil.example", "evil.example", &e);
	assert_int_equal(ledger_put(other, "<m3@ours.example>", &e), 0);
	assert_int_equal(ledger_get(other, "<m3@ours.example>", &got),
			 LEDGER_FOUND);
	ledger_close(other);
	assert_int_equal(ledger_get(f->l, "<m3@ours.example>", &got),
			 LEDGER_ABSENT);
}

static void test_expiry(void **state)
{
	struct fixture *f = *state;
	struct ledger_entry e, got;
	unsigned long removed = 0;

	entry_for(f->l, "bob@partner.example", "partner.example", &e);
	e.time -= 2 * 86400; /* recorded two days ago, retention one day */
	assert_int_equal(ledger_put(f->l, "<old@ours.example>", &e), 0);
	entry_for(f->l, "bob@partner.example", "partner.example", &e);
	assert_int_equal(ledger_put(f->l, "<new@ours.example>", &e), 0);
	assert_int_equal(ledger_get(f->l, "<old@ours.example>", &got),
			 LEDGER_ABSENT);
	assert_int_equal(ledger_expire(f->l, &removed), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(ledger_get(f->l, "<new@ours.example>", &got),
			 LEDGER_FOUND);
}

struct worker {
	struct ledger *l;
	int n, errors;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	struct ledger_entry *e = malloc(sizeof(*e)),
			    *got = malloc(sizeof(*got));
	char id[64], rcpt[64];

	for (int i = 0; i < PER_THREAD; i++) {
		snprintf(id, sizeof(id), "<t%d.%d@ours.example>", w->n, i);
		snprintf(rcpt, sizeof(rcpt), "r%d@partner.example", i);
		entry_for(w->l, rcpt, "partner.example", e);
		if (ledger_put(w->l, id, e) < 0 ||
		    ledger_get(w->l, id, got) != LEDGER_FOUND ||
		    got->nrcpts != 1 ||
		    memcmp(got->rcpt[0].b, e->rcpt[0].b, LEDGER_HASH_LEN))
			w->errors++;
		/* and an earlier one of another thread, maybe not there yet */
		snprintf(id, sizeof(id), "<t%d.%d@ours.example>",
			 (w->n + 1) % THREADS, i / 2);
		if (ledger_get(w->l, id, got) == LEDGER_UNKNOWN)
			w->errors++;
	}
	free(e);
	free(got);
	return NULL;
}

static void test_threads(void **state)
{
	struct fixture *f = *state;
	pthread_t t[THREADS];
	struct worker w[THREADS];
	struct ledger_stats st;

	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){f->l, i, 0};
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].errors, 0);
	}
	assert_int_equal(ledger_stats(f->l, &st), 0);
	assert_int_equal(st.entries, THREADS * PER_THREAD);
}

static void scan_text(const char *text, struct report *r)
{
	struct scan_options o = {.limits = SCAN_LIMITS_DEFAULT};

	assert_int_equal(scan_message(span_str(text), &o, r), 0);
}

static int has(const struct report *r, const char *id)
{
	return report_has_finding(r, id);
}

static void test_thread_checks(void **state)
{
	struct fixture *f = *state;
	struct report r;
	const char *err = NULL;
	struct envelope env = {0};
	char *rcpts[] = {"taro@ours.example"};

	scan_text("From: Taro Yamada <taro@ours.example>\r\n"
		  "To: Hanako Suzuki <hanako@partner.example>\r\n"
		  "Cc: bob@sub.other.example\r\n"
		  "Message-ID: <sent1@ours.example>\r\nSubject: quote\r\n\r\n"
		  "hello\r\n",
		  &r);
	assert_int_equal(thread_ledger_record(f->l, NULL, &r), 1);
	report_free(&r);

	/* the recipient answers; her organization's other host too */
	scan_text("From: Hanako Suzuki <hanako@partner.example>\r\n"
		  "Message-ID: <a@partner.example>\r\n"
		  "In-Reply-To: <sent1@ours.example>\r\n\r\nthanks\r\n",
		  &r);
	assert_int_equal(
	    thread_ledger_check(f->l, 1, "ours.example", NULL, &r, &err), 0);
	assert_true(has(&r, "thread.reply_verified"));
	assert_false(has(&r, "thread.ledger_mismatch"));
	report_free(&r);
	scan_text(
	    "From: bob <bob@mail.other.example>\r\n"
	    "References: <x@y.example> <sent1@ours.example>\r\n\r\nok\r\n",
	    &r);
	thread_ledger_check(f->l, 1, "ours.example", NULL, &r, &err);
	assert_true(has(&r, "thread.reply_verified"));
	report_free(&r);

	/* a stranger with her name answers the same thread */
	scan_text("From: \"Hanako  SUZUKI\" <hanako@evil.example>\r\n"
		  "To: taro@ours.example\r\n"
		  "Message-ID: <b@ours.example>\r\n"
		  "In-Reply-To: <sent1@ours.example>\r\n\r\nsee zip\r\n",
		  &r);
	env.rcpts = rcpts;
	env.nrcpts = 1;
	thread_ledger_check(f->l, 1, "ours.example", &env, &r, &err);
	assert_true(has(&r, "thread.ledger_mismatch"));
	assert_true(has(&r, "thread.display_name_impersonation"));
	assert_true(has(&r, "thread.msgid_recipient_domain"));
	assert_false(has(&r, "thread.reply_verified"));
	assert_null(err);
	report_free(&r);

	/* one of our Message-IDs the ledger never saw */
	scan_text("From: x <x@evil.example>\r\n"
		  "In-Reply-To: <never@mx.ours.example>\r\n\r\nhi\r\n",
		  &r);
	thread_ledger_check(f->l, 1, "ours.example", NULL, &r, &err);
	assert_true(has(&r, "thread.ledger_unknown"));
	report_free(&r);

	/* first contact, a role name, another site's thread: nothing */
	scan_text("From: Support <help@vendor.example>\r\n"
		  "To: taro@ours.example\r\nMessage-ID: <n@vendor.example>\r\n"
		  "In-Reply-To: <z@elsewhere.example>\r\n\r\nnews\r\n",
		  &r);
	thread_ledger_check(f->l, 1, "ours.example", NULL, &r, &err);
	assert_int_equal(r.nfindings, 0);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tampered_value_is_absent,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_other_key_mints_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_thread_checks, setup,
					    teardown),
	};

	scan_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
