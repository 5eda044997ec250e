#include "cond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../parser/address.h"
#include "authres.h"
#include "matcher.h"

struct cond_kind;

struct cond {
	const struct cond_kind *kind;
	struct cond **subs; /* all, any, not */
	size_t nsubs;
	struct matcher match;  /* the value's matcher */
	struct matcher detail; /* finding: the detail's */
	int has_detail;
	char *name;	/* header: the field name; auth: the method */
	char *result;	/* auth: the result wanted */
	int has_domain; /* auth: match holds the domain's matcher */
	const struct cond_config *cfg; /* auth: the trusted authserv-ids */
	long min, max;		       /* size */
	int want;		       /* authenticated; direction: outbound */
};

struct compile {
	struct ydoc *y;
	const struct cond_config *cfg;
	unsigned depth;
};

struct cond_kind {
	const char *name;
	int (*compile)(const struct compile *cc, yaml_node_t *n,
		       struct cond *c);
	int (*match)(const struct cond *c, const struct cond_input *in);
	enum matcher_kind matcher; /* for compile_matcher */
	int envelope;		   /* looks at the envelope */
};

/* ---- compile helpers ---- */

static int compile_matcher(const struct compile *cc, yaml_node_t *n,
			   struct cond *c)
{
	return matcher_compile(cc->y, n, cc->cfg->lists, c->kind->matcher,
			       &c->match);
}

static int subs_add(const struct compile *cc, yaml_node_t *n, struct cond *c)
{
	struct cond **s = realloc(c->subs, (c->nsubs + 1) * sizeof(*s));
	int rc;

	if (!s)
		return ydoc_error(cc->y, n, "out of memory");
	c->subs = s;
	c->subs[c->nsubs] = NULL;
	rc = cond_compile(cc->y, n, cc->cfg, cc->depth + 1, &c->subs[c->nsubs]);
	if (c->subs[c->nsubs])
		c->nsubs++;
	return rc;
}

static int compile_list(const struct compile *cc, yaml_node_t *n,
			struct cond *c)
{
	if (n->type != YAML_SEQUENCE_NODE ||
	    n->data.sequence.items.start == n->data.sequence.items.top)
		return ydoc_error(cc->y, n,
				  "expected a non-empty list of conditions");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++)
		if (subs_add(cc, ydoc_node(cc->y, *it), c) < 0)
			return -1;
	return 0;
}

static int compile_not(const struct compile *cc, yaml_node_t *n, struct cond *c)
{
	return subs_add(cc, n, c);
}

static int compile_finding(const struct compile *cc, yaml_node_t *n,
			   struct cond *c)
{
	static const char *const keys[] = {"id", "detail", NULL};
	yaml_node_t *v;

	if (n->type != YAML_MAPPING_NODE)
		return compile_matcher(cc, n, c);
	if (ydoc_check_keys(cc->y, n, keys) < 0)
		return -1;
	if (!(v = ydoc_get(cc->y, n, "id")))
		return ydoc_error(cc->y, n, "expected id: (finding globs)");
	if (compile_matcher(cc, v, c) < 0)
		return -1;
	if ((v = ydoc_get(cc->y, n, "detail"))) {
		c->has_detail = 1;
		return matcher_compile(cc->y, v, cc->cfg->lists, MATCH_GLOB,
				       &c->detail);
	}
	return 0;
}

static int compile_header(const struct compile *cc, yaml_node_t *n,
			  struct cond *c)
{
	static const char *const keys[] = {"name", "match", NULL};
	yaml_node_t *name, *match;

	if (ydoc_expect_mapping(cc->y, n, "header") < 0 ||
	    ydoc_check_keys(cc->y, n, keys) < 0)
		return -1;
	name = ydoc_get(cc->y, n, "name");
	match = ydoc_get(cc->y, n, "match");
	if (!name || !ydoc_scalar(name) || !match)
		return ydoc_error(cc->y, n,
				  "expected {name: FIELD, match: ...}");
	if (ydoc_string(cc->y, name, &c->name) < 0)
		return -1;
	return compile_matcher(cc, match, c);
}

static int compile_size(const struct compile *cc, yaml_node_t *n,
			struct cond *c)
{
	static const char *const keys[] = {"min", "max", NULL};
	yaml_node_t *v;

	c->min = 0;
	c->max = -1;
	if (ydoc_expect_mapping(cc->y, n, "size") < 0 ||
	    ydoc_check_keys(cc->y, n, keys) < 0)
		return -1;
	if ((v = ydoc_get(cc->y, n, "min")) &&
	    ydoc_int(cc->y, v, 0, 1L << 40, &c->min) < 0)
		return -1;
	if ((v = ydoc_get(cc->y, n, "max")) &&
	    ydoc_int(cc->y, v, 0, 1L << 40, &c->max) < 0)
		return -1;
	return 0;
}

static int compile_auth(const struct compile *cc, yaml_node_t *n,
			struct cond *c)
{
	static const char *const keys[] = {"method", "result", "domain", NULL};
	yaml_node_t *m, *r, *d;

	if (ydoc_expect_mapping(cc->y, n, "auth") < 0 ||
	    ydoc_check_keys(cc->y, n, keys) < 0)
		return -1;
	m = ydoc_get(cc->y, n, "method");
	r = ydoc_get(cc->y, n, "result");
	if (!m || !r || ydoc_string(cc->y, m, &c->name) < 0 ||
	    ydoc_string(cc->y, r, &c->result) < 0)
		return ydoc_error(cc->y, n,
				  "expected {method: dmarc|dkim|spf, result: "
				  "pass|fail|..., domain: ...}");
	if (cc->cfg->nauthserv_ids == 0)
		return ydoc_error(cc->y, n,
				  "auth conditions need trusted_authserv_ids "
				  "(whose Authentication-Results to believe)");
	c->cfg = cc->cfg;
	if ((d = ydoc_get(cc->y, n, "domain"))) {
		c->has_domain = 1;
		return compile_matcher(cc, d, c);
	}
	return 0;
}

static int compile_bool(const struct compile *cc, yaml_node_t *n,
			struct cond *c)
{
	return ydoc_bool(cc->y, n, &c->want);
}

static int compile_direction(const struct compile *cc, yaml_node_t *n,
			     struct cond *c)
{
	const char *v = ydoc_scalar(n);

	if (v && (strcmp(v, "inbound") == 0 || strcmp(v, "outbound") == 0)) {
		c->want = strcmp(v, "outbound") == 0;
		return 0;
	}
	return ydoc_error(cc->y, n, "expected inbound or outbound");
}

/* ---- match helpers ---- */

static int matches(const struct cond *c, const struct cond_input *in,
		   const char *value)
{
	return matcher_match(&c->match, value, in->regex_limit);
}

static int match_finding(const struct cond *c, const struct cond_input *in)
{
	const struct report *r = in->report;

	for (size_t i = 0; i < r->nfindings; i++) {
		if (!matches(c, in, r->findings[i].id))
			continue;
		if (!c->has_detail ||
		    matcher_match(&c->detail, r->findings[i].detail,
				  in->regex_limit))
			return 1;
	}
	return 0;
}

static int match_all(const struct cond *c, const struct cond_input *in)
{
	for (size_t i = 0; i < c->nsubs; i++)
		if (!cond_match(c->subs[i], in))
			return 0;
	return 1;
}

static int match_any(const struct cond *c, const struct cond_input *in)
{
	for (size_t i = 0; i < c->nsubs; i++)
		if (cond_match(c->subs[i], in))
			return 1;
	return 0;
}

static int match_not(const struct cond *c, const struct cond_input *in)
{
	return !cond_match(c->subs[0], in);
}

static int match_sender(const struct cond *c, const struct cond_input *in)
{
	return in->env && matches(c, in, in->env->sender);
}

static int match_sender_domain(const struct cond *c,
			       const struct cond_input *in)
{
	return in->env && matches(c, in, address_domain(in->env->sender));
}

static int match_from(const struct cond *c, const struct cond_input *in)
{
	return matches(c, in, in->report->from_addr);
}

static int match_from_domain(const struct cond *c, const struct cond_input *in)
{
	return matches(c, in, address_domain(in->report->from_addr));
}

static int match_from_org_domain(const struct cond *c,
				 const struct cond_input *in)
{
	return matches(
	    c, in, address_org_domain(address_domain(in->report->from_addr)));
}

static int match_sender_org_domain(const struct cond *c,
				   const struct cond_input *in)
{
	return in->env &&
	       matches(c, in,
		       address_org_domain(address_domain(in->env->sender)));
}

/* Any (all == 0) or every (all == 1) recipient, or its domain. */
static int match_rcpts(const struct cond *c, const struct cond_input *in,
		       int all, int domain)
{
	if (!in->env || in->env->nrcpts == 0)
		return 0;
	for (size_t i = 0; i < in->env->nrcpts; i++) {
		const char *v = in->env->rcpts[i];
		int m = matches(c, in, domain ? address_domain(v) : v);
		if (m && !all)
			return 1;
		if (!m && all)
			return 0;
	}
	return all;
}

static int match_recipient(const struct cond *c, const struct cond_input *in)
{
	return match_rcpts(c, in, 0, 0);
}

static int match_recipient_domain(const struct cond *c,
				  const struct cond_input *in)
{
	return match_rcpts(c, in, 0, 1);
}

static int match_all_recipients(const struct cond *c,
				const struct cond_input *in)
{
	return match_rcpts(c, in, 1, 0);
}

static int match_all_recipient_domains(const struct cond *c,
				       const struct cond_input *in)
{
	return match_rcpts(c, in, 1, 1);
}

static int match_client(const struct cond *c, const struct cond_input *in)
{
	return in->env && matches(c, in, in->env->client_addr);
}

static int match_helo(const struct cond *c, const struct cond_input *in)
{
	return in->env && matches(c, in, in->env->helo);
}

static int match_authenticated(const struct cond *c,
			       const struct cond_input *in)
{
	int auth = in->env && in->env->auth && *in->env->auth;
	return in->env && auth == c->want;
}

/* Without an envelope (kensa scan of a file), mail is inbound. */
static int match_direction(const struct cond *c, const struct cond_input *in)
{
	return (in->env && in->env->outbound == 1) == c->want;
}

static int match_subject(const struct cond *c, const struct cond_input *in)
{
	return matches(c, in, in->report->subject);
}

static int match_header(const struct cond *c, const struct cond_input *in)
{
	const struct report *r = in->report;

	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, c->name) == 0 &&
		    matches(c, in, r->headers[i].value))
			return 1;
	return 0;
}

static int match_attachment_name(const struct cond *c,
				 const struct cond_input *in)
{
	for (size_t i = 0; i < in->report->nparts; i++)
		if (matches(c, in, in->report->parts[i].filename))
			return 1;
	return 0;
}

static int match_type(const struct cond *c, const struct cond_input *in)
{
	for (size_t i = 0; i < in->report->nparts; i++)
		if (matches(c, in, in->report->parts[i].type))
			return 1;
	return 0;
}

struct auth_want {
	const struct cond *c;
	const struct cond_input *in;
};

static int auth_one(const char *method, const char *result, const char *domain,
		    void *arg)
{
	const struct auth_want *w = arg;

	return strcasecmp(method, w->c->name) == 0 &&
	       strcasecmp(result, w->c->result) == 0 &&
	       (!w->c->has_domain || matches(w->c, w->in, domain));
}

static int match_auth(const struct cond *c, const struct cond_input *in)
{
	struct auth_want w = {c, in};

	return authres_foreach(in->report, c->cfg->authserv_ids,
			       c->cfg->nauthserv_ids, auth_one, &w);
}

static int match_size(const struct cond *c, const struct cond_input *in)
{
	long size = (long)in->report->size;
	return size >= c->min && (c->max < 0 || size <= c->max);
}

static const struct cond_kind kinds[] = {
    {"finding", compile_finding, match_finding, MATCH_GLOB, 0},
    {"all", compile_list, match_all, MATCH_GLOB, 0},
    {"any", compile_list, match_any, MATCH_GLOB, 0},
    {"not", compile_not, match_not, MATCH_GLOB, 0},
    {"sender", compile_matcher, match_sender, MATCH_GLOB, 1},
    {"sender_domain", compile_matcher, match_sender_domain, MATCH_GLOB, 1},
    {"from", compile_matcher, match_from, MATCH_GLOB, 0},
    {"from_domain", compile_matcher, match_from_domain, MATCH_GLOB, 0},
    {"from_org_domain", compile_matcher, match_from_org_domain, MATCH_GLOB, 0},
    {"sender_org_domain", compile_matcher, match_sender_org_domain, MATCH_GLOB,
     1},
    {"recipient", compile_matcher, match_recipient, MATCH_GLOB, 1},
    {"recipient_domain", compile_matcher, match_recipient_domain, MATCH_GLOB,
     1},
    {"all_recipients", compile_matcher, match_all_recipients, MATCH_GLOB, 1},
    {"all_recipient_domains", compile_matcher, match_all_recipient_domains,
     MATCH_GLOB, 1},
    {"client", compile_matcher, match_client, MATCH_CIDR, 1},
    {"helo", compile_matcher, match_helo, MATCH_GLOB, 1},
    {"authenticated", compile_bool, match_authenticated, MATCH_GLOB, 1},
    {"direction", compile_direction, match_direction, MATCH_GLOB, 0},
    {"subject", compile_matcher, match_subject, MATCH_GLOB, 0},
    {"header", compile_header, match_header, MATCH_GLOB, 0},
    {"attachment_name", compile_matcher, match_attachment_name, MATCH_GLOB, 0},
    {"type", compile_matcher, match_type, MATCH_GLOB, 0},
    {"size", compile_size, match_size, MATCH_GLOB, 0},
    {"auth", compile_auth, match_auth, MATCH_GLOB, 0},
};

static const struct cond_kind *kind_find(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

int cond_compile(struct ydoc *y, yaml_node_t *n, const struct cond_config *cfg,
		 unsigned depth, struct cond **out)
{
	struct compile cc = {y, cfg, depth};
	yaml_node_pair_t *pair;
	const char *name;
	struct cond *c;

	*out = NULL;
	if (depth > COND_MAX_DEPTH)
		return ydoc_error(y, n, "conditions nested deeper than %d",
				  COND_MAX_DEPTH);
	if (!n || n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
		return ydoc_error(y, n,
				  "expected a condition: a mapping with one "
				  "key (finding, all, any, not, sender, ...)");
	pair = n->data.mapping.pairs.start;
	name = ydoc_scalar(ydoc_node(y, pair->key));
	if (!name || !kind_find(name))
		return ydoc_error(y, ydoc_node(y, pair->key),
				  "unknown condition '%s' (see "
				  "kensa-policy(5), CONDITIONS)",
				  name ? name : "");
	c = calloc(1, sizeof(*c));
	if (!c)
		return ydoc_error(y, n, "out of memory");
	c->kind = kind_find(name);
	*out = c;
	return c->kind->compile(&cc, ydoc_node(y, pair->value), c);
}

int cond_match(const struct cond *c, const struct cond_input *in)
{
	return c->kind->match(c, in);
}

int cond_needs_envelope(const struct cond *c)
{
	if (c->kind->envelope)
		return 1;
	for (size_t i = 0; i < c->nsubs; i++)
		if (cond_needs_envelope(c->subs[i]))
			return 1;
	return 0;
}

static int matcher_empty(const struct matcher *m)
{
	return m->list && !m->list->nitems && !m->list->nnets;
}

/* Only thread findings: none is ever found on outbound mail. */
static int thread_findings_only(const struct cond *c)
{
	if (c->kind->match != match_finding || !c->match.nglobs ||
	    c->match.re || c->match.list)
		return 0;
	for (size_t i = 0; i < c->match.nglobs; i++)
		if (strncmp(c->match.globs[i], "thread.", 7) != 0)
			return 0;
	return 1;
}

/* Two conditions of one all: that cannot hold together. */
static int contradict(const struct cond *a, const struct cond *b, char *why,
		      size_t len)
{
	if (a->kind == b->kind && a->want != b->want &&
	    (a->kind->match == match_direction ||
	     a->kind->match == match_authenticated)) {
		snprintf(why, len, "all: asks for %s both ways", a->kind->name);
		return 1;
	}
	if (a->kind->match == match_direction && a->want &&
	    thread_findings_only(b)) {
		snprintf(why, len,
			 "all: thread findings on outbound mail, "
			 "which gets none");
		return 1;
	}
	return 0;
}

int cond_never(const struct cond *c, int (*dead)(const char *glob, void *arg),
	       void *arg, char *why, size_t len)
{
	if (c->kind->match == match_all) {
		for (size_t i = 0; i < c->nsubs; i++)
			if (cond_never(c->subs[i], dead, arg, why, len))
				return 1;
		for (size_t i = 0; i < c->nsubs; i++)
			for (size_t j = 0; j < c->nsubs; j++)
				if (i != j && contradict(c->subs[i], c->subs[j],
							 why, len))
					return 1;
		return 0;
	}
	if (c->kind->match == match_any) {
		for (size_t i = 0; i < c->nsubs; i++)
			if (!cond_never(c->subs[i], dead, arg, why, len))
				return 0;
		snprintf(why, len, "no condition of any: can match");
		return 1;
	}
	if (c->kind->match == match_size && c->max >= 0 && c->min > c->max) {
		snprintf(why, len, "size: min %ld is above max %ld", c->min,
			 c->max);
		return 1;
	}
	if (matcher_empty(&c->match) ||
	    (c->has_detail && matcher_empty(&c->detail))) {
		snprintf(why, len, "%s: its list has no entries",
			 c->kind->name);
		return 1;
	}
	if (c->kind->match == match_finding && c->match.nglobs &&
	    !c->match.re && !c->match.list) {
		for (size_t i = 0; i < c->match.nglobs; i++)
			if (!dead(c->match.globs[i], arg))
				return 0;
		snprintf(why, len, "finding: no known finding id matches");
		return 1;
	}
	return 0;
}

void cond_finding_globs(const struct cond *c,
			void (*fn)(const char *glob, void *arg), void *arg)
{
	if (c->kind->match == match_finding)
		for (size_t i = 0; i < c->match.nglobs; i++)
			fn(c->match.globs[i], arg);
	for (size_t i = 0; i < c->nsubs; i++)
		cond_finding_globs(c->subs[i], fn, arg);
}

int cond_explain(const struct cond *c, const struct cond_input *in, char *why,
		 size_t len)
{
	if (c->kind->match == match_all) {
		for (size_t i = 0; i < c->nsubs; i++)
			if (!cond_explain(c->subs[i], in, why, len))
				return 0;
		return 1;
	}
	if (cond_match(c, in))
		return 1;
	if (c->kind->match == match_any)
		snprintf(why, len, "none of the %zu conditions of any: matched",
			 c->nsubs);
	else if (c->kind->match == match_not)
		snprintf(why, len, "the condition under not: matched");
	else if (c->kind->envelope && !in->env)
		snprintf(why, len, "%s: no envelope", c->kind->name);
	else
		snprintf(why, len, "%s: did not match", c->kind->name);
	return 0;
}

void cond_free(struct cond *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nsubs; i++)
		cond_free(c->subs[i]);
	free(c->subs);
	matcher_free(&c->match);
	matcher_free(&c->detail);
	free(c->name);
	free(c->result);
	free(c);
}
