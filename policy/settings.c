#include "settings.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../parser/passwords.h"
#include "../parser/span.h"
#include "cidr.h"
#include "ydoc.h"

enum key_type {
	K_STRING,
	K_UINT,
	K_SIZE,
	K_SECONDS,
	K_MODE,
	K_BOOL,
	K_CHOICE,
	K_UNSIGNED,
	K_WORDS,   /* a list (YAML sequence or words), kept space-separated */
	K_NETWORKS /* K_WORDS of CIDRs */
};

struct key {
	const char *name;
	enum key_type type;
	size_t offset;
	unsigned long min, max;
	const char *const *choices; /* K_CHOICE: stored as the index */
};

/* Choices, in the order of the enums they are stored as. */
static const char *const on_error_choices[] = {"tempfail", "accept", NULL};
static const char *const on_poison_choices[] = {
    "accept", "tag", "quarantine", "reject", "tempfail", NULL};
static const char *const quarantine_method_choices[] = {"hold", "store", NULL};
static const char *const quarantine_answer_choices[] = {"discard", "reject",
							NULL};

#define S(field) offsetof(struct settings, field)
static const struct key keys[] = {
    {"socket", K_STRING, S(socket), 0, 0, NULL},
    {"socket_mode", K_MODE, S(socket_mode), 0, 0777, NULL},
    {"socket_group", K_STRING, S(socket_group), 0, 0, NULL},
    {"user", K_STRING, S(user), 0, 0, NULL},
    {"group", K_STRING, S(group), 0, 0, NULL},
    {"pidfile", K_STRING, S(pidfile), 0, 0, NULL},
    {"spool_dir", K_STRING, S(spool_dir), 0, 0, NULL},
    {"spool_memory_limit", K_SIZE, S(spool_memory_limit), 0, 1UL << 30, NULL},
    {"state_dir", K_STRING, S(state_dir), 0, 0, NULL},
    {"policy", K_STRING, S(policy), 0, 0, NULL},
    {"on_error", K_CHOICE, S(on_error), 0, 0, on_error_choices},
    {"scan_workers", K_UINT, S(scan_workers), 0, 256, NULL},
    {"scan_timeout", K_SECONDS, S(scan_timeout), 1, 3600, NULL},
    {"on_poison", K_CHOICE, S(on_poison), 0, 0, on_poison_choices},
    {"poison_crashes", K_UINT, S(poison_crashes), 1, 100, NULL},
    {"drain_timeout", K_SECONDS, S(drain_timeout), 0, 3600, NULL},
    {"headers.verdict", K_STRING, S(header_verdict), 0, 0, NULL},
    {"headers.score", K_STRING, S(header_score), 0, 0, NULL},
    {"headers.rules", K_STRING, S(header_rules), 0, 0, NULL},
    {"log.syslog", K_BOOL, S(log_syslog), 0, 0, NULL},
    {"log.stderr", K_BOOL, S(log_stderr), 0, 0, NULL},
    {"log.facility", K_STRING, S(log_facility), 0, 0, NULL},
    {"log.debug", K_BOOL, S(log_debug), 0, 0, NULL},
    {"limits.worker_memory", K_SIZE, S(worker_memory), 64UL << 20, 64UL << 30,
     NULL},
    {"limits.mime_depth", K_UNSIGNED, S(limits.mime_depth), 1, 100, NULL},
    {"limits.mime_parts", K_UNSIGNED, S(limits.mime_parts), 1, 100000, NULL},
    {"limits.message_bytes", K_SIZE, S(limits.message_bytes), 1024, 2UL << 30,
     NULL},
    {"limits.decoded_bytes", K_SIZE, S(limits.decoded_bytes), 1024, 16UL << 30,
     NULL},
    {"limits.findings", K_UNSIGNED, S(limits.findings), 10, 100000, NULL},
    {"limits.nesting_depth", K_UNSIGNED, S(limits.nesting_depth), 1, 20, NULL},
    {"event_log", K_STRING, S(event_log), 0, 0, NULL},
    {"quarantine_method", K_CHOICE, S(quarantine_method), 0, 0,
     quarantine_method_choices},
    {"quarantine_dir", K_STRING, S(quarantine_dir), 0, 0, NULL},
    {"quarantine_answer", K_CHOICE, S(quarantine_answer), 0, 0,
     quarantine_answer_choices},
    {"quarantine_retention", K_SECONDS, S(quarantine_retention), 3600,
     3650UL * 86400, NULL},
    {"release_smtp", K_STRING, S(release_smtp), 0, 0, NULL},
    {"metrics_listen", K_STRING, S(metrics_listen), 0, 0, NULL},
    {"limits.archive_entries", K_UNSIGNED, S(limits.archive_entries), 1,
     1000000, NULL},
    {"limits.archive_ratio", K_UNSIGNED, S(limits.archive_ratio), 2, 100000,
     NULL},
    {"limits.archive_member_bytes", K_SIZE, S(limits.archive_member_bytes),
     1024, 16UL << 30, NULL},
    {"limits.archive_head_bytes", K_SIZE, S(limits.archive_head_bytes), 1024,
     16UL << 30, NULL},
    {"limits.password_tokens", K_UNSIGNED, S(limits.password_tokens), 0, 10000,
     NULL},
    {"limits.password_tries", K_UNSIGNED, S(limits.password_tries), 0, 1000000,
     NULL},
    {"limits.password_ms", K_UNSIGNED, S(limits.password_ms), 1, 600000, NULL},
    {"limits.urls", K_UNSIGNED, S(limits.urls), 1, 1000000, NULL},
    {"limits.office_password_tries", K_UNSIGNED,
     S(limits.office_password_tries), 0, 1000, NULL},
    {"limits.pdf_objects", K_UNSIGNED, S(limits.pdf_objects), 100, 100000000,
     NULL},
    {"limits.pdf_ms", K_UNSIGNED, S(limits.pdf_ms), 1, 600000, NULL},
    {"passwords.common", K_STRING, S(passwords_common), 0, 0, NULL},
    {"test_hooks", K_BOOL, S(test_hooks), 0, 0, NULL},
    {"outbound_daemons", K_WORDS, S(outbound_daemons), 0, 0, NULL},
    {"internal_networks", K_NETWORKS, S(internal_networks), 0, 0, NULL},
    {"local_domains", K_WORDS, S(local_domains), 0, 0, NULL},
    {"ledger.location", K_STRING, S(ledger_location), 0, 0, NULL},
    {"ledger.key_file", K_STRING, S(ledger_key_file), 0, 0, NULL},
    {"ledger.map_size", K_SIZE, S(ledger_map_size), 1UL << 20, 1UL << 40, NULL},
    {"ledger.retention", K_SECONDS, S(ledger_retention), 86400, 3650UL * 86400,
     NULL},
    {"ledger.timeout_ms", K_UINT, S(ledger_timeout_ms), 1, 1000, NULL},
    {"ledger.redis_user", K_STRING, S(ledger_redis_user), 0, 0, NULL},
    {"ledger.redis_password_file", K_STRING, S(ledger_redis_password_file), 0,
     0, NULL},
};
#undef S
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const struct key *key_find(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int parse_number(const char *v, unsigned long *out, char **rest)
{
	errno = 0;
	if (!isdigit((unsigned char)*v))
		return -1;
	*out = strtoul(v, rest, 10);
	return errno ? -1 : 0;
}

static int parse_size(const char *v, unsigned long *out)
{
	char *rest;
	unsigned shift = 0;

	if (parse_number(v, out, &rest) < 0)
		return -1;
	if (strcasecmp(rest, "k") == 0 || strcasecmp(rest, "kb") == 0)
		shift = 10;
	else if (strcasecmp(rest, "m") == 0 || strcasecmp(rest, "mb") == 0)
		shift = 20;
	else if (strcasecmp(rest, "g") == 0 || strcasecmp(rest, "gb") == 0)
		shift = 30;
	else if (*rest)
		return -1;
	if (shift && *out > (~0UL >> shift))
		return -1;
	*out <<= shift;
	return 0;
}

static int parse_seconds(const char *v, unsigned long *out)
{
	char *rest;
	unsigned long mult = 1;

	if (parse_number(v, out, &rest) < 0)
		return -1;
	if (strcmp(rest, "m") == 0)
		mult = 60;
	else if (strcmp(rest, "h") == 0)
		mult = 3600;
	else if (strcmp(rest, "d") == 0)
		mult = 86400;
	else if (*rest && strcmp(rest, "s") != 0)
		return -1;
	if (*out > ~0UL / mult)
		return -1;
	*out *= mult;
	return 0;
}

static int parse_bool(const char *v, unsigned long *out)
{
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
	    !strcasecmp(v, "on"))
		*out = 1;
	else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") ||
		 !strcasecmp(v, "off"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int parse_choice(const char *v, const char *const *choices,
			unsigned long *out)
{
	for (unsigned long i = 0; choices[i]; i++)
		if (strcmp(v, choices[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

static void expect_choices(const char *const *choices, char *why, size_t whylen)
{
	size_t off = (size_t)snprintf(why, whylen, "one of:");

	for (size_t i = 0; choices[i] && off < whylen; i++)
		off += (size_t)snprintf(why + off, whylen - off, "%s %s",
					i ? "," : "", choices[i]);
}

static const char *type_expect(enum key_type t)
{
	switch (t) {
	case K_SIZE: return "a size (bytes, or with K, M, G)";
	case K_SECONDS: return "a duration (seconds, or with s, m, h, d)";
	case K_MODE: return "an octal mode such as 0660";
	case K_BOOL: return "true or false";
	case K_STRING: return "a string";
	case K_WORDS: return "a list";
	case K_NETWORKS:
		return "a list of networks (192.0.2.0/24, 2001:db8::/32)";
	default: return "a whole number";
	}
}

/* Every word of v (separated by spaces or commas) is a network. */
static int networks_valid(const char *v)
{
	char word[64];
	struct cidr net;

	for (struct span w; (w = span_next_word(&v)).len;) {
		if (w.len >= sizeof(word))
			return 0;
		memcpy(word, w.ptr, w.len);
		word[w.len] = '\0';
		if (cidr_parse(word, &net) < 0)
			return 0;
	}
	return 1;
}

/* A YAML sequence of scalars as one space-separated string. */
static char *join_sequence(struct ydoc *y, yaml_node_t *seq)
{
	size_t len = 1;
	char *out;

	for (yaml_node_item_t *i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		const char *w = ydoc_scalar(ydoc_node(y, *i));
		if (!w || strpbrk(w, " ,"))
			return NULL;
		len += strlen(w) + 1;
	}
	if (!(out = calloc(1, len)))
		return NULL;
	for (yaml_node_item_t *i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		if (*out)
			strcat(out, " ");
		strcat(out, ydoc_scalar(ydoc_node(y, *i)));
	}
	return out;
}

/* Sets one key from its text; on error says in why what was expected. */
static int key_set(struct settings *s, const struct key *k, const char *v,
		   char *why, size_t whylen)
{
	char *base = (char *)s + k->offset;
	unsigned long n = 0;
	char *rest;
	int bad = 0;

	switch (k->type) {
	case K_NETWORKS:
		if (!networks_valid(v)) {
			snprintf(why, whylen, "%s", type_expect(k->type));
			return -1;
		}
		/* fall through */
	case K_WORDS:
	case K_STRING: {
		char *copy = strdup(v);
		if (!copy) {
			snprintf(why, whylen, "memory");
			return -1;
		}
		free(*(char **)base);
		*(char **)base = copy;
		return 0;
	}
	case K_UINT:
	case K_UNSIGNED: bad = parse_number(v, &n, &rest) < 0 || *rest; break;
	case K_SIZE: bad = parse_size(v, &n) < 0; break;
	case K_SECONDS: bad = parse_seconds(v, &n) < 0; break;
	case K_MODE:
		errno = 0;
		n = strtoul(v, &rest, 8);
		bad = errno || *rest || !*v;
		break;
	case K_BOOL: bad = parse_bool(v, &n) < 0; break;
	case K_CHOICE:
		if (parse_choice(v, k->choices, &n) < 0) {
			expect_choices(k->choices, why, whylen);
			return -1;
		}
		break;
	}
	if (bad) {
		snprintf(why, whylen, "%s", type_expect(k->type));
		return -1;
	}
	if ((k->min || k->max) && (n < k->min || n > k->max)) {
		snprintf(why, whylen, "%s from %lu to %lu",
			 type_expect(k->type), k->min, k->max);
		return -1;
	}
	switch (k->type) {
	case K_SIZE: *(size_t *)base = n; break;
	case K_BOOL: *(int *)base = (int)n; break;
	case K_UNSIGNED: *(unsigned *)base = (unsigned)n; break;
	default: *(unsigned long *)base = n; break;
	}
	return 0;
}

static int load_map(struct ydoc *y, yaml_node_t *map, const char *prefix,
		    struct settings *s)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = ydoc_node(y, p->key);
		yaml_node_t *vn = ydoc_node(y, p->value);
		const char *name = ydoc_scalar(kn);
		char full[128];
		const struct key *k;
		char expect[128];

		if (!name)
			return ydoc_error(y, kn, "expected a key name");
		snprintf(full, sizeof(full), "%s%s%s", prefix,
			 *prefix ? "." : "", name);
		for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p;
		     q++) {
			const char *prev = ydoc_scalar(ydoc_node(y, q->key));
			if (prev && strcmp(prev, name) == 0)
				return ydoc_error(y, kn, "duplicate key '%s'",
						  full);
		}
		if (vn->type == YAML_MAPPING_NODE && !*prefix) {
			if (load_map(y, vn, full, s) < 0)
				return -1;
			continue;
		}
		k = key_find(full);
		if (!k)
			return ydoc_error(y, kn, "unknown key '%s'", full);
		if (vn->type == YAML_SEQUENCE_NODE &&
		    (k->type == K_WORDS || k->type == K_NETWORKS)) {
			char *words = join_sequence(y, vn);
			int rc =
			    words ? key_set(s, k, words, expect, sizeof(expect))
				  : -1;
			if (!words)
				snprintf(expect, sizeof(expect),
					 "a list of single words");
			free(words);
			if (rc < 0)
				return ydoc_error(y, vn, "expected %s for '%s'",
						  expect, full);
			continue;
		}
		if (!ydoc_scalar(vn))
			return ydoc_error(y, vn, "expected %s for '%s'",
					  type_expect(k->type), full);
		if (key_set(s, k, ydoc_scalar(vn), expect, sizeof(expect)) < 0)
			return ydoc_error(y, vn, "expected %s for '%s'", expect,
					  full);
	}
	return 0;
}

void settings_defaults(struct settings *s)
{
	static const struct scan_limits limits = SCAN_LIMITS_DEFAULT;

	memset(s, 0, sizeof(*s));
	s->socket = strdup("unix:/var/spool/postfix/kensa/kensa.sock");
	s->socket_mode = 0660;
	s->socket_group = strdup("postfix");
	s->user = strdup("kensa");
	s->group = strdup("kensa");
	s->pidfile = strdup("/run/kensa/kensa-milter.pid");
	s->spool_dir = strdup("/var/spool/kensa");
	s->spool_memory_limit = 4UL << 20;
	s->state_dir = strdup("/var/lib/kensa");
	s->policy = strdup(SYSCONFDIR "/kensa/policy.yaml");
	s->on_error = ON_ERROR_TEMPFAIL;
	s->scan_workers = 0;
	s->scan_timeout = 20;
	s->on_poison = VERDICT_QUARANTINE;
	s->poison_crashes = 3;
	s->drain_timeout = 30;
	s->header_verdict = strdup("X-Kensa-Verdict");
	s->header_score = strdup("X-Kensa-Score");
	s->header_rules = strdup("X-Kensa-Rules");
	s->log_syslog = 1;
	s->log_stderr = 0;
	s->log_facility = strdup("mail");
	s->worker_memory = 1UL << 30;
	s->event_log = strdup("");
	s->quarantine_method = QUARANTINE_HOLD;
	s->quarantine_dir = strdup("/var/lib/kensa/quarantine");
	s->quarantine_answer = QUARANTINE_DISCARD;
	s->quarantine_retention = 30UL * 86400;
	s->release_smtp = strdup("127.0.0.1:10026");
	s->metrics_listen = strdup("127.0.0.1:9799");
	s->passwords_common = strdup(PASSWORDS_COMMON_DEFAULT);
	s->outbound_daemons = strdup("ORIGINATING");
	s->internal_networks = strdup("127.0.0.0/8 ::1/128");
	s->local_domains = strdup("");
	s->ledger_location = strdup("");
	s->ledger_key_file = strdup("");
	s->ledger_map_size = 256UL << 20;
	s->ledger_retention = 180UL * 86400;
	s->ledger_timeout_ms = 100;
	s->ledger_redis_user = strdup("");
	s->ledger_redis_password_file = strdup("");
	s->limits = limits;
}

int settings_load(struct settings *s, const char *path, char **error)
{
	struct ydoc y;
	yaml_node_t *root;
	int rc = 0;

	*error = NULL;
	if (ydoc_load_file(&y, path) < 0) {
		rc = -1;
	} else if ((root = ydoc_root(&y)) != NULL) {
		if (root->type == YAML_SCALAR_NODE && !*ydoc_scalar(root))
			rc = 0;
		else if (ydoc_expect_mapping(&y, root, "the settings") < 0 ||
			 load_map(&y, root, "", s) < 0)
			rc = -1;
	}
	if (rc < 0)
		*error = strdup(y.error ? y.error : "settings error");
	ydoc_free(&y);
	return rc;
}

int settings_load_default(struct settings *s, const char *path, char **error)
{
	*error = NULL;
	if (!path) {
		if (access(SETTINGS_DEFAULT_FILE, F_OK) != 0)
			return 0;
		path = SETTINGS_DEFAULT_FILE;
	}
	return settings_load(s, path, error);
}

int settings_set(struct settings *s, const char *assignment, char **error)
{
	const char *eq = strchr(assignment, '=');
	char name[128];
	const struct key *k;
	char expect[128];

	*error = NULL;
	if (!eq || (size_t)(eq - assignment) >= sizeof(name)) {
		if (asprintf(error, "-o %s: expected KEY=VALUE", assignment) <
		    0)
			*error = NULL;
		return -1;
	}
	memcpy(name, assignment, (size_t)(eq - assignment));
	name[eq - assignment] = '\0';
	k = key_find(name);
	if (!k) {
		if (asprintf(error, "-o %s: unknown key '%s'", assignment,
			     name) < 0)
			*error = NULL;
		return -1;
	}
	if (key_set(s, k, eq + 1, expect, sizeof(expect)) < 0) {
		if (asprintf(error, "-o %s: expected %s", assignment, expect) <
		    0)
			*error = NULL;
		return -1;
	}
	return 0;
}

void settings_free(struct settings *s)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].type == K_STRING || keys[i].type == K_WORDS ||
		    keys[i].type == K_NETWORKS) {
			char **p = (char **)((char *)s + keys[i].offset);
			free(*p);
			*p = NULL;
		}
}
