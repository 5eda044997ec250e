#include "scan_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../parser/scan.h"
#include "../policy/event_json.h"
#include "../policy/lint.h"
#include "common.h"
#include "walk.h"

struct scan_run {
	struct scan_options opts;
	const struct settings *settings;
	struct ledger *ledger;
	struct policy *policy;
	int json;
	int worst; /* exit status so far */
};

static void print_human(const char *name, const struct report *r,
			const struct decision *d)
{
	printf("%s: %s score=%ld", name, verdict_name(d->verdict), d->score);
	if (d->monitor)
		printf(" (monitor)");
	printf(" rules=");
	for (size_t i = 0; i < d->nrules; i++)
		printf("%s%s", i ? "," : "", d->rules[i]);
	printf(" findings=");
	for (size_t i = 0; i < r->nfindings; i++)
		printf("%s%s", i ? "," : "", r->findings[i].id);
	printf("\n");
}

static void scan_one(const char *name, const char *path, struct span msg,
		     void *arg)
{
	struct scan_run *run = arg;
	struct report report;
	struct decision d;
	json_t *event;

	if (cli_scan(msg, &run->opts, run->settings, run->ledger, NULL,
		     &report) < 0) {
		fprintf(stderr, "kensa: %s: out of memory\n", name);
		run->worst = 2;
		report_free(&report);
		return;
	}
	if (policy_judge(run->policy, &report, NULL, &d) < 0) {
		fprintf(stderr, "kensa: %s: out of memory\n", name);
		run->worst = 2;
		report_free(&report);
		return;
	}
	if (run->json) {
		event = event_json(name, &report, run->policy, &d);
		if (event)
			json_dumpf(event, stdout, JSON_COMPACT);
		printf("\n");
		json_decref(event);
	} else {
		print_human(name, &report, &d);
	}
	if (!d.monitor && d.verdict >= VERDICT_QUARANTINE && run->worst < 1)
		run->worst = 1;
	decision_free(&d);
	report_free(&report);
}

int scan_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"policy", required_argument, NULL, 'p'},
	    {"json", no_argument, NULL, 'j'},
	    {"ledger", required_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	struct scan_run run = {0};
	const char *config = NULL, *policy_path = NULL, *ledger = NULL;
	struct settings settings;
	int c;

	while ((c = getopt_long(argc, argv, "c:p:jl:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'l': ledger = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'j': run.json = 1; break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: kensa scan [--config FILE] [--policy "
				"FILE] [--ledger PATH|URL] [--json] PATH...\n");
		return 2;
	}
	if (cli_settings(&settings, config) < 0)
		return 2;
	if (cli_policy(policy_path ? policy_path : settings.policy,
		       &run.policy) < 0) {
		settings_free(&settings);
		return 2;
	}
	if (cli_ledger(&settings, ledger, 1, &run.ledger) < 0) {
		policy_free(run.policy);
		settings_free(&settings);
		return 2;
	}
	run.settings = &settings;
	run.opts.limits = settings.limits;
	run.opts.yara = run.policy->yara;
	run.opts.common_passwords = settings.passwords_common;
	scan_global_init();
	if (walk_paths(argv + optind, argc - optind, scan_one, &run) >
	    run.worst)
		run.worst = 2;
	fflush(stdout);
	ledger_close(run.ledger);
	policy_free(run.policy);
	settings_free(&settings);
	return run.worst;
}

static void print_warning(const char *text, void *arg)
{
	fprintf(stderr, "%s: warning: %s\n", (const char *)arg, text);
}

int policy_check_cmd(const char *path)
{
	struct policy *p;
	char *error = NULL;
	unsigned warnings;

	if (policy_load(path, &p, &error) < 0) {
		fprintf(stderr, "%s\n", error ? error : "out of memory");
		free(error);
		return 1;
	}
	warnings = policy_lint(p, print_warning, (void *)path);
	printf("%s: ok, %zu rules, %s, %s%s\n", path, p->nrules,
	       p->monitor ? "monitor" : "enforce", p->digest,
	       warnings ? " (with warnings)" : "");
	policy_free(p);
	return 0;
}
