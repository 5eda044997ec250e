#include "ledger_cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../parser/scan.h"
#include "../store/thread_ledger.h"
#include "common.h"
#include "walk.h"

struct record_run {
	struct scan_options opts;
	struct ledger *ledger;
	unsigned long recorded, skipped, failed;
};

static void record_one(const char *label, const char *path, struct span msg,
		       void *arg)
{
	struct record_run *run = arg;
	struct report report;
	int rc;

	if (scan_message(msg, &run->opts, &report) < 0) {
		fprintf(stderr, "kensa: %s: out of memory\n", label);
		run->failed++;
		report_free(&report);
		return;
	}
	rc = thread_ledger_record(run->ledger, NULL, &report);
	if (rc > 0)
		run->recorded++;
	else if (rc == 0)
		run->skipped++;
	else {
		fprintf(stderr, "kensa: %s: %s\n", label,
			ledger_last_error(run->ledger));
		run->failed++;
	}
	report_free(&report);
}

static int record(struct ledger *l, const struct settings *s, char **paths,
		  int npaths)
{
	struct record_run run = {.ledger = l};

	run.opts.limits = s->limits;
	run.opts.common_passwords = "";
	scan_global_init();
	if (walk_paths(paths, npaths, record_one, &run) > 0)
		run.failed++;
	printf("recorded %lu message(s) in %s; %lu without Message-ID or "
	       "recipients; %lu failed\n",
	       run.recorded, ledger_location(l), run.skipped, run.failed);
	return run.failed ? 1 : 0;
}

static int show(struct ledger *l, const char *message_id)
{
	struct ledger_entry *e = malloc(sizeof(*e));
	char when[32];
	time_t t;
	int rc = 1;

	if (!e)
		return 2;
	switch (ledger_get(l, message_id, e)) {
	case LEDGER_UNKNOWN:
		fprintf(stderr, "kensa: ledger %s: %s\n", ledger_location(l),
			ledger_last_error(l));
		rc = 2;
		break;
	case LEDGER_ABSENT:
		printf("%s: not in the ledger\n", message_id);
		break;
	case LEDGER_FOUND:
		t = (time_t)e->time;
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		printf("%s: recorded %s, %u recipient(s) in %u "
		       "organization(s): %s\n",
		       message_id, when, e->nrcpts, e->norgs, e->domains);
		rc = 0;
		break;
	}
	free(e);
	return rc;
}

static int stats(struct ledger *l)
{
	struct ledger_stats st;

	if (ledger_stats(l, &st) < 0) {
		fprintf(stderr, "kensa: ledger %s: %s\n", ledger_location(l),
			ledger_last_error(l));
		return 2;
	}
	printf("backend: %s\nlocation: %s\n", st.backend, ledger_location(l));
	if (st.entries >= 0)
		printf("entries: %lld\n", st.entries);
	if (st.bytes_max)
		printf("bytes used: %zu of %zu (%.1f%%)\n", st.bytes_used,
		       st.bytes_max,
		       100.0 * (double)st.bytes_used / (double)st.bytes_max);
	return 0;
}

static int expire(struct ledger *l)
{
	unsigned long removed;

	if (ledger_expire(l, &removed) < 0) {
		fprintf(stderr, "kensa: ledger %s: %s\n", ledger_location(l),
			ledger_last_error(l));
		return 2;
	}
	printf("removed %lu expired entries\n", removed);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: kensa ledger [--config FILE] [--ledger PATH|URL] "
		"record PATH...\n"
		"       kensa ledger [--config FILE] [--ledger PATH|URL] show "
		"MESSAGE-ID\n"
		"       kensa ledger [--config FILE] [--ledger PATH|URL] "
		"stats|expire\n");
	return 2;
}

int ledger_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"ledger", required_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL, *location = NULL, *verb;
	struct settings settings;
	struct ledger *l = NULL;
	int c, readonly, rc;

	while ((c = getopt_long(argc, argv, "+c:l:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'l': location = optarg; break;
		default: return usage();
		}
	}
	if (optind >= argc)
		return usage();
	verb = argv[optind++];
	if ((strcmp(verb, "record") == 0 && optind >= argc) ||
	    (strcmp(verb, "show") == 0 && optind + 1 != argc) ||
	    ((strcmp(verb, "stats") == 0 || strcmp(verb, "expire") == 0) &&
	     optind != argc))
		return usage();
	readonly = strcmp(verb, "show") == 0 || strcmp(verb, "stats") == 0;
	if (cli_settings(&settings, config) < 0)
		return 2;
	if (cli_ledger(&settings, location, readonly, &l) < 0 || !l) {
		if (!l)
			fprintf(stderr, "kensa: no ledger (ledger.location: "
					"off, or not created yet)\n");
		settings_free(&settings);
		return 2;
	}
	if (strcmp(verb, "record") == 0)
		rc = record(l, &settings, argv + optind, argc - optind);
	else if (strcmp(verb, "show") == 0)
		rc = show(l, argv[optind]);
	else if (strcmp(verb, "stats") == 0)
		rc = stats(l);
	else if (strcmp(verb, "expire") == 0)
		rc = expire(l);
	else
		rc = usage();
	ledger_close(l);
	settings_free(&settings);
	return rc;
}
