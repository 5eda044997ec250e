/*
 * kensa-milter - the daemon: reads kensa.yaml and the policy, opens the
 * milter socket, drops privileges, starts the scan workers and hands the
 * MTA's connections to libmilter. SIGUSR1 reloads the policy (a broken
 * one is refused and the old one kept); SIGTERM, SIGINT and SIGHUP stop
 * after the messages in flight (up to drain_timeout).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "../parser/scan.h"
#include "../store/ledger_settings.h"
#include "daemon.h"
#include "events.h"
#include "hold.h"
#include "judge.h"
#include "log.h"
#include "metrics.h"
#include "policy_ref.h"
#include "privs.h"
#include "session.h"
#include "stop.h"
#include "worker.h"

struct daemon kensa;

struct options {
	const char *config; /* NULL: the default file, if there is one */
	const char *socket;
	int foreground;
	int check;
	char **overrides;
	size_t noverrides;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: kensa-milter [-c FILE] [-f] [-t] [-p SOCKET] "
		     "[-o KEY=VALUE]...\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->overrides = calloc((size_t)argc, sizeof(char *));
	if (!o->overrides)
		return -1;
	while ((c = getopt(argc, argv, "c:ftp:o:h")) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'f': o->foreground = 1; break;
		case 't': o->check = 1; break;
		case 'p': o->socket = optarg; break;
		case 'o': o->overrides[o->noverrides++] = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static int load_settings(const struct options *o, struct settings *s)
{
	char *error = NULL;

	settings_defaults(s);
	if (settings_load_default(s, o->config, &error) < 0)
		goto fail;
	for (size_t i = 0; i < o->noverrides; i++)
		if (settings_set(s, o->overrides[i], &error) < 0)
			goto fail;
	if (o->socket) {
		free(s->socket);
		s->socket = strdup(o->socket);
	}
	if (s->scan_workers == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		s->scan_workers = n > 0 ? (unsigned long)n : 2;
	}
	return 0;
fail:
	fprintf(stderr, "kensa-milter: %s\n", error ? error : "out of memory");
	free(error);
	return -1;
}

static int load_policy(const char *path)
{
	struct policy *p;
	char *error = NULL;

	if (policy_load(path, &p, &error) < 0) {
		log_msg(LOG_ERR, "policy refused: %s",
			error ? error : "out of memory");
		free(error);
		return -1;
	}
	if (policy_ref_set(p, judge_worker_request(p)) < 0) {
		log_msg(LOG_ERR, "policy refused: out of memory");
		return -1;
	}
	log_msg(LOG_INFO, "policy %s loaded: %zu rules, %s, %s", path,
		p->nrules, p->monitor ? "monitor" : "enforce", p->digest);
	return 0;
}

/* A directory the daemon would create is fine; one it cannot use is not. */
static int dir_usable(const char *path)
{
	if (access(path, F_OK) != 0 || access(path, W_OK | X_OK) == 0)
		return 1;
	fprintf(stderr, "kensa-milter: %s: not writable by the run-time user\n",
		path);
	return 0;
}

/* -t: everything the daemon must read, read as the run-time user. */
static int check_config(const struct options *o, const struct run_as *as)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 1;
	if (pid == 0) {
		char err[256];
		struct settings again;
		struct policy *p;
		char *error = NULL;
		if (privs_drop(as, err, sizeof(err)) < 0) {
			fprintf(stderr, "kensa-milter: %s\n", err);
			_exit(1);
		}
		if (load_settings(o, &again) < 0)
			_exit(1);
		if (policy_load(again.policy, &p, &error) < 0) {
			fprintf(stderr, "kensa-milter: %s\n", error);
			_exit(1);
		}
		if (!dir_usable(again.spool_dir) ||
		    !dir_usable(again.state_dir))
			_exit(1);
		printf("kensa-milter: configuration and policy %s are ok "
		       "(%zu rules)\n",
		       again.policy, p->nrules);
		fflush(stdout);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void *reload_thread(void *arg)
{
	sigset_t set;
	int sig;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		sd_notify(0, "RELOADING=1");
		log_msg(LOG_INFO, "SIGUSR1: reloading policy %s",
			kensa.settings.policy);
		if (load_policy(kensa.settings.policy) < 0) {
			log_msg(LOG_ERR, "reload failed; the old policy stays");
			metrics_reload(0);
		} else {
			metrics_reload(1);
		}
		if (events_reopen() < 0)
			log_msg(LOG_ERR, "event_log not reopened");
		sd_notify(0, "READY=1");
	}
	return NULL;
}

static void *watchdog_thread(void *arg)
{
	uint64_t usec = *(uint64_t *)arg;

	for (;;) {
		usleep((useconds_t)(usec / 2 > 1000000 ? 1000000 : usec / 2));
		sd_notify(0, "WATCHDOG=1");
	}
	return NULL;
}

/* The directory part of path, or "" (a path in the current directory). */
static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (n >= len)
		n = len - 1;
	memcpy(dir, path, n);
	dir[n] = '\0';
}

static int unix_socket_path(const char *conn, const char **path)
{
	if (strncmp(conn, "unix:", 5) == 0)
		*path = conn + 5;
	else if (strncmp(conn, "local:", 6) == 0)
		*path = conn + 6;
	else if (conn[0] == '/')
		*path = conn;
	else
		return 0;
	return 1;
}

static int open_socket(const struct settings *s, const struct run_as *as)
{
	const char *path;
	mode_t old;
	int rc;

	if (smfi_setconn(s->socket) != MI_SUCCESS ||
	    smfi_register(session_filter) != MI_SUCCESS) {
		log_msg(LOG_ERR, "cannot use socket %s", s->socket);
		return -1;
	}
	if (unix_socket_path(s->socket, &path)) {
		char dir[PATH_MAX];
		dir_of(path, dir, sizeof(dir));
		if (*dir && privs_make_dir(dir, 0750, as) < 0)
			log_msg(LOG_WARNING, "cannot create %s: %s", dir,
				strerror(errno));
		if (*dir && as->socket_gid != (gid_t)-1 &&
		    chown(dir, as->change ? as->uid : (uid_t)-1,
			  as->socket_gid) < 0)
			log_msg(LOG_WARNING, "cannot chown %s", dir);
	}
	old = umask(~(mode_t)s->socket_mode & 0777);
	rc = smfi_opensocket(true);
	umask(old);
	if (rc != MI_SUCCESS) {
		log_msg(LOG_ERR, "cannot open socket %s", s->socket);
		return -1;
	}
	if (unix_socket_path(s->socket, &path)) {
		if (chown(path, as->change ? as->uid : (uid_t)-1,
			  as->socket_gid) < 0 ||
		    chmod(path, (mode_t)s->socket_mode) < 0)
			log_msg(LOG_WARNING, "cannot set owner/mode of %s: %s",
				path, strerror(errno));
	}
	return 0;
}

static int write_pidfile(const char *path, const struct run_as *as)
{
	char dir[PATH_MAX];
	FILE *f;

	if (!path || !*path)
		return 0;
	dir_of(path, dir, sizeof(dir));
	if (*dir)
		privs_make_dir(dir, 0755, as);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f);
}

static int self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int start_threads(void)
{
	static uint64_t watchdog_usec;
	pthread_t t;
	sigset_t set;

	/* SIGUSR1 goes to the reload thread; the stop signals to the main
	 * thread only (stop.c); every other thread blocks them all. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (stop_init() < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN); /* a full or limited spool: EFBIG, then 4xx */
	if (pthread_create(&t, NULL, reload_thread, NULL) != 0)
		return -1;
	pthread_detach(t);
	if (sd_watchdog_enabled(0, &watchdog_usec) > 0) {
		if (pthread_create(&t, NULL, watchdog_thread, &watchdog_usec))
			return -1;
		pthread_detach(t);
	}
	return 0;
}

static int prepare_dirs(const struct settings *s, const struct run_as *as)
{
	char events_dir[PATH_MAX] = "";

	if (*s->event_log && strcmp(s->event_log, "-") != 0)
		dir_of(s->event_log, events_dir, sizeof(events_dir));
	if (privs_make_dir(s->spool_dir, 0700, as) < 0 ||
	    privs_make_dir(s->state_dir, 0750, as) < 0 ||
	    privs_make_dir(s->quarantine_dir, 0750, as) < 0 ||
	    (*events_dir && privs_make_dir(events_dir, 0750, as) < 0)) {
		log_msg(LOG_ERR, "cannot create %s, %s or %s: %s", s->spool_dir,
			s->state_dir, events_dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The thread ledger, opened as the run-time user. Mail flows without it:
 * a ledger that cannot be opened is logged, never fatal. */
static void open_ledger(const struct settings *s)
{
	unsigned long removed = 0;
	char *error = NULL;
	int rc = ledger_open_settings(s, NULL, 0, &kensa.ledger, &error);

	if (rc < 0) {
		log_msg(LOG_ERR, "%s; thread checks go on without the ledger",
			error ? error : "ledger: out of memory");
		free(error);
		return;
	}
	if (rc == 0)
		return;
	if (ledger_expire(kensa.ledger, &removed) < 0)
		log_msg(LOG_WARNING, "ledger %s: expiry failed: %s",
			ledger_location(kensa.ledger),
			ledger_last_error(kensa.ledger));
	log_msg(LOG_INFO, "thread ledger %s (%lu expired entries removed)",
		ledger_location(kensa.ledger), removed);
}

static int run(const struct options *o)
{
	struct settings *s = &kensa.settings;
	struct run_as as;
	char err[256], exe[PATH_MAX];
	int rc;

	if (privs_lookup(s->user, s->group, s->socket_group, &as, err,
			 sizeof(err)) < 0) {
		fprintf(stderr, "kensa-milter: %s\n", err);
		return 1;
	}
	if (o->check)
		return check_config(o, &as);
	if (log_open(s->log_facility, s->log_syslog,
		     s->log_stderr || o->foreground, s->log_debug) < 0) {
		fprintf(stderr, "kensa-milter: unknown log.facility %s\n",
			s->log_facility);
		return 1;
	}
	if (!as.change && getuid() == 0)
		log_msg(LOG_WARNING, "running as root (user is empty)");
	if (load_policy(s->policy) < 0 || self_exe(exe, sizeof(exe)) < 0)
		return 1;
	if (!o->foreground && daemon(0, 0) < 0)
		return 1;
	if (prepare_dirs(s, &as) < 0 || open_socket(s, &as) < 0)
		return 1;
	if (write_pidfile(s->pidfile, &as) < 0)
		log_msg(LOG_WARNING, "cannot write pidfile %s", s->pidfile);
	if (privs_drop(&as, err, sizeof(err)) < 0) {
		log_msg(LOG_ERR, "%s", err);
		return 1;
	}
	if (start_threads() < 0 || pool_start(&kensa.pool, s->scan_workers, exe,
					      s->worker_memory) < 0) {
		log_msg(LOG_ERR, "cannot start threads or scan workers");
		return 1;
	}
	/* opened as the run-time user, as they are reopened on SIGUSR1 */
	if (events_open(s->event_log) < 0 ||
	    metrics_start(s->metrics_listen) < 0 || hold_init() < 0)
		return 1;
	scan_global_init(); /* GMime, for the thread checks' address lists */
	open_ledger(s);
	log_msg(LOG_INFO, "listening on %s with %lu scan workers", s->socket,
		s->scan_workers);
	sd_notify(0, "READY=1");
	rc = stop_run_milter((unsigned)s->drain_timeout);
	metrics_stop();
	pool_stop(&kensa.pool);
	ledger_close(kensa.ledger);
	if (s->pidfile && *s->pidfile)
		unlink(s->pidfile);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	int rc;

	if (argc == 3 && strcmp(argv[1], "--worker") == 0)
		return worker_main(strtoull(argv[2], NULL, 10));
	if (parse_options(argc, argv, &o) < 0)
		rc = 2;
	else if (load_settings(&o, &kensa.settings) < 0)
		rc = o.check ? 1 : 2;
	else
		rc = run(&o);
	settings_free(&kensa.settings);
	free(o.overrides);
	return rc;
}
