/*
 * pool - the daemon's side of the scan workers: a fixed number of worker
 * processes (kensa-milter --worker), each started with posix_spawn (safe
 * in a threaded process). pool_scan() waits for an idle worker, hands it
 * the spool descriptor and waits for the report, all before one deadline
 * (queue wait included). A worker that misses the deadline is killed; a
 * worker that dies is replaced; either way the caller learns which.
 */
#ifndef KENSA_POOL_H
#define KENSA_POOL_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

enum pool_status { POOL_OK, POOL_TIMEOUT, POOL_CRASH, POOL_ERROR };

struct pool_worker {
	pid_t pid;
	int sock;
	int busy;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t idle;
	struct pool_worker *workers;
	size_t n;
	char *exe;
	size_t memory_limit;
};

int pool_start(struct pool *p, size_t n, const char *exe, size_t memory_limit);
void pool_stop(struct pool *p);
/* *reply (*reply_len bytes, malloc'd) is the worker's report on POOL_OK
 * (report_wire.h); *detail says what went wrong. */
enum pool_status pool_scan(struct pool *p, int fd, const char *request,
			   const struct timespec *deadline, char **reply,
			   size_t *reply_len, const char **detail);

#endif
