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

enum verdict {
	VERDICT_ACCEPT,
	VERDICT_TAG,
	VERDICT_QUARANTINE,
	VERDICT_REJECT
};
#define VERDICT_COUNT 4

struct cond;

struct rule {
	char *name;
	char *description;
	struct cond *when;
	long score;
	int has_action;
	enum verdict action;
	char *text; /* reject text, sanitised at load */
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
};

struct decision {
	enum verdict verdict;
	long score;
	int monitor;
	const char **rules; /* names of the matched rules, in policy order */
	size_t nrules;
	const char *reject_text;
};

/* Compiles a policy; on error returns -1 and *error is "file:line:col: ...". */
int policy_load(const char *path, struct policy **out, char **error);
int policy_load_string(const char *name, const char *text, size_t len,
		       struct policy **out, char **error);
void policy_free(struct policy *p);

int policy_decide(const struct policy *p, const struct report *r,
		  const struct envelope *env, struct decision *out);
void decision_free(struct decision *d);

const char *verdict_name(enum verdict v);
int verdict_parse(const char *s, enum verdict *out);

#endif
