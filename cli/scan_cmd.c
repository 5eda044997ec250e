#include "scan_cmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../parser/scan.h"
#include "../policy/event_json.h"
#include "../policy/settings.h"
#include "mbox.h"

#define DIR_MAX_DEPTH 32

struct scan_run {
	struct scan_options opts;
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

static void scan_one(struct scan_run *run, const char *name, struct span msg)
{
	struct report report;
	struct decision d;
	json_t *event;

	if (scan_message(msg, &run->opts, &report) < 0) {
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

static void scan_span(struct scan_run *run, const char *name, struct span f)
{
	size_t offset = 0, index = 0;
	struct span msg;
	char label[4096];

	if (!mbox_is_mbox(f)) {
		scan_one(run, name, f);
		return;
	}
	while (mbox_next(f, &offset, &msg) == 0) {
		snprintf(label, sizeof(label), "%s:%zu", name, ++index);
		scan_one(run, label, msg);
	}
}

static int read_all(int fd, unsigned char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	unsigned char *buf = malloc(cap);

	while (buf) {
		ssize_t r;
		if (n == cap) {
			unsigned char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			*out = buf;
			*len = n;
			return 0;
		}
		n += (size_t)r;
	}
	free(buf);
	return -1;
}

static void scan_stdin(struct scan_run *run)
{
	unsigned char *buf;
	size_t len;

	if (read_all(0, &buf, &len) < 0) {
		fprintf(stderr, "kensa: stdin: %s\n", strerror(errno));
		run->worst = 2;
		return;
	}
	scan_span(run, "-", span_make(buf, len));
	free(buf);
}

static void scan_path(struct scan_run *run, const char *path, unsigned depth);

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_dir(struct scan_run *run, const char *path, unsigned depth)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!dir) {
		fprintf(stderr, "kensa: %s: %s\n", path, strerror(errno));
		run->worst = 2;
		return;
	}
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap ? cap * 2 : 64) *
						       sizeof(*names));
			if (!nn)
				break;
			names = nn;
			cap = cap ? cap * 2 : 64;
		}
		if (asprintf(&names[n], "%s/%s", path, e->d_name) >= 0)
			n++;
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		scan_path(run, names[i], depth + 1);
		free(names[i]);
	}
	free(names);
}

static void scan_file(struct scan_run *run, const char *path, int fd,
		      size_t size)
{
	void *map;

	if (size == 0) {
		scan_span(run, path, span_make("", 0));
		return;
	}
	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "kensa: %s: %s\n", path, strerror(errno));
		run->worst = 2;
		return;
	}
	scan_span(run, path, span_make(map, size));
	munmap(map, size);
}

static void scan_path(struct scan_run *run, const char *path, unsigned depth)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		scan_stdin(run);
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "kensa: %s: %s\n", path, strerror(errno));
		run->worst = 2;
		if (fd >= 0)
			close(fd);
		return;
	}
	if (S_ISDIR(st.st_mode) && depth < DIR_MAX_DEPTH)
		scan_dir(run, path, depth);
	else if (S_ISREG(st.st_mode))
		scan_file(run, path, fd, (size_t)st.st_size);
	close(fd);
}

int scan_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"policy", required_argument, NULL, 'p'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	struct scan_run run = {0};
	const char *config = NULL, *policy_path = NULL;
	struct settings settings;
	char *error = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "c:p:j", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'j': run.json = 1; break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: kensa scan [--config FILE] [--policy "
				"FILE] [--json] PATH...\n");
		return 2;
	}
	settings_defaults(&settings);
	if (settings_load_default(&settings, config, &error) < 0 ||
	    policy_load(policy_path ? policy_path : settings.policy,
			&run.policy, &error) < 0) {
		fprintf(stderr, "kensa: %s\n", error ? error : "out of memory");
		free(error);
		settings_free(&settings);
		return 2;
	}
	run.opts.limits = settings.limits;
	scan_global_init();
	for (int i = optind; i < argc; i++)
		scan_path(&run, argv[i], 0);
	fflush(stdout);
	policy_free(run.policy);
	settings_free(&settings);
	return run.worst;
}

int policy_check_cmd(const char *path)
{
	struct policy *p;
	char *error = NULL;

	if (policy_load(path, &p, &error) < 0) {
		fprintf(stderr, "%s\n", error ? error : "out of memory");
		free(error);
		return 1;
	}
	printf("%s: ok, %zu rules, %s, %s\n", path, p->nrules,
	       p->monitor ? "monitor" : "enforce", p->digest);
	policy_free(p);
	return 0;
}
