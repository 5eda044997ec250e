/*
 * bench_urls - times the scan of a message whose HTML body is 1 MB with
 * 10 000 links (built in memory: distinct hrefs, anchor texts, a <base>,
 * entities, paragraphs of text between them), through scan_message, RUNS
 * times (default 20), with limits.urls at its default (1000: the rest
 * are parsed and dropped) and at 20 000 (every link recorded and judged),
 * or at the limit given after RUNS.
 * Prints the median, minimum and maximum in milliseconds, wall clock and
 * CPU time of the thread (the CPU time is the number to quote on a shared,
 * loaded machine). Not a test: a number for humans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../parser/scan.h"

#define BENCH_LINKS 10000
#define BENCH_BYTES (1u << 20)

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The message: headers, then HTML padded to BENCH_BYTES. */
static char *bench_message(size_t *len)
{
	static const char head[] =
	    "From: news@example.org\r\nTo: b@example.net\r\n"
	    "Subject: links\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n\r\n"
	    "<html><head><base href=\"https://www.example.org/n/\"></head>"
	    "<body>\r\n";
	char *buf = malloc(BENCH_BYTES + 4096);
	size_t n = sizeof(head) - 1;
	int links = 0;

	if (!buf)
		return NULL;
	memcpy(buf, head, n);
	for (int i = 0; i < BENCH_LINKS; i++, links++) {
		size_t room = BENCH_BYTES - n;
		int w = snprintf(
		    buf + n, room,
		    "<p>%d</p><a "
		    "href=\"%s%d/%d?a=1&amp;"
		    "b=%d\">%s%d</a>\r\n",
		    i,
		    i % 3 == 0	 ? "https://shop.example.com/p/"
		    : i % 3 == 1 ? "http://198.51.100.7/files/"
				 : "item/",
		    i / 3, i, i,
		    i % 2 ? "https://shop.example.com/p/" : "Item ", i);
		if (w < 0 || (size_t)w >= room)
			break;
		n += (size_t)w;
	}
	for (; n < BENCH_BYTES - 32; n++)
		buf[n] = (n % 80) ? 'x' : '\n';
	n += (size_t)sprintf(buf + n, "</body></html>\r\n");
	if (links < BENCH_LINKS)
		fprintf(stderr, "bench_urls: only %d links fit\n", links);
	*len = n;
	return buf;
}

static void bench_run(const char *msg, size_t len, unsigned urls, int runs)
{
	struct scan_options o;
	double *ms = calloc((size_t)runs, sizeof(*ms));
	double *cpu = calloc((size_t)runs, sizeof(*cpu));

	memset(&o, 0, sizeof(o));
	o.limits = (struct scan_limits)SCAN_LIMITS_DEFAULT;
	o.limits.urls = urls;
	for (int i = 0; ms && i < runs; i++) {
		struct report r;
		struct timespec a, b, ca, cb;
		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ca);
		if (scan_message(span_make(msg, len), &o, &r) < 0)
			fprintf(stderr, "bench_urls: scan failed\n");
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cb);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 +
			(double)(b.tv_nsec - a.tv_nsec) / 1e6;
		cpu[i] = (double)(cb.tv_sec - ca.tv_sec) * 1e3 +
			 (double)(cb.tv_nsec - ca.tv_nsec) / 1e6;
		if (i == 0)
			printf("limits.urls %u: %zu URLs, %zu findings\n", urls,
			       r.nurls, r.nfindings);
		report_free(&r);
	}
	if (!ms || !cpu) {
		free(ms);
		free(cpu);
		return;
	}
	qsort(ms, (size_t)runs, sizeof(*ms), bench_cmp);
	qsort(cpu, (size_t)runs, sizeof(*cpu), bench_cmp);
	printf("%zu bytes, %d links, limits.urls %u: %d runs, median %.3f "
	       "ms (cpu %.3f ms), min %.3f ms (cpu %.3f), max %.3f ms\n",
	       len, BENCH_LINKS, urls, runs, ms[runs / 2], cpu[runs / 2], ms[0],
	       cpu[0], ms[runs - 1]);
	free(ms);
	free(cpu);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 20;
	size_t len;
	char *msg = bench_message(&len);

	if (!msg || runs < 1)
		return 1;
	scan_global_init();
	if (argc > 2) {
		bench_run(msg, len, (unsigned)atoi(argv[2]), runs);
	} else {
		bench_run(msg, len, 1000, runs);
		bench_run(msg, len, BENCH_LINKS * 2, runs);
	}
	free(msg);
	return 0;
}
