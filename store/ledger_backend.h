/*
 * ledger_backend - what ledger.c asks of a storage backend: get, put and
 * delete of opaque values under binary keys, with a time to live. Each
 * returns -1 on failure with a reason in err (at most LEDGER_ERR_LEN).
 */
#ifndef KENSA_LEDGER_BACKEND_H
#define KENSA_LEDGER_BACKEND_H

#include <stddef.h>

#include "ledger.h"

#define LEDGER_ERR_LEN	 160
#define LEDGER_VALUE_MAX 8192

struct ledger_backend {
	const char *name;
	void *state;
	/* 1 found (value in val, *len bytes), 0 absent, -1 error */
	int (*get)(void *state, const void *key, size_t klen, void *val,
		   size_t cap, size_t *len, char *err);
	int (*put)(void *state, const void *key, size_t klen, const void *val,
		   size_t len, unsigned long ttl, char *err);
	/* fn(key, klen, val, len, arg) returns 1 to delete the entry */
	int (*sweep)(void *state,
		     int (*fn)(const void *key, size_t klen, const void *val,
			       size_t len, void *arg),
		     void *arg, unsigned long *removed, char *err);
	int (*stats)(void *state, struct ledger_stats *out, char *err);
	void (*close)(void *state);
};

int ledger_lmdb_open(const char *dir, size_t map_size, int readonly,
		     struct ledger_backend *out, char *err);
int ledger_redis_open(const char *url, const struct ledger_options *o,
		      struct ledger_backend *out, char *err);

#endif
