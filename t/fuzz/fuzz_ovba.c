/*
 * fuzz_ovba - libFuzzer target for the MS-OVBA decompressor and the VBA
 * source classification: the input is a compressed container; what it
 * decompresses to goes through vbaclass_scan. Seeds in
 * t/fuzz/corpus/ovba.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../parser/ovba.h"
#include "../../parser/vbaclass.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_hit(void *arg, enum vbaclass_kind kind, struct span kw)
{
	return kw.len > 0 && kw.ptr[0] ? 0 : (int)kind;
}

static int fuzz_url(void *arg, struct span url)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vbaclass_sink sink = {NULL, fuzz_hit, fuzz_url};
	struct fuzz_office f;
	uint8_t *out;
	size_t len;

	fuzz_office_init(&f, data, size, FT_BINARY);
	if (ovba_decompress(&f.ctx, span_make(data, size), &out, &len) ==
	    OVBA_OK) {
		vbaclass_scan(span_make(out, len), &sink);
		free(out);
	}
	vbaclass_scan(span_make(data, size), &sink);
	report_free(&f.report);
	return 0;
}
