#include "replay_cmd.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../parser/report_wire.h"
#include "../parser/scan.h"
#include "../parser/utf8.h"
#include "../policy/cond.h"
#include "common.h"
#include "envelope_file.h"
#include "walk.h"

#define REPLAY_MAX_JOBS 64

struct replay {
	struct scan_options opts;
	const struct settings *settings;
	struct ledger *ledger; /* --ledger, read only; or NULL */
	int one_scan;	       /* both policies have the same YARA rules */
	struct policy *before, *after;
	int json;
	FILE *out;		/* a job's records for the parent, or NULL */
	unsigned share, shares; /* this job's share of the walk */
	size_t walked;		/* messages handed to this job */
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

static void add_count(json_t *obj, const char *key, json_int_t n)
{
	json_object_set_new(
	    obj, key,
	    json_integer(json_integer_value(json_object_get(obj, key)) + n));
}

/* Adds n to the hits of rule under one policy (0: before, 1: after). */
static void add_hits(json_t *hits, const char *rule, size_t side, json_int_t n)
{
	json_t *pair = json_object_get(hits, rule);

	if (!pair) {
		pair = json_pack("[i,i]", 0, 0);
		json_object_set_new(hits, rule, pair);
	}
	json_array_set_new(
	    pair, side,
	    json_integer(json_integer_value(json_array_get(pair, side)) + n));
}

static void count_hits(struct replay *rp, const struct decision *d, int side)
{
	for (size_t i = 0; i < d->nrules; i++)
		add_hits(rp->rule_hits, d->rules[i], (size_t)side, 1);
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

static void print_change(const struct replay *rp, json_t *line)
{
	const json_t *b = json_object_get(line, "before"),
		     *a = json_object_get(line, "after");

	if (rp->json) {
		json_dumpf(line, stdout, JSON_COMPACT);
		printf("\n");
		return;
	}
	printf("%s: %s -> %s (score %lld -> %lld)\n",
	       json_string_value(json_object_get(line, "file")),
	       json_string_value(json_object_get(b, "verdict")),
	       json_string_value(json_object_get(a, "verdict")),
	       (long long)json_integer_value(json_object_get(b, "score")),
	       (long long)json_integer_value(json_object_get(a, "score")));
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
	if (rp->out) {
		/* the messages of a job are every shares-th of the walk */
		size_t seq = (rp->walked - 1) * rp->shares + rp->share;
		json_t *rec = json_pack("{s:I,s:O}", "seq", (json_int_t)seq,
					"change", line);
		json_dumpf(rec, rp->out, JSON_COMPACT);
		fputc('\n', rp->out);
		json_decref(rec);
	} else {
		print_change(rp, line);
	}
	json_decref(line);
	free(name);
}

/* A second report, the same as r (through the form the workers send the
 * daemon, which carries everything a report holds). */
static int report_copy(const struct report *r, size_t max_findings,
		       struct report *out)
{
	unsigned char *buf;
	size_t len;
	int rc;

	if (report_to_wire(r, &buf, &len) < 0)
		return -1;
	rc = report_from_wire(buf, len, out, max_findings);
	free(buf);
	return rc;
}

static int same_yara(const struct policy *a, const struct policy *b)
{
	if (a->nyara_files != b->nyara_files)
		return 0;
	for (size_t i = 0; i < a->nyara_files; i++)
		if (strcmp(a->yara_files[i], b->yara_files[i]) != 0)
			return 0;
	return 1;
}

/* The message's report for each policy: one scan when their YARA rules
 * are the same (deciding may add findings, so each gets its own copy),
 * two otherwise. */
static int scan_twice(struct replay *rp, struct span msg, struct envelope *env,
		      struct report *before, struct report *after)
{
	rp->opts.yara = rp->before->yara;
	if (cli_scan(msg, &rp->opts, rp->settings, rp->ledger, env, before) < 0)
		return -1;
	if (rp->one_scan)
		return report_copy(before, rp->settings->limits.findings,
				   after);
	rp->opts.yara = rp->after->yara;
	return cli_scan(msg, &rp->opts, rp->settings, rp->ledger, env, after);
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

	rp->walked++;
	memset(&report, 0, sizeof(report));
	memset(&other, 0, sizeof(other));
	if (scan_twice(rp, msg, have_env ? &env : NULL, &report, &other) < 0 ||
	    policy_judge(rp->before, &report, have_env ? &env : NULL, &b) < 0) {
		fprintf(stderr, "kensa: %s: out of memory\n", label);
		rp->status = 2;
		goto out;
	}
	if (policy_judge(rp->after, &other, have_env ? &env : NULL, &a) < 0) {
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
			add_count(rp->transitions, key, 1);
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

static json_t *summary_json(const struct replay *rp)
{
	return json_pack("{s:{s:I,s:I,s:O,s:O}}", "summary", "messages",
			 (json_int_t)rp->messages, "changed",
			 (json_int_t)rp->changed, "transitions",
			 rp->transitions, "rule_hits", rp->rule_hits);
}

static void print_summary(struct replay *rp)
{
	const char *name;
	json_t *v;

	if (rp->json) {
		json_t *s = summary_json(rp);
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

/* Adds a job's summary to rp's. */
static void merge_summary(struct replay *rp, const json_t *s)
{
	const char *name;
	json_t *v;

	rp->messages +=
	    (size_t)json_integer_value(json_object_get(s, "messages"));
	rp->changed +=
	    (size_t)json_integer_value(json_object_get(s, "changed"));
	json_object_foreach(json_object_get(s, "transitions"), name, v)
	    add_count(rp->transitions, name, json_integer_value(v));
	json_object_foreach(json_object_get(s, "rule_hits"), name,
			    v) for (size_t side = 0; side < 2; side++)
	    add_hits(rp->rule_hits, name, side,
		     json_integer_value(json_array_get(v, side)));
}

struct changes {
	json_t **rec; /* {"seq": N, "change": {...}} */
	size_t n, cap;
};

static int by_seq(const void *a, const void *b)
{
	json_int_t x = json_integer_value(
		       json_object_get(*(json_t *const *)a, "seq")),
		   y = json_integer_value(
		       json_object_get(*(json_t *const *)b, "seq"));
	return (x > y) - (x < y);
}

/* Reads a job's records: changes into ch, the summary into rp. Returns -1
 * if the job did not finish (no summary) or memory ran out. */
static int read_job(struct replay *rp, FILE *f, struct changes *ch)
{
	json_error_t err;
	json_t *rec;
	int done = 0;

	rewind(f);
	while ((rec = json_loadf(f, JSON_DISABLE_EOF_CHECK, &err))) {
		json_t *summary = json_object_get(rec, "summary");
		if (summary) {
			merge_summary(rp, summary);
			done = 1;
			json_decref(rec);
			continue;
		}
		if (ch->n == ch->cap) {
			size_t cap = ch->cap ? 2 * ch->cap : 64;
			json_t **r = realloc(ch->rec, cap * sizeof(*r));
			if (!r) {
				json_decref(rec);
				return -1;
			}
			ch->rec = r;
			ch->cap = cap;
		}
		ch->rec[ch->n++] = rec;
	}
	return done ? 0 : -1;
}

/* Splits the walk between `jobs` processes (each scans its share and
 * writes its records to a temporary file), then prints the changes in
 * walk order and the summed summary, as one process would have. */
static void replay_jobs(struct replay *rp, char *const *paths, int npaths,
			unsigned jobs)
{
	FILE *files[REPLAY_MAX_JOBS];
	pid_t pids[REPLAY_MAX_JOBS];
	struct changes ch = {NULL, 0, 0};

	for (unsigned j = 0; j < jobs; j++) {
		pids[j] = -1;
		if (!(files[j] = tmpfile())) {
			perror("kensa: replay: tmpfile");
			rp->status = 2;
			continue;
		}
		fflush(stdout);
		if ((pids[j] = fork()) == 0) {
			json_t *s;
			rp->out = files[j];
			rp->share = j;
			rp->shares = jobs;
			if (walk_share(paths, npaths, j, jobs, replay_one, rp))
				rp->status = 2;
			s = summary_json(rp);
			json_dumpf(s, rp->out, JSON_COMPACT);
			_exit(fflush(rp->out) == 0 ? rp->status : 2);
		}
		if (pids[j] < 0) {
			perror("kensa: replay: fork");
			rp->status = 2;
		}
	}
	for (unsigned j = 0; j < jobs; j++) {
		int st;
		if (pids[j] > 0 && (waitpid(pids[j], &st, 0) < 0 ||
				    !WIFEXITED(st) || WEXITSTATUS(st) != 0))
			rp->status = 2;
		if (pids[j] > 0 && read_job(rp, files[j], &ch) < 0) {
			fprintf(stderr, "kensa: replay: job %u failed\n", j);
			rp->status = 2;
		}
		if (files[j])
			fclose(files[j]);
	}
	if (ch.n) /* qsort wants a non-null array */
		qsort(ch.rec, ch.n, sizeof(*ch.rec), by_seq);
	for (size_t i = 0; i < ch.n; i++) {
		print_change(rp, json_object_get(ch.rec[i], "change"));
		json_decref(ch.rec[i]);
	}
	free(ch.rec);
}

int replay_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"policy", required_argument, NULL, 'p'},
	    {"baseline", required_argument, NULL, 'b'},
	    {"json", no_argument, NULL, 'j'},
	    {"jobs", required_argument, NULL, 'J'},
	    {"ledger", required_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	struct replay rp;
	struct settings settings;
	const char *config = NULL, *policy = NULL, *baseline = NULL;
	const char *ledger = NULL;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	char *end;
	int c;

	memset(&rp, 0, sizeof(rp));
	rp.shares = 1;
	while ((c = getopt_long(argc, argv, "c:p:b:jJ:l:", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'l': ledger = optarg; break;
		case 'c': config = optarg; break;
		case 'p': policy = optarg; break;
		case 'b': baseline = optarg; break;
		case 'j': rp.json = 1; break;
		case 'J':
			jobs = strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > REPLAY_MAX_JOBS) {
				fprintf(stderr,
					"kensa: --jobs: expected 1 to %d\n",
					REPLAY_MAX_JOBS);
				return 2;
			}
			break;
		default: return 2;
		}
	}
	if (!policy || optind >= argc) {
		fprintf(stderr,
			"usage: kensa replay --policy NEW [--baseline "
			"OLD] [--config FILE] [--ledger PATH|URL] [--jobs N] "
			"[--json] PATH...\n");
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
	if (ledger && cli_ledger(&settings, ledger, 1, &rp.ledger) < 0) {
		policy_free(rp.before);
		policy_free(rp.after);
		settings_free(&settings);
		return 2;
	}
	rp.one_scan = same_yara(rp.before, rp.after);
	rp.opts.limits = settings.limits;
	rp.settings = &settings;
	rp.transitions = json_object();
	rp.rule_hits = json_object();
	scan_global_init();
	for (int i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			jobs = 1; /* standard input can be read once */
	if (jobs > REPLAY_MAX_JOBS)
		jobs = REPLAY_MAX_JOBS;
	if (jobs > 1)
		replay_jobs(&rp, argv + optind, argc - optind, (unsigned)jobs);
	else if (walk_paths(argv + optind, argc - optind, replay_one, &rp))
		rp.status = 2;
	print_summary(&rp);
	json_decref(rp.transitions);
	json_decref(rp.rule_hits);
	ledger_close(rp.ledger);
	policy_free(rp.before);
	policy_free(rp.after);
	settings_free(&settings);
	return rp.status;
}
