/*
 * fuzz_zip - libFuzzer target for the archive walk: the input is one
 * attachment's bytes, identified and scanned through the dispatch, so a
 * ZIP goes to parser/zip.c (and zip_aes.c), 7z, RAR, CAB, TAR, LHA, ISO,
 * gzip, bzip2 and xz to parser/unpack.c (libarchive), OneNote sections to
 * parser/onenote.c, and every member on to the attachment checks
 * (markers.c) and nested containers. Password candidates are "sa" and
 * "infected" (the encrypted seeds in t/fuzz/corpus/zip use them); the
 * limits are small so that bombs stay fast.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/dispatch.h"
#include "../../parser/zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_limits limits = SCAN_LIMITS_DEFAULT;
	struct report report;
	struct part_path path = {0};
	struct scan_ctx ctx;

	limits.decoded_bytes = 16u << 20;
	limits.archive_member_bytes = 4u << 20;
	limits.archive_head_bytes = 1u << 20;
	limits.password_tries = 20;
	memset(&ctx, 0, sizeof(ctx));
	ctx.limits = &limits;
	ctx.report = &report;
	ctx.budget_left = limits.decoded_bytes;
	report_init(&report, limits.findings);
	passwords_init(&ctx.passwords, limits.password_tokens);
	if (passwords_add_text(&ctx.passwords, "body",
			       span_str("Password: sa")) < 0 ||
	    passwords_add_common(&ctx.passwords, "infected") < 0 ||
	    path_push(&path, "2", 1) < 0)
		abort();
	dispatch_content(&ctx, &path, "fuzz.zip", "application/zip",
			 span_make(data, size), 0);
	if (ctx.budget_left > limits.decoded_bytes)
		abort();
	path_clear(&path);
	passwords_free(&ctx.passwords);
	report_free(&report);
	return 0;
}
