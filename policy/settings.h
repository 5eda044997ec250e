/*
 * settings - kensa.yaml (kensa.yaml(5)): the daemon's and the engine's
 * settings, shared by kensa-milter and `kensa scan`. Every key has a
 * default; unknown keys and bad values are errors with file:line:column.
 * settings_set() applies one KEY=VALUE override (dotted keys for nested
 * ones, as `kensa-milter -o limits.mime_depth=10`).
 */
#ifndef KENSA_SETTINGS_H
#define KENSA_SETTINGS_H

#include <stddef.h>

#include "../parser/limits.h"
#include "policy.h"

#define SETTINGS_DEFAULT_FILE SYSCONFDIR "/kensa/kensa.yaml"

enum on_error { ON_ERROR_TEMPFAIL, ON_ERROR_ACCEPT };
enum quarantine_method { QUARANTINE_HOLD, QUARANTINE_STORE };
enum quarantine_answer { QUARANTINE_DISCARD, QUARANTINE_REJECT };

struct settings {
	char *socket;
	unsigned long socket_mode;
	char *socket_group;
	char *user;
	char *group;
	char *pidfile;
	char *spool_dir;
	size_t spool_memory_limit;
	char *state_dir;
	char *policy;
	unsigned long on_error;
	unsigned long scan_workers; /* 0: number of cores */
	unsigned long scan_timeout; /* seconds, queue wait included */
	unsigned long on_poison; /* enum verdict, or VERDICT_COUNT: tempfail */
	unsigned long poison_crashes;
	unsigned long drain_timeout;
	char *header_verdict;
	char *header_score;
	char *header_rules;
	int log_syslog;
	int log_stderr;
	char *log_facility;
	int log_debug;
	size_t worker_memory;
	char *event_log;
	unsigned long quarantine_method; /* enum quarantine_method */
	char *quarantine_dir;
	unsigned long quarantine_answer;    /* enum quarantine_answer */
	unsigned long quarantine_retention; /* seconds, for purge */
	char *release_smtp;		    /* HOST:PORT, bypassing kensa */
	char *metrics_listen;
	int test_hooks;
	char *passwords_common;	 /* white-space separated */
	char *outbound_daemons;	 /* {daemon_name} values of outbound mail */
	char *internal_networks; /* clients whose mail is outbound */
	char *local_domains;	 /* our domains (Message-IDs, thread checks) */
	char *ledger_location;	 /* "": state_dir/ledger; "off": none */
	char *ledger_key_file;	 /* "": state_dir/ledger.key */
	size_t ledger_map_size;
	unsigned long ledger_retention; /* seconds */
	unsigned long ledger_timeout_ms;
	char *ledger_redis_user;
	char *ledger_redis_password_file;
	struct scan_limits limits;
};

void settings_defaults(struct settings *s);
int settings_load(struct settings *s, const char *path, char **error);
/* path, or else SETTINGS_DEFAULT_FILE if it exists, or else defaults. */
int settings_load_default(struct settings *s, const char *path, char **error);
int settings_set(struct settings *s, const char *assignment, char **error);
void settings_free(struct settings *s);

#endif
