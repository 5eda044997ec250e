#include "explain_cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../parser/scan.h"
#include "../policy/cond.h"
#include "common.h"
#include "envelope_file.h"
#include "walk.h"

struct explain {
	struct scan_options opts;
	const struct settings *settings;
	struct policy *policy;
	int messages;
};

static const char *allowed_by(const struct decision *d, const char *rule)
{
	for (size_t i = 0; i < d->nallowed; i++)
		if (strcmp(d->allowed_rules[i], rule) == 0)
			return d->allowed_by[i];
	return NULL;
}

static void explain_rules(const struct policy *p, const struct cond_input *in,
			  const struct decision *d)
{
	char why[256];

	for (size_t i = 0; i < p->nallows; i++) {
		int m = cond_explain(p->allows[i].when, in, why, sizeof(why));
		printf("allow %-24s %s%s\n", p->allows[i].name,
		       m ? "matched" : "not matched: ", m ? "" : why);
	}
	for (size_t i = 0; i < p->nrules; i++) {
		const struct rule *r = &p->rules[i];
		const char *by;
		if (!cond_explain(r->when, in, why, sizeof(why))) {
			printf("rule  %-24s not matched: %s\n", r->name, why);
			continue;
		}
		printf("rule  %-24s matched", r->name);
		if (r->monitor)
			printf(" (monitor rule: no effect)");
		else if ((by = allowed_by(d, r->name)))
			printf(" (allowed by %s: no effect)", by);
		else
			printf(": score %+ld%s%s", r->score,
			       r->has_action ? ", action " : "",
			       r->has_action ? verdict_name(r->action) : "");
		printf("\n");
	}
}

static void explain_one(const char *label, const char *path, struct span msg,
			void *arg)
{
	struct explain *ex = arg;
	struct envelope env;
	int have_env = envelope_file_load(path, &env);
	struct report report;
	struct decision d;
	int limit = 0;
	struct cond_input in;

	if (cli_scan(msg, &ex->opts, ex->settings, NULL, have_env ? &env : NULL,
		     &report) < 0 ||
	    policy_judge(ex->policy, &report, have_env ? &env : NULL, &d) < 0) {
		fprintf(stderr, "kensa: %s: out of memory\n", label);
		report_free(&report);
		if (have_env)
			envelope_file_free(&env);
		return;
	}
	in.report = &report;
	in.env = have_env ? &env : NULL;
	in.regex_limit = &limit;
	printf("%s%s\n", ex->messages++ ? "\n" : "", label);
	printf("envelope: %s\n", have_env ? "from the file beside it"
					  : "none (envelope conditions fail)");
	printf("findings:");
	for (size_t i = 0; i < report.nfindings; i++)
		printf(" %s", report.findings[i].id);
	printf("%s\n", report.nfindings ? "" : " none");
	explain_rules(ex->policy, &in, &d);
	printf("score %ld, verdict %s%s\n", d.score, verdict_name(d.verdict),
	       d.monitor ? " (policy in monitor mode: only tagged)" : "");
	decision_free(&d);
	report_free(&report);
	if (have_env)
		envelope_file_free(&env);
}

int explain_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"policy", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	struct explain ex;
	struct settings settings;
	const char *config = NULL, *policy = NULL;
	int c, rc;

	memset(&ex, 0, sizeof(ex));
	while ((c = getopt_long(argc, argv, "c:p:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'p': policy = optarg; break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: kensa policy explain [--policy FILE] "
				"[--config FILE] MESSAGE...\n");
		return 2;
	}
	if (cli_settings(&settings, config) < 0)
		return 2;
	if (cli_policy(policy ? policy : settings.policy, &ex.policy) < 0) {
		settings_free(&settings);
		return 2;
	}
	ex.opts.limits = settings.limits;
	ex.settings = &settings;
	ex.opts.yara = ex.policy->yara;
	scan_global_init();
	rc = walk_paths(argv + optind, argc - optind, explain_one, &ex);
	policy_free(ex.policy);
	settings_free(&settings);
	return rc;
}
