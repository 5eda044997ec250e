/*
 * policy_load - compiles a policy file (kensa-policy(5)) once. Unknown
 * keys, wrong types and bad values are errors with file:line:column; a
 * policy that does not compile is never used. Reject texts are sanitised
 * here: printable ASCII, at most REJECT_TEXT_MAX characters.
 */
#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "policy.h"
#include "reply_text.h"
#include "ydoc.h"

static const char *const top_keys[] = {
    "version",	   "mode",  "thresholds", "subject_prefix",
    "reject_text", "rules", NULL,
};
static const char *const threshold_keys[] = {"tag", "quarantine", "reject",
					     NULL};
static const char *const rule_keys[] = {
    "name", "description", "when", "score", "action", "text", NULL};

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
	if (cond_compile(y, v, 0, &r->when) < 0)
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
	v = ydoc_get(y, root, "rules");
	if (!v)
		return ydoc_error(y, root, "missing 'rules'");
	return load_rules(y, v, p);
}

static void digest_text(const char *text, size_t len, char out[72])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	int off = snprintf(out, 72, "sha256:");

	EVP_Digest(text, len, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		off += snprintf(out + off, 72 - (size_t)off, "%02x", md[i]);
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
		free(p->rules[i].name);
		free(p->rules[i].description);
		free(p->rules[i].text);
		cond_free(p->rules[i].when);
	}
	free(p->rules);
	free(p->path);
	free(p->subject_prefix);
	free(p->reject_text);
	free(p);
}
