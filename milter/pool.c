#include "pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "wire.h"
#include "worker.h"

extern char **environ;

static int worker_spawn(struct pool *p, struct pool_worker *w)
{
	char memory[32];
	char *argv[] = {"kensa-milter", "--worker", memory, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, defaults;
	int sv[2], rc;

	snprintf(memory, sizeof(memory), "%zu", p->memory_limit);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], WORKER_FD);
	posix_spawn_file_actions_addclosefrom_np(&fa, WORKER_FD + 1);
	/* the worker starts with no signal blocked and SIGPIPE default */
	sigemptyset(&none);
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
					    POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&w->pid, p->exe, &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		w->pid = -1;
		w->sock = -1;
		log_msg(LOG_ERR, "cannot start a scan worker: %s",
			strerror(rc));
		return -1;
	}
	w->sock = sv[0];
	return 0;
}

/* Kills (if asked), reaps and replaces a worker; returns its wait status. */
static int worker_replace(struct pool *p, struct pool_worker *w, int kill_it)
{
	int status = 0;

	if (w->pid > 0) {
		if (kill_it)
			kill(w->pid, SIGKILL);
		while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (w->sock >= 0)
		close(w->sock);
	worker_spawn(p, w);
	return status;
}

int pool_start(struct pool *p, size_t n, const char *exe, size_t memory_limit)
{
	pthread_condattr_t attr;

	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->idle, &attr);
	pthread_condattr_destroy(&attr);
	p->exe = strdup(exe);
	p->memory_limit = memory_limit;
	p->workers = calloc(n, sizeof(*p->workers));
	if (!p->exe || !p->workers)
		return -1;
	p->n = n;
	for (size_t i = 0; i < n; i++)
		if (worker_spawn(p, &p->workers[i]) < 0)
			return -1;
	return 0;
}

void pool_stop(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct pool_worker *w = &p->workers[i];
		if (w->sock >= 0)
			close(w->sock); /* the worker exits at end of file */
		if (w->pid > 0)
			while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
				;
	}
	free(p->workers);
	free(p->exe);
	p->workers = NULL;
	p->n = 0;
}

static struct pool_worker *acquire(struct pool *p,
				   const struct timespec *deadline)
{
	struct pool_worker *w = NULL;

	pthread_mutex_lock(&p->lock);
	while (!w) {
		for (size_t i = 0; i < p->n && !w; i++)
			if (!p->workers[i].busy && p->workers[i].sock >= 0)
				w = &p->workers[i];
		if (w)
			break;
		if (pthread_cond_timedwait(&p->idle, &p->lock, deadline) ==
		    ETIMEDOUT)
			break;
	}
	if (w)
		w->busy = 1;
	pthread_mutex_unlock(&p->lock);
	return w;
}

static void release(struct pool *p, struct pool_worker *w)
{
	pthread_mutex_lock(&p->lock);
	w->busy = 0;
	pthread_cond_signal(&p->idle);
	pthread_mutex_unlock(&p->lock);
}

static int ms_until(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > 1000000 ? 1000000 : (int)ms;
}

static enum pool_status await_reply(struct pool_worker *w,
				    const struct timespec *deadline,
				    char **reply, size_t *len)
{
	struct pollfd pfd = {w->sock, POLLIN, 0};
	int fd, rc;

	for (;;) {
		rc = poll(&pfd, 1, ms_until(deadline));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc == 0)
			return POOL_TIMEOUT;
		break;
	}
	if (rc < 0)
		return POOL_ERROR;
	rc = wire_recv(w->sock, reply, len, &fd);
	if (fd >= 0)
		close(fd);
	return rc == 0 ? POOL_OK : POOL_CRASH;
}

enum pool_status pool_scan(struct pool *p, int fd, const char *request,
			   const struct timespec *deadline, char **reply,
			   size_t *reply_len, const char **detail)
{
	struct pool_worker *w = acquire(p, deadline);
	enum pool_status st;
	int status;

	*reply = NULL;
	if (!w) {
		*detail = "no scan worker free before the deadline";
		return POOL_TIMEOUT;
	}
	if (wire_send(w->sock, request, strlen(request), fd) < 0) {
		/* died while idle: replace it and try once more */
		worker_replace(p, w, 1);
		if (w->sock < 0 ||
		    wire_send(w->sock, request, strlen(request), fd) < 0) {
			release(p, w);
			*detail = "cannot reach a scan worker";
			return POOL_ERROR;
		}
	}
	st = await_reply(w, deadline, reply, reply_len);
	if (st == POOL_OK) {
		release(p, w);
		return st;
	}
	status = worker_replace(p, w, 1);
	release(p, w);
	if (st == POOL_TIMEOUT) {
		*detail = "scan deadline passed; worker killed";
		return POOL_TIMEOUT;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
		*detail = "worker CPU limit reached";
		return POOL_TIMEOUT;
	}
	*detail = WIFSIGNALED(status) ? "worker killed by a signal"
				      : "worker exited during the scan";
	return POOL_CRASH;
}
