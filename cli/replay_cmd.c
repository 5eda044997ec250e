#include "replay_cmd.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../parser/scan.h"
#include "../parser/utf8.h"
#include "../policy/cond.h"
#include "common.h"
#include "envelope_file.h"
#include "walk.h"

struct replay {
	struct scan_options opts;
	struct policy *before, *after;
	int json;
	size_t messages, changed;
	json_t *transitions; /* "a->b": count */
	json_t *rule_hits;   /* rule: [before, after] */
	int status;
};

static json_t *side_json(const struct decision *d)
{
	json_t *rules = json_array();

	for (size_t i = 0; i < d->nrules; i++)
		json_array_append_new(rules, json_string(d->rules[i]));
	return json_pack("{s:s,s:I,s:o}", "verdict", verdict_name(d->verdict),
			 "score", (json_int_t)d->score, "rules", rules);
}

static void count_hits(struct replay *rp, const struct decision *d, int side)
{
	for (size_t i = 0; i < d->nrules; i++) {
		json_t *pair = json_object_get(rp->rule_hits, d->rules[i]);
		if (!pair) {
			pair = json_pack("[i,i]", 0, 0);
			json_object_set_new(rp->rule_hits, d->rules[i], pair);
		}
		json_array_set_new(
		    pair, (size_t)side,
		    json_integer(
			json_integer_value(json_array_get(pair, (size_t)side)) +
			1));
	}
}

static int same_rules(const struct decision *a, const struct decision *b)
{
	if (a->nrules != b->nrules)
		return 0;
	for (size_t i = 0; i < a->nrules; i++)
		if (strcmp(a->rules[i], b->rules[i]) != 0)
			return 0;
	return 1;
}

/* Rules of either policy that look at the envelope, when there is none. */
static json_t *unevaluated(const struct replay *rp)
{
	json_t *names = json_array();
	const struct policy *ps[2] = {rp->before, rp->after};

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < ps[k]->nrules; i++) {
			const char *name = ps[k]->rules[i].name;
			size_t j;
			json_t *v;
			int seen = 0;
			if (!cond_needs_envelope(ps[k]->rules[i].when))
				continue;
			json_array_foreach(names, j, v) seen |=
			    strcmp(json_string_value(v), name) == 0;
			if (!seen)
				json_array_append_new(names, json_string(name));
		}
	return names;
}

static void report_change(struct replay *rp, const char *label,
			  const struct decision *b, const struct decision *a,
			  int have_env)
{
	char *name = utf8_repair(label, strlen(label));
	json_t *line = json_pack("{s:s,s:o,s:o}", "file", name ? name : "?",
				 "before", side_json(b), "after", side_json(a));

	if (!have_env)
		json_object_set_new(line, "unevaluated", unevaluated(rp));
	if (rp->json) {
		json_dumpf(line, stdout, JSON_COMPACT);
		printf("\n");
	} else {
		printf("%s: %s -> %s (score %ld -> %ld)\n", name ? name : "?",
		       verdict_name(b->verdict), verdict_name(a->verdict),
		       b->score, a->score);
	}
	json_decref(line);
	free(name);
}

static void replay_one(const char *label, const char *path, struct span msg,
		       void *arg)
{
	struct replay *rp = arg;
	struct envelope env;
	int have_env = envelope_file_load(path, &env);
	struct report report, other;
	struct decision b, a;
	char key[64];

	/* each policy sees its own scan: its YARA rules, the findings that
	 * deciding adds (listed hashes, regex limits) */
	memset(&other, 0, sizeof(other));
	rp->opts.yara = rp->before->yara;
	if (scan_message(msg, &rp->opts, &report) < 0 ||
	    policy_judge(rp->before, &report, have_env ? &env : NULL, &b) < 0) {
		fprintf(stderr, "kensa: %s: out of memory\n", label);
		rp->status = 2;
		goto out;
	}
	rp->opts.yara = rp->after->yara;
	if (scan_message(msg, &rp->opts, &other) < 0 ||
	    policy_judge(rp->after, &other, have_env ? &env : NULL, &a) < 0) {
		decision_free(&b);
		rp->status = 2;
		goto out;
	}
	rp->messages++;
	count_hits(rp, &b, 0);
	count_hits(rp, &a, 1);
	if (b.verdict != a.verdict || !same_rules(&b, &a)) {
		rp->changed++;
		report_change(rp, label, &b, &a, have_env);
		if (b.verdict != a.verdict) {
			snprintf(key, sizeof(key), "%s->%s",
				 verdict_name(b.verdict),
				 verdict_name(a.verdict));
			json_object_set_new(
			    rp->transitions, key,
			    json_integer(json_integer_value(json_object_get(
					     rp->transitions, key)) +
					 1));
		}
	}
	decision_free(&a);
	decision_free(&b);
out:
	report_free(&report);
	report_free(&other);
	if (have_env)
		envelope_file_free(&env);
}

static void print_summary(struct replay *rp)
{
	const char *name;
	json_t *v;

	if (rp->json) {
		json_t *s =
		    json_pack("{s:{s:I,s:I,s:O,s:O}}", "summary", "messages",
			      (json_int_t)rp->messages, "changed",
			      (json_int_t)rp->changed, "transitions",
			      rp->transitions, "rule_hits", rp->rule_hits);
		json_dumpf(s, stdout, JSON_COMPACT);
		printf("\n");
		json_decref(s);
		return;
	}
	printf("%zu messages, %zu changed\n", rp->messages, rp->changed);
	json_object_foreach(rp->transitions, name, v)
	    printf("  %-26s %lld\n", name, (long long)json_integer_value(v));
	printf("rule hits (before -> after):\n");
	json_object_foreach(rp->rule_hits, name, v)
	    printf("  %-26s %lld -> %lld\n", name,
		   (long long)json_integer_value(json_array_get(v, 0)),
		   (long long)json_integer_value(json_array_get(v, 1)));
}

int replay_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"policy", required_argument, NULL, 'p'},
	    {"baseline", required_argument, NULL, 'b'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	struct replay rp;
	struct settings settings;
	const char *config = NULL, *policy = NULL, *baseline = NULL;
	int c;

	memset(&rp, 0, sizeof(rp));
	while ((c = getopt_long(argc, argv, "c:p:b:j", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'p': policy = optarg; break;
		case 'b': baseline = optarg; break;
		case 'j': rp.json = 1; break;
		default: return 2;
		}
	}
	if (!policy || optind >= argc) {
		fprintf(stderr, "usage: kensa replay --policy NEW [--baseline "
				"OLD] [--config FILE] [--json] PATH...\n");
		return 2;
	}
	if (cli_settings(&settings, config) < 0)
		return 2;
	if (cli_policy(baseline ? baseline : settings.policy, &rp.before) < 0 ||
	    cli_policy(policy, &rp.after) < 0) {
		policy_free(rp.before);
		settings_free(&settings);
		return 2;
	}
	rp.opts.limits = settings.limits;
	rp.transitions = json_object();
	rp.rule_hits = json_object();
	scan_global_init();
	if (walk_paths(argv + optind, argc - optind, replay_one, &rp) != 0)
		rp.status = 2;
	print_summary(&rp);
	json_decref(rp.transitions);
	json_decref(rp.rule_hits);
	policy_free(rp.before);
	policy_free(rp.after);
	settings_free(&settings);
	return rp.status;
}
