/*
 * policy_load - compiles a policy file (kensa-policy(5)) once. Unknown
 * keys, wrong types and bad values are errors with file:line:column; a
 * policy that does not compile is never used. Reject texts are sanitised
 * here: printable ASCII, at most REJECT_TEXT_MAX characters.
 */
#include <ctype.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../parser/digest.h"
#include "../parser/yara_rules.h"
#include "cond.h"
#include "policy.h"
#include "reply_text.h"
#include "ydoc.h"

static const char *const top_keys[] = {
    "version",
    "mode",
    "lists",
    "allow",
    "yara",
    "thresholds",
    "trusted_authserv_ids",
    "subject_prefix",
    "reject_text",
    "rules",
    NULL,
};
static const char *const threshold_keys[] = {"tag", "quarantine", "reject",
					     NULL};
static const char *const rule_keys[] = {
    "name",    "description",	 "when",    "score",   "action",     "text",
    "monitor", "subject_prefix", "headers", "copy_to", "quarantine", NULL};
static const char *const allow_keys[] = {"name", "rules", "when", NULL};

/* What conditions see of the policy being loaded (its address is stable). */
static const struct cond_config *cond_config_of(struct policy *p)
{
	p->cond_config.lists = &p->lists;
	p->cond_config.authserv_ids = p->authserv_ids;
	p->cond_config.nauthserv_ids = p->nauthserv_ids;
	return &p->cond_config;
}

static int load_thresholds(struct ydoc *y, yaml_node_t *n, struct policy *p)
{
	if (ydoc_expect_mapping(y, n, "thresholds") < 0 ||
	    ydoc_check_keys(y, n, threshold_keys) < 0)
		return -1;
	for (int v = VERDICT_TAG; v < VERDICT_COUNT; v++) {
		yaml_node_t *t = ydoc_get(y, n, verdict_name((enum verdict)v));
		if (t && ydoc_int(y, t, 1, 1000000, &p->threshold[v]) < 0)
			return -1;
	}
	for (int v = VERDICT_TAG + 1; v < VERDICT_COUNT; v++)
		for (int w = VERDICT_TAG; w < v; w++)
			if (p->threshold[v] >= 0 && p->threshold[w] >= 0 &&
			    p->threshold[w] > p->threshold[v])
				return ydoc_error(y, n,
						  "threshold %s (%ld) is above "
						  "%s (%ld)",
						  verdict_name((enum verdict)w),
						  p->threshold[w],
						  verdict_name((enum verdict)v),
						  p->threshold[v]);
	return 0;
}

static int load_text(struct ydoc *y, yaml_node_t *n, char **out)
{
	char *raw = NULL;

	if (ydoc_string(y, n, &raw) < 0)
		return -1;
	free(*out);
	*out = reply_text_sanitize(raw);
	free(raw);
	if (!*out || !**out)
		return ydoc_error(y, n, "expected a non-empty printable text");
	return 0;
}

static int load_rule_action(struct ydoc *y, yaml_node_t *n, struct rule *r)
{
	const char *s = ydoc_scalar(n);

	if (!s || verdict_parse(s, &r->action) < 0 ||
	    r->action == VERDICT_ACCEPT)
		return ydoc_error(
		    y, n, "expected an action: tag, quarantine or reject");
	r->has_action = 1;
	return 0;
}

/* Texts that go into headers must be printable ASCII, one line. */
static int header_text_ok(const char *s)
{
	if (!*s || strlen(s) > 900)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static int header_name_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

static int load_rule_headers(struct ydoc *y, yaml_node_t *n, struct rule *r)
{
	size_t count;

	if (ydoc_expect_mapping(y, n, "headers") < 0)
		return -1;
	count =
	    (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	r->headers = calloc(count ? count : 1, sizeof(*r->headers));
	if (!r->headers)
		return ydoc_error(y, n, "out of memory");
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
	     pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = ydoc_node(y, pr->key),
			    *v = ydoc_node(y, pr->value);
		const char *name = ydoc_scalar(k), *value = ydoc_scalar(v);
		struct added_header *h = &r->headers[r->nheaders];
		if (!name || !header_name_ok(name))
			return ydoc_error(y, k,
					  "expected a header name "
					  "(letters, digits, '-')");
		if (!value || !header_text_ok(value))
			return ydoc_error(y, v,
					  "expected a printable ASCII "
					  "header value");
		h->name = strdup(name);
		h->value = strdup(value);
		r->nheaders++;
		if (!h->name || !h->value)
			return ydoc_error(y, v, "out of memory");
	}
	return 0;
}

static int load_rule_extras(struct ydoc *y, yaml_node_t *n, struct rule *r)
{
	yaml_node_t *v;

	if ((v = ydoc_get(y, n, "monitor")) && ydoc_bool(y, v, &r->monitor) < 0)
		return -1;
	if ((v = ydoc_get(y, n, "subject_prefix")) &&
	    ydoc_string(y, v, &r->subject_prefix) < 0)
		return -1;
	if ((v = ydoc_get(y, n, "headers")) && load_rule_headers(y, v, r) < 0)
		return -1;
	if ((v = ydoc_get(y, n, "quarantine"))) {
		const char *m = ydoc_scalar(v);
		if (!m || (strcmp(m, "hold") && strcmp(m, "store")))
			return ydoc_error(y, v,
					  "expected quarantine: hold or store");
		r->quarantine_method = strcmp(m, "store") == 0 ? 2 : 1;
	}
	if ((v = ydoc_get(y, n, "copy_to"))) {
		if (ydoc_string(y, v, &r->copy_to) < 0)
			return -1;
		if (!strchr(r->copy_to, '@') || strpbrk(r->copy_to, "<> \r\n"))
			return ydoc_error(y, v,
					  "expected an address such as "
					  "soc@example.com");
	}
	return 0;
}

static int load_allow(struct ydoc *y, yaml_node_t *n, struct policy *p,
		      struct allow *a)
{
	yaml_node_t *v;

	if (ydoc_expect_mapping(y, n, "an allow entry") < 0 ||
	    ydoc_check_keys(y, n, allow_keys) < 0)
		return -1;
	if (!(v = ydoc_get(y, n, "name")) || ydoc_string(y, v, &a->name) < 0)
		return ydoc_error(y, n, "allow entry without a name");
	v = ydoc_get(y, n, "rules");
	if (!v)
		return ydoc_error(y, n, "allow '%s' without rules:", a->name);
	if (v->type == YAML_SCALAR_NODE) {
		a->rules = calloc(1, sizeof(*a->rules));
		if (!a->rules || !(a->rules[0] = strdup(ydoc_scalar(v))))
			return ydoc_error(y, v, "out of memory");
		a->nrules = 1;
	} else if (v->type == YAML_SEQUENCE_NODE) {
		size_t count = (size_t)(v->data.sequence.items.top -
					v->data.sequence.items.start);
		a->rules = calloc(count ? count : 1, sizeof(*a->rules));
		if (!a->rules)
			return ydoc_error(y, v, "out of memory");
		for (yaml_node_item_t *it = v->data.sequence.items.start;
		     it < v->data.sequence.items.top; it++) {
			const char *g = ydoc_scalar(ydoc_node(y, *it));
			if (!g)
				return ydoc_error(
				    y, ydoc_node(y, *it),
				    "expected a rule name or glob");
			if (!(a->rules[a->nrules] = strdup(g)))
				return ydoc_error(y, v, "out of memory");
			a->nrules++;
		}
	} else {
		return ydoc_error(y, v, "expected rule names or globs");
	}
	if (!(v = ydoc_get(y, n, "when")))
		return ydoc_error(y, n, "allow '%s' without a 'when'", a->name);
	return cond_compile(y, v, cond_config_of(p), 0, &a->when);
}

static int load_allows(struct ydoc *y, yaml_node_t *n, struct policy *p)
{
	size_t count;

	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(y, n, "expected a list of allow entries");
	count =
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	p->allows = calloc(count ? count : 1, sizeof(*p->allows));
	if (!p->allows)
		return ydoc_error(y, n, "out of memory");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		int rc =
		    load_allow(y, ydoc_node(y, *it), p, &p->allows[p->nallows]);
		p->nallows++;
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int load_strings(struct ydoc *y, yaml_node_t *n, char ***out,
			size_t *count)
{
	size_t max;

	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(y, n, "expected a list of names");
	max =
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	*out = calloc(max ? max : 1, sizeof(**out));
	if (!*out)
		return ydoc_error(y, n, "out of memory");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		const char *s = ydoc_scalar(ydoc_node(y, *it));
		if (!s || !*s)
			return ydoc_error(y, ydoc_node(y, *it),
					  "expected a name");
		if (!((*out)[*count] = strdup(s)))
			return ydoc_error(y, n, "out of memory");
		(*count)++;
	}
	return 0;
}

/* yara: [FILE...], relative to the policy's directory; compiled here. */
static int load_yara(struct ydoc *y, yaml_node_t *n, struct policy *p)
{
	char err[512];
	size_t count;

	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(y, n, "expected a list of YARA rule files");
	count =
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	p->yara_files = calloc(count ? count : 1, sizeof(*p->yara_files));
	if (!p->yara_files)
		return ydoc_error(y, n, "out of memory");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *f = ydoc_node(y, *it);
		const char *name = ydoc_scalar(f);
		char *copy, *out = NULL;
		int rc;
		if (!name || !*name)
			return ydoc_error(y, f, "expected a YARA rule file");
		copy = strdup(p->path);
		if (!copy)
			return ydoc_error(y, f, "out of memory");
		rc = name[0] == '/'
			 ? asprintf(&out, "%s", name)
			 : asprintf(&out, "%s/%s", dirname(copy), name);
		free(copy);
		if (rc < 0)
			return ydoc_error(y, f, "out of memory");
		p->yara_files[p->nyara_files++] = out;
	}
	if (yara_rules_compile((const char *const *)p->yara_files,
			       p->nyara_files, &p->yara, err, sizeof(err)) < 0)
		return ydoc_error(y, n, "YARA: %s", err);
	return 0;
}

/* Rule names go into headers, logs and metric labels: keep them plain. */
static int rule_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64)
		return 0;
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("._-", *c))
			return 0;
	return 1;
}

static int load_rule(struct ydoc *y, yaml_node_t *n, struct policy *p,
		     struct rule *r)
{
	yaml_node_t *v;

	if (ydoc_expect_mapping(y, n, "a rule") < 0 ||
	    ydoc_check_keys(y, n, rule_keys) < 0)
		return -1;
	v = ydoc_get(y, n, "name");
	if (!v)
		return ydoc_error(y, n, "rule without a name");
	if (ydoc_string(y, v, &r->name) < 0)
		return -1;
	if (!rule_name_ok(r->name))
		return ydoc_error(y, v,
				  "expected a rule name of letters, digits, "
				  "'.', '_' and '-' (at most 64)");
	for (size_t i = 0; i < p->nrules; i++)
		if (strcmp(p->rules[i].name, r->name) == 0)
			return ydoc_error(y, v, "duplicate rule name '%s'",
					  r->name);
	if ((v = ydoc_get(y, n, "description")) &&
	    ydoc_string(y, v, &r->description) < 0)
		return -1;
	v = ydoc_get(y, n, "when");
	if (!v)
		return ydoc_error(y, n, "rule '%s' without a 'when'", r->name);
	if (cond_compile(y, v, cond_config_of(p), 0, &r->when) < 0)
		return -1;
	if ((v = ydoc_get(y, n, "score")) &&
	    ydoc_int(y, v, -1000000, 1000000, &r->score) < 0)
		return -1;
	if ((v = ydoc_get(y, n, "action")) && load_rule_action(y, v, r) < 0)
		return -1;
	if ((v = ydoc_get(y, n, "text"))) {
		if (!r->has_action || r->action != VERDICT_REJECT)
			return ydoc_error(y, v,
					  "'text' belongs to rules with "
					  "action: reject");
		if (load_text(y, v, &r->text) < 0)
			return -1;
	}
	if (load_rule_extras(y, n, r) < 0)
		return -1;
	if (!r->has_action && !ydoc_get(y, n, "score"))
		return ydoc_error(y, n, "rule '%s' needs a score or an action",
				  r->name);
	return 0;
}

static int load_rules(struct ydoc *y, yaml_node_t *n, struct policy *p)
{
	size_t count;
	yaml_node_item_t *it;

	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(y, n, "expected a list of rules");
	count =
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	p->rules = calloc(count ? count : 1, sizeof(*p->rules));
	if (!p->rules)
		return ydoc_error(y, n, "out of memory");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		struct rule *r = &p->rules[p->nrules];
		int rc = load_rule(y, ydoc_node(y, *it), p, r);
		p->nrules++;
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int load_mode(struct ydoc *y, yaml_node_t *n, struct policy *p)
{
	const char *s = ydoc_scalar(n);

	if (s && strcmp(s, "enforce") == 0)
		p->monitor = 0;
	else if (s && strcmp(s, "monitor") == 0)
		p->monitor = 1;
	else
		return ydoc_error(y, n, "expected mode: enforce or monitor");
	return 0;
}

static int load_top(struct ydoc *y, struct policy *p)
{
	yaml_node_t *root = ydoc_root(y), *v;
	long version;

	if (!root)
		return ydoc_error(y, NULL, "empty policy");
	if (ydoc_expect_mapping(y, root, "the policy") < 0 ||
	    ydoc_check_keys(y, root, top_keys) < 0)
		return -1;
	v = ydoc_get(y, root, "version");
	if (!v)
		return ydoc_error(y, root, "missing 'version: 1'");
	if (ydoc_int(y, v, 1, 1, &version) < 0)
		return -1;
	if ((v = ydoc_get(y, root, "mode")) && load_mode(y, v, p) < 0)
		return -1;
	if ((v = ydoc_get(y, root, "thresholds")) &&
	    load_thresholds(y, v, p) < 0)
		return -1;
	if ((v = ydoc_get(y, root, "subject_prefix")) &&
	    ydoc_string(y, v, &p->subject_prefix) < 0)
		return -1;
	if ((v = ydoc_get(y, root, "reject_text")) &&
	    load_text(y, v, &p->reject_text) < 0)
		return -1;
	if ((v = ydoc_get(y, root, "lists")) &&
	    lists_load(y, v, p->path, &p->lists) < 0)
		return -1;
	if ((v = ydoc_get(y, root, "yara")) && load_yara(y, v, p) < 0)
		return -1;
	if ((v = ydoc_get(y, root, "trusted_authserv_ids")) &&
	    load_strings(y, v, &p->authserv_ids, &p->nauthserv_ids) < 0)
		return -1;
	v = ydoc_get(y, root, "rules");
	if (!v)
		return ydoc_error(y, root, "missing 'rules'");
	if (load_rules(y, v, p) < 0)
		return -1;
	if ((v = ydoc_get(y, root, "allow")) && load_allows(y, v, p) < 0)
		return -1;
	return 0;
}

static void digest_text(const char *text, size_t len, char out[72])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(text, len, md, &mdlen, EVP_sha256(), NULL);
	memcpy(out, "sha256:", 7);
	digest_hex(md, sizeof(md), out + 7);
}

int policy_load_string(const char *name, const char *text, size_t len,
		       struct policy **out, char **error)
{
	struct ydoc y;
	struct policy *p = calloc(1, sizeof(*p));

	*out = NULL;
	*error = NULL;
	if (!p)
		return -1;
	for (int v = 0; v < VERDICT_COUNT; v++)
		p->threshold[v] = -1;
	p->path = strdup(name);
	digest_text(text, len, p->digest);
	if (ydoc_load_string(&y, name, text, len) < 0 || load_top(&y, p) < 0) {
		*error = y.error ? strdup(y.error) : strdup("policy error");
		ydoc_free(&y);
		policy_free(p);
		return -1;
	}
	ydoc_free(&y);
	if (!p->reject_text)
		p->reject_text = strdup("Message rejected by content policy");
	*out = p;
	return 0;
}

int policy_load(const char *path, struct policy **out, char **error)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long len;
	int rc;

	*out = NULL;
	if (!f || fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) < 0 ||
	    len > (long)YDOC_MAX_BYTES || fseek(f, 0, SEEK_SET) < 0) {
		if (f)
			fclose(f);
		if (asprintf(error, "%s:1:1: cannot read the policy file",
			     path) < 0)
			*error = NULL;
		return -1;
	}
	text = malloc((size_t)len + 1);
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
		free(text);
		fclose(f);
		if (asprintf(error, "%s:1:1: cannot read the policy file",
			     path) < 0)
			*error = NULL;
		return -1;
	}
	fclose(f);
	rc = policy_load_string(path, text, (size_t)len, out, error);
	free(text);
	return rc;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		struct rule *r = &p->rules[i];
		free(r->name);
		free(r->description);
		free(r->text);
		free(r->subject_prefix);
		free(r->copy_to);
		for (size_t h = 0; h < r->nheaders; h++) {
			free(r->headers[h].name);
			free(r->headers[h].value);
		}
		free(r->headers);
		cond_free(r->when);
	}
	for (size_t i = 0; i < p->nallows; i++) {
		for (size_t g = 0; g < p->allows[i].nrules; g++)
			free(p->allows[i].rules[g]);
		free(p->allows[i].rules);
		free(p->allows[i].name);
		cond_free(p->allows[i].when);
	}
	free(p->allows);
	lists_free(&p->lists);
	for (size_t i = 0; i < p->nauthserv_ids; i++)
		free(p->authserv_ids[i]);
	free(p->authserv_ids);
	for (size_t i = 0; i < p->nyara_files; i++)
		free(p->yara_files[i]);
	free(p->yara_files);
	yara_rules_free(p->yara);
	free(p->rules);
	free(p->path);
	free(p->subject_prefix);
	free(p->reject_text);
	free(p);
}
