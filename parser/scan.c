/*
 * scan - one message through the MIME walk and the analyzers, into a
 * report. Bounded by scan_options.limits; a message over message_bytes is
 * not parsed at all (scan.limit). Never fails on hostile input: trouble is
 * a finding. Fails (-1) only when memory runs out.
 */
#include "scan.h"

#include <gmime/gmime.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "mime.h"
#include "scan_ctx.h"

/* Charsets whose glibc converters are modules (ISO-2022-JP.so, ...): one
 * descriptor each stays open for the life of the process, because glibc
 * unloads a module when its last descriptor closes and Japanese mail would
 * otherwise load it again for every encoded header (GMime and GLib open a
 * converter per header; measured at 5% of a scan of the bench corpus).
 * The descriptors are never used; they are kept here, reachable, so that
 * leak checkers do not count them. */
#define RESIDENT_CHARSETS 10
static const char *const resident_charsets[RESIDENT_CHARSETS] = {
    "ISO-2022-JP", "SHIFT_JIS", "CP932", "EUC-JP", "ISO-2022-KR",
    "EUC-KR",	   "GB18030",	"BIG5",	 "KOI8-R", "WINDOWS-1251",
};

static iconv_t resident[RESIDENT_CHARSETS];

void scan_global_init(void)
{
	g_mime_init();
	for (size_t i = 0; i < RESIDENT_CHARSETS; i++)
		if (!resident[i])
			resident[i] = iconv_open("UTF-8", resident_charsets[i]);
}

int scan_finding(struct scan_ctx *ctx, const char *id,
		 const struct part_path *part, const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(detail))
		n = sizeof(detail) - 1;
	return report_add_finding(ctx->report, id, part, detail, (size_t)n);
}

size_t scan_budget_take(struct scan_ctx *ctx, size_t want)
{
	size_t granted = want < ctx->budget_left ? want : ctx->budget_left;

	ctx->budget_left -= granted;
	return granted;
}

int scan_password_limit(struct scan_ctx *ctx, const struct part_path *part)
{
	const char *which = NULL;
	unsigned n = 0;

	if (ctx->password_tries >= ctx->limits->password_tries) {
		which = "password tries over %u";
		n = ctx->limits->password_tries;
	} else if (ctx->password_ms >= (double)ctx->limits->password_ms) {
		which = "password time over %u ms";
		n = ctx->limits->password_ms;
	}
	if (!which)
		return 0;
	if (!ctx->password_limit_hit) {
		ctx->password_limit_hit = 1;
		scan_finding(ctx, "scan.limit", part, which, n);
	}
	return 1;
}

static double elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

int scan_message(struct span msg, const struct scan_options *opts,
		 struct report *out)
{
	struct scan_ctx ctx = {
	    .limits = &opts->limits,
	    .yara = opts->yara,
	    .report = out,
	    .budget_left = opts->limits.decoded_bytes,
	    .common_passwords = opts->common_passwords
				    ? opts->common_passwords
				    : PASSWORDS_COMMON_DEFAULT,
	};
	struct timespec start;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	report_init(out, opts->limits.findings);
	out->size = msg.len;
	passwords_init(&ctx.passwords, opts->limits.password_tokens);
	if (msg.len > opts->limits.message_bytes)
		scan_finding(&ctx, "scan.limit", NULL, "message over %zu bytes",
			     opts->limits.message_bytes);
	else
		rc = mime_scan(&ctx, msg);
	passwords_free(&ctx.passwords);
	out->elapsed_ms = elapsed_ms(&start);
	return rc;
}
