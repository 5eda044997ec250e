/*
 * fuzz_uudecode - libFuzzer target for the uuencode and yEnc reader: the
 * input as a text body, every block found by uudecode_next decoded by
 * uudecode_block into a buffer the size of its text, then through
 * uudecode_analyze, which scans each decoded block as a child part. Seeds in
 * t/fuzz/corpus/uudecode.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../parser/uudecode.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_office f;
	struct uudecode_block b;
	size_t off = 0, last = 0;

	while (uudecode_next(span_make(data, size), &off, &b)) {
		uint8_t *out = malloc(b.data.len + 1);
		if (off <= last && last) /* always moves on */
			__builtin_trap();
		last = off;
		if (out && uudecode_block(&b, out, b.data.len) > b.data.len)
			__builtin_trap();
		free(out);
	}
	fuzz_office_init(&f, data, size, FT_TEXT);
	uudecode_analyze(&f.ctx, &f.part);
	report_free(&f.report);
	return 0;
}
