/*
 * decide - a compiled policy applied to a report: every rule whose
 * condition matches adds its score and may raise the verdict to its
 * action; the total score is mapped through the thresholds; the strongest
 * of the two wins. In monitor mode the verdict is still computed; the
 * front ends only tag.
 */
#include <stdlib.h>
#include <string.h>

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

int policy_decide(const struct policy *p, const struct report *r,
		  const struct envelope *env, struct decision *out)
{
	struct cond_input in = {r, env};
	enum verdict by_rule = VERDICT_ACCEPT;
	const char *reject_text = NULL;

	memset(out, 0, sizeof(*out));
	out->rules = calloc(p->nrules ? p->nrules : 1, sizeof(*out->rules));
	if (!out->rules)
		return -1;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct rule *rule = &p->rules[i];
		if (!cond_match(rule->when, &in))
			continue;
		out->rules[out->nrules++] = rule->name;
		out->score += rule->score;
		if (!rule->has_action || rule->action < by_rule)
			continue;
		if (rule->action == VERDICT_REJECT && !reject_text)
			reject_text = rule->text;
		by_rule = rule->action;
	}
	out->verdict = by_score(p, out->score);
	if (by_rule > out->verdict)
		out->verdict = by_rule;
	out->reject_text = reject_text ? reject_text : p->reject_text;
	out->monitor = p->monitor;
	return 0;
}

void decision_free(struct decision *d)
{
	free(d->rules);
	d->rules = NULL;
	d->nrules = 0;
}
