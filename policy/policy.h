/*
 * policy - a compiled kensa policy (kensa-policy(5)) and decide(), which
 * turns a report and an envelope into a verdict. A compiled policy is
 * immutable: the daemon shares one between threads and swaps it whole.
 */
#ifndef KENSA_POLICY_H
#define KENSA_POLICY_H

#include <stddef.h>

#include "../parser/envelope.h"
#include "../parser/report.h"
#include "cond.h"
#include "lists.h"

enum verdict {
	VERDICT_ACCEPT,
	VERDICT_TAG,
	VERDICT_QUARANTINE,
	VERDICT_REJECT
};
#define VERDICT_COUNT 4

struct cond;
struct yara_rules;

struct added_header {
	char *name;
	char *value; /* printable ASCII, checked at load */
};

struct rule {
	char *name;
	char *description;
	struct cond *when;
	long score;
	int has_action;
	enum verdict action;
	char *text;	      /* reject text, sanitised at load */
	int monitor;	      /* evaluated and logged, changes nothing */
	char *subject_prefix; /* for tag, instead of the policy's */
	struct added_header *headers;
	size_t nheaders;
	char *copy_to; /* an extra recipient (accept and tag) */
	int quarantine_method; /* 0: kensa.yaml's, 1: hold, 2: store */
};

/* An exception: when `when` matches, the rules named by `rules` (globs)
 * do not count. */
struct allow {
	char *name;
	char **rules;
	size_t nrules;
	struct cond *when;
};

struct policy {
	char *path;
	char digest[72]; /* "sha256:" + hex of the file bytes */
	int monitor;
	long threshold[VERDICT_COUNT]; /* score at which a verdict starts; -1 */
	char *subject_prefix;
	char *reject_text;
	struct rule *rules;
	size_t nrules;
	struct allow *allows;
	size_t nallows;
	struct lists lists;
	char **authserv_ids; /* trusted_authserv_ids */
	size_t nauthserv_ids;
	char **yara_files; /* absolute or relative to the working directory */
	size_t nyara_files;
	struct yara_rules *yara; /* compiled from them, or NULL */
	struct cond_config cond_config;
};

/* Everything a decision points to belongs to the policy. */
struct decision {
	enum verdict verdict;
	long score;
	int monitor;
	const char **rules; /* matched rules that count, in policy order */
	size_t nrules;
	const char **monitor_rules; /* matched rules marked monitor */
	size_t nmonitor_rules;
	const char **allowed_rules; /* matched, but suppressed by ... */
	const char **allowed_by;    /* ... these allow entries */
	size_t nallowed;
	const struct rule **acting; /* the counted rules, for their actions */
	const char *reject_text;
	const char *subject_prefix;
	int quarantine_method; /* of the first counted rule that sets one */
	int regex_limit;       /* a regex hit its match or depth limit */
};

/* Compiles a policy; on error returns -1 and *error is "file:line:col: ...". */
int policy_load(const char *path, struct policy **out, char **error);
int policy_load_string(const char *name, const char *text, size_t len,
		       struct policy **out, char **error);
void policy_free(struct policy *p);

int policy_decide(const struct policy *p, const struct report *r,
		  const struct envelope *env, struct decision *out);
/* The front ends' entry: parts whose SHA-256 is in a sha256 list get
 * attachment.hash_listed; then decide; if a regex hit its limits, the
 * report gets scan.limit (so the policy sees that not everything was
 * checked) and the message is decided again. */
int policy_judge(const struct policy *p, struct report *r,
		 const struct envelope *env, struct decision *out);
void decision_free(struct decision *d);

const char *verdict_name(enum verdict v);
int verdict_parse(const char *s, enum verdict *out);

#endif
