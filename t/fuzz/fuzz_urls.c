/*
 * fuzz_urls - libFuzzer target for the URL extractors and their judging
 * (parser/url_text, url_html, url_judge, url): the first byte chooses
 * plain text or HTML, the rest is the body. Every URL recorded must be
 * NUL-free valid UTF-8 and parse again to itself; the count stays within
 * limits.urls (64 here, so the cap is reached too).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/url.h"
#include "../../parser/url_judge.h"
#include "../../parser/utf8.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_office f;
	int rc;

	if (size == 0)
		return 0;
	fuzz_office_init(&f, data + 1, size - 1, FT_TEXT);
	f.limits.urls = 64;
	rc = url_scan_text(&f.ctx, &f.path, f.part.content, data[0] & 1);
	if (rc < 0)
		abort();
	if (f.report.nurls > 64)
		abort();
	for (size_t i = 0; i < f.report.nurls; i++) {
		const char *u = f.report.urls[i].url;
		struct url again;
		if (!utf8_valid(u, strlen(u)))
			abort();
		if (url_parse(span_str(u), &again) == 0) {
			if (strcmp(again.normalized, u) != 0)
				abort();
			url_free(&again);
		}
	}
	report_free(&f.report);
	return 0;
}
