/*
 * ledger_lmdb - the ledger's embedded backend: one LMDB environment in a
 * directory (created mode 0700 when missing). Safe for every thread of a
 * process (MDB_NOTLS: a transaction per call, never held across calls)
 * and for several processes at once (the daemon and `kensa ledger
 * record`); stale reader slots of dead processes are cleared at open
 * (mdb_reader_check). A full map (map_size) fails the write, which the
 * caller logs; reads go on. Commits flush the data but not the meta page
 * (MDB_NOMETASYNC): a system crash may undo the last write, never the
 * database's integrity.
 */
#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ledger_backend.h"

#define LMDB_MAX_READERS 1024

struct lmdb_state {
	MDB_env *env;
	MDB_dbi dbi;
};

static int failed(char *err, const char *what, int rc)
{
	snprintf(err, LEDGER_ERR_LEN, "%s: %s", what, mdb_strerror(rc));
	return -1;
}

static int lmdb_get(void *state, const void *key, size_t klen, void *val,
		    size_t cap, size_t *len, char *err)
{
	struct lmdb_state *s = state;
	MDB_txn *txn;
	MDB_val k = {klen, (void *)key}, v;
	int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn);

	if (rc)
		return failed(err, "read", rc);
	rc = mdb_get(txn, s->dbi, &k, &v);
	if (rc == 0) {
		*len = v.mv_size < cap ? v.mv_size : cap;
		memcpy(val, v.mv_data, *len);
	}
	mdb_txn_abort(txn);
	if (rc == MDB_NOTFOUND)
		return 0;
	return rc ? failed(err, "read", rc) : 1;
}

static int lmdb_put(void *state, const void *key, size_t klen, const void *val,
		    size_t len, unsigned long ttl, char *err)
{
	struct lmdb_state *s = state;
	MDB_txn *txn;
	MDB_val k = {klen, (void *)key}, v = {len, (void *)val};
	int rc = mdb_txn_begin(s->env, NULL, 0, &txn);

	if (rc)
		return failed(err, "write", rc);
	rc = mdb_put(txn, s->dbi, &k, &v, 0);
	if (rc) {
		mdb_txn_abort(txn);
		return failed(err, "write", rc);
	}
	rc = mdb_txn_commit(txn);
	return rc ? failed(err, "commit", rc) : 0;
}

static int lmdb_sweep(void *state,
		      int (*fn)(const void *key, size_t klen, const void *val,
				size_t len, void *arg),
		      void *arg, unsigned long *removed, char *err)
{
	struct lmdb_state *s = state;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_txn_begin(s->env, NULL, 0, &txn);

	if (rc)
		return failed(err, "expire", rc);
	rc = mdb_cursor_open(txn, s->dbi, &cur);
	for (int op = MDB_FIRST; rc == 0; op = MDB_NEXT) {
		rc = mdb_cursor_get(cur, &k, &v, op);
		if (rc == 0 &&
		    fn(k.mv_data, k.mv_size, v.mv_data, v.mv_size, arg)) {
			rc = mdb_cursor_del(cur, 0);
			(*removed)++;
		}
	}
	if (rc != MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		*removed = 0;
		return failed(err, "expire", rc);
	}
	rc = mdb_txn_commit(txn);
	return rc ? failed(err, "expire", rc) : 0;
}

static int lmdb_stats(void *state, struct ledger_stats *out, char *err)
{
	struct lmdb_state *s = state;
	MDB_envinfo info;
	MDB_stat st;
	int rc = mdb_env_stat(s->env, &st);

	if (rc || (rc = mdb_env_info(s->env, &info)))
		return failed(err, "stat", rc);
	out->entries = (long long)st.ms_entries;
	out->bytes_used = (info.me_last_pgno + 1) * (size_t)st.ms_psize;
	out->bytes_max = info.me_mapsize;
	return 0;
}

static void lmdb_close(void *state)
{
	struct lmdb_state *s = state;

	if (!s)
		return;
	mdb_env_close(s->env);
	free(s);
}

int ledger_lmdb_open(const char *dir, size_t map_size, int readonly,
		     struct ledger_backend *out, char *err)
{
	struct lmdb_state *s = calloc(1, sizeof(*s));
	unsigned flags =
	    MDB_NOTLS | MDB_NOMETASYNC | (readonly ? MDB_RDONLY : 0);
	MDB_txn *txn;
	int dead, rc;

	if (!s) {
		snprintf(err, LEDGER_ERR_LEN, "out of memory");
		return -1;
	}
	if (!readonly && mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, LEDGER_ERR_LEN, "mkdir: %s", strerror(errno));
		free(s);
		return -1;
	}
	if ((rc = mdb_env_create(&s->env)) ||
	    (rc = mdb_env_set_mapsize(s->env, map_size)) ||
	    (rc = mdb_env_set_maxreaders(s->env, LMDB_MAX_READERS)) ||
	    (rc = mdb_env_open(s->env, dir, flags, 0600)) ||
	    (rc = mdb_reader_check(s->env, &dead)) ||
	    (rc = mdb_txn_begin(s->env, NULL, readonly ? MDB_RDONLY : 0,
				&txn))) {
		lmdb_close(s);
		return failed(err, "open", rc);
	}
	if ((rc = mdb_dbi_open(txn, NULL, 0, &s->dbi)) != 0)
		mdb_txn_abort(txn);
	else
		rc = mdb_txn_commit(txn);
	if (rc) {
		lmdb_close(s);
		return failed(err, "open", rc);
	}
	*out = (struct ledger_backend){
	    "lmdb", s, lmdb_get, lmdb_put, lmdb_sweep, lmdb_stats, lmdb_close};
	return 0;
}
