/*
 * decide - a compiled policy applied to a report: every rule whose
 * condition matches adds its score and may raise the verdict to its
 * action; the total score is mapped through the thresholds; the strongest
 * of the two wins. In monitor mode the verdict is still computed; the
 * front ends only tag.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "../parser/url.h"
#include "cond.h"
#include "policy.h"

static const char *const verdict_names[VERDICT_COUNT] = {
    "accept",
    "tag",
    "quarantine",
    "reject",
};

const char *verdict_name(enum verdict v)
{
	return (unsigned)v < VERDICT_COUNT ? verdict_names[v] : "accept";
}

int verdict_parse(const char *s, enum verdict *out)
{
	for (int v = 0; v < VERDICT_COUNT; v++)
		if (strcmp(s, verdict_names[v]) == 0) {
			*out = (enum verdict)v;
			return 0;
		}
	return -1;
}

static enum verdict by_score(const struct policy *p, long score)
{
	enum verdict v = VERDICT_ACCEPT;

	for (int t = VERDICT_TAG; t < VERDICT_COUNT; t++)
		if (p->threshold[t] >= 0 && score >= p->threshold[t])
			v = (enum verdict)t;
	return v;
}

/* The allow entry that suppresses rule for this message, or NULL. */
static const struct allow *allowed_by(const struct policy *p,
				      const struct rule *rule,
				      const char *matched_allows)
{
	for (size_t a = 0; a < p->nallows; a++) {
		if (!matched_allows[a])
			continue;
		for (size_t g = 0; g < p->allows[a].nrules; g++)
			if (fnmatch(p->allows[a].rules[g], rule->name, 0) == 0)
				return &p->allows[a];
	}
	return NULL;
}

static int decision_alloc(struct decision *d, size_t n)
{
	n = n ? n : 1;
	d->rules = calloc(n, sizeof(*d->rules));
	d->monitor_rules = calloc(n, sizeof(*d->monitor_rules));
	d->allowed_rules = calloc(n, sizeof(*d->allowed_rules));
	d->allowed_by = calloc(n, sizeof(*d->allowed_by));
	d->acting = calloc(n, sizeof(*d->acting));
	return d->rules && d->monitor_rules && d->allowed_rules &&
		       d->allowed_by && d->acting
		   ? 0
		   : -1;
}

/* A counted rule: its score, its action, its texts. */
static void count_rule(struct decision *d, const struct rule *rule,
		       enum verdict *by_rule, const char **reject_text)
{
	d->rules[d->nrules] = rule->name;
	d->acting[d->nrules++] = rule;
	d->score += rule->score;
	if (rule->subject_prefix && !d->subject_prefix)
		d->subject_prefix = rule->subject_prefix;
	if (rule->quarantine_method && !d->quarantine_method)
		d->quarantine_method = rule->quarantine_method;
	if (!rule->has_action || rule->action < *by_rule)
		return;
	if (rule->action == VERDICT_REJECT && !*reject_text)
		*reject_text = rule->text;
	*by_rule = rule->action;
}

int policy_decide(const struct policy *p, const struct report *r,
		  const struct envelope *env, struct decision *out)
{
	int limit = 0;
	struct cond_input in = {r, env, &limit};
	enum verdict by_rule = VERDICT_ACCEPT;
	const char *reject_text = NULL;
	char *matched_allows = calloc(p->nallows ? p->nallows : 1, 1);

	memset(out, 0, sizeof(*out));
	if (!matched_allows || decision_alloc(out, p->nrules) < 0) {
		free(matched_allows);
		decision_free(out);
		return -1;
	}
	for (size_t a = 0; a < p->nallows; a++)
		matched_allows[a] = (char)cond_match(p->allows[a].when, &in);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct rule *rule = &p->rules[i];
		const struct allow *allow;
		if (!cond_match(rule->when, &in))
			continue;
		if (rule->monitor) {
			out->monitor_rules[out->nmonitor_rules++] = rule->name;
		} else if ((allow = allowed_by(p, rule, matched_allows))) {
			out->allowed_rules[out->nallowed] = rule->name;
			out->allowed_by[out->nallowed++] = allow->name;
		} else {
			count_rule(out, rule, &by_rule, &reject_text);
		}
	}
	free(matched_allows);
	out->verdict = by_score(p, out->score);
	if (by_rule > out->verdict)
		out->verdict = by_rule;
	out->reject_text = reject_text ? reject_text : p->reject_text;
	if (!out->subject_prefix)
		out->subject_prefix = p->subject_prefix;
	out->monitor = p->monitor;
	out->regex_limit = limit;
	return 0;
}

/* attachment.hash_listed: every part and archive member whose SHA-256 is
 * in one of the policy's sha256 lists, with the list's name as detail. */
static int find_listed_hashes(const struct policy *p, struct report *r)
{
	size_t nparts = r->nparts;

	for (size_t l = 0; l < p->lists.n; l++) {
		const struct list *list = &p->lists.list[l];
		if (list->type != LIST_SHA256)
			continue;
		for (size_t i = 0; i < nparts; i++)
			if (list_contains(list, r->parts[i].sha256) &&
			    report_add_finding(r, "attachment.hash_listed",
					       &r->parts[i].path, list->name,
					       strlen(list->name)) < 0)
				return -1;
	}
	return 0;
}

/* Whether a URL (as the report holds it, normalized) is on list l: its
 * host or registrable domain (a domain list also matches subdomains, so
 * the host alone decides there), or the whole URL. *org is looked up the
 * first time a list needs it. */
static int url_on_list(const struct list *l, const char *url, const char *host,
		       const char **org)
{
	if (l->type == LIST_URL && list_contains(l, url))
		return 1;
	if (list_contains(l, host))
		return 1;
	if (l->type == LIST_DOMAIN)
		return 0;
	if (!*org)
		*org = url_org_domain(host);
	return list_contains(l, *org);
}

static int url_lists(const struct policy *p)
{
	for (size_t l = 0; l < p->lists.n; l++)
		if (p->lists.list[l].finding)
			return 1;
	return 0;
}

/* url.listed, url.shortener: every URL of the message on a list that
 * names one of them (lists.h), once per URL and finding, with the URL and
 * the list's name as detail. */
static int find_listed_urls(const struct policy *p, struct report *r)
{
	size_t nurls = r->nurls;

	if (!url_lists(p))
		return 0;
	for (size_t i = 0; i < nurls; i++) {
		const char *given = NULL;
		char host[URL_MAX_BYTES + 1];
		int rc =
		    url_normalized_host(r->urls[i].url, host, sizeof(host));
		const char *org = NULL;
		for (size_t l = 0; rc == 0 && l < p->lists.n; l++) {
			const struct list *list = &p->lists.list[l];
			char *detail;
			if (!list->finding || list->finding == given ||
			    !url_on_list(list, r->urls[i].url, host, &org))
				continue;
			given = list->finding;
			if (asprintf(&detail, "%s in %s", r->urls[i].url,
				     list->name) < 0) {
				rc = -1;
				break;
			}
			rc = report_add_finding(r, list->finding,
						&r->urls[i].part, detail,
						strlen(detail));
			free(detail);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int policy_judge(const struct policy *p, struct report *r,
		 const struct envelope *env, struct decision *out)
{
	static const char detail[] = "a policy regex hit its match limit";

	if (find_listed_hashes(p, r) < 0 || find_listed_urls(p, r) < 0 ||
	    policy_decide(p, r, env, out) < 0)
		return -1;
	if (!out->regex_limit)
		return 0;
	decision_free(out);
	if (report_add_finding(r, "scan.limit", NULL, detail,
			       sizeof(detail) - 1) < 0)
		return -1;
	return policy_decide(p, r, env, out);
}

void decision_free(struct decision *d)
{
	free(d->rules);
	free(d->monitor_rules);
	free(d->allowed_rules);
	free(d->allowed_by);
	free(d->acting);
	memset(d, 0, sizeof(*d));
}
