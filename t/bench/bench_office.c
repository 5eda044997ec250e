/*
 * bench_office - times the office analyzer on one document: reads the
 * file, then runs office_analyze on it RUNS times (default 20) with a
 * fresh report and budget each time, and prints the median, minimum and
 * maximum in milliseconds of wall time, and the median of the thread's CPU
 * time (the number to quote on a loaded machine). Not a test: a number
 * for humans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../parser/filetype.h"
#include "../../parser/office.h"

static uint8_t *bench_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const struct scan_limits limits = SCAN_LIMITS_DEFAULT;
	int runs = argc > 2 ? atoi(argv[2]) : 20;
	struct part_path path = {0};
	double *ms, *cpu;
	uint8_t *buf;
	size_t len;

	if (argc < 2 || runs < 1) {
		fprintf(stderr, "usage: bench_office FILE [RUNS]\n");
		return 2;
	}
	buf = bench_read(argv[1], &len);
	ms = calloc((size_t)runs, sizeof(*ms));
	cpu = calloc((size_t)runs, sizeof(*cpu));
	if (!buf || !ms || !cpu)
		return 1;
	for (int i = 0; i < runs; i++) {
		struct report report;
		struct scan_ctx ctx = {.limits = &limits,
				       .report = &report,
				       .budget_left = limits.decoded_bytes};
		struct part_ctx part = {.path = &path,
					.content = span_make(buf, len)};
		struct timespec a, b, ca, cb;
		report_init(&report, limits.findings);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ca);
		clock_gettime(CLOCK_MONOTONIC, &a);
		part.type = filetype_detect(part.content);
		if (office_analyze(&ctx, &part) < 0)
			fprintf(stderr, "bench_office: analyzer failed\n");
		clock_gettime(CLOCK_MONOTONIC, &b);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cb);
		ms[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 +
			(double)(b.tv_nsec - a.tv_nsec) / 1e6;
		cpu[i] = (double)(cb.tv_sec - ca.tv_sec) * 1e3 +
			 (double)(cb.tv_nsec - ca.tv_nsec) / 1e6;
		if (i == 0)
			printf("%zu findings, %zu parts\n", report.nfindings,
			       report.nparts);
		report_free(&report);
	}
	qsort(ms, (size_t)runs, sizeof(*ms), bench_cmp);
	qsort(cpu, (size_t)runs, sizeof(*cpu), bench_cmp);
	printf("%s: %d runs, median %.3f ms, min %.3f ms, max %.3f ms; "
	       "CPU median %.3f ms, min %.3f ms\n",
	       argv[1], runs, ms[runs / 2], ms[0], ms[runs - 1], cpu[runs / 2],
	       cpu[0]);
	free(cpu);
	free(ms);
	free(buf);
	return 0;
}
