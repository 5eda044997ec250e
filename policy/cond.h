/*
 * cond - the condition kinds of a policy rule's `when:` and of an
 * `allow:` entry. A condition is a mapping with one key naming its kind;
 * each kind is a row of the table in cond.c (compile, match) and most
 * take a matcher (matcher.h: glob(s), {regex: ...} or {list: ...}):
 *   finding (globs on ids, or {id: ..., detail: ...}), all, any, not,
 *   sender, sender_domain, sender_org_domain, from, from_domain,
 *   from_org_domain (registrable domain, libpsl), recipient,
 *   recipient_domain, all_recipients, all_recipient_domains, client (CIDR),
 *   helo, authenticated (true/false), subject, header ({name:, match:}),
 *   attachment_name, type, size ({min:, max:}),
 *   auth ({method: dmarc|dkim|spf|..., result: pass|fail|..., domain:}).
 * Conditions on the envelope are false when there is none (kensa scan).
 * Limits: nesting at most COND_MAX_DEPTH; regexes with match limits.
 */
#ifndef KENSA_COND_H
#define KENSA_COND_H

#include "../parser/envelope.h"
#include "../parser/report.h"
#include "lists.h"
#include "ydoc.h"

#define COND_MAX_DEPTH 16

struct cond;

/* What conditions refer to, from the rest of the policy. */
struct cond_config {
	const struct lists *lists;
	char *const *authserv_ids; /* trusted_authserv_ids */
	size_t nauthserv_ids;
};

struct cond_input {
	const struct report *report;
	const struct envelope *env; /* NULL: no envelope known */
	int *regex_limit;	    /* set when a regex hit its limits */
};

int cond_compile(struct ydoc *y, yaml_node_t *n, const struct cond_config *cfg,
		 unsigned depth, struct cond **out);
int cond_match(const struct cond *c, const struct cond_input *in);
/* 1 if the condition looks at the envelope anywhere (replay needs it). */
int cond_needs_envelope(const struct cond *c);
/* 1 if c can never match, with the reason in why: a size range with min
 * above max, a {list:} with no entries, a finding condition whose every
 * glob dead() rejects (lint knows the finding ids), an all: with such a
 * part, an any: made only of them. */
int cond_never(const struct cond *c, int (*dead)(const char *glob, void *arg),
	       void *arg, char *why, size_t len);
/* Calls fn for every glob of every finding condition in c. */
void cond_finding_globs(const struct cond *c,
			void (*fn)(const char *glob, void *arg), void *arg);
/* Like cond_match; when false, says in why which condition failed. */
int cond_explain(const struct cond *c, const struct cond_input *in, char *why,
		 size_t len);
void cond_free(struct cond *c);

#endif
