/*
 * fuzz_tnef - libFuzzer target for the TNEF reader: the input walked by
 * tnef_walk, then through tnef_analyze, which scans every attachment as
 * a child part. Seeds in t/fuzz/corpus/tnef.
 */
#include <stdint.h>

#include "../../parser/tnef.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_one(void *arg, const struct tnef_attachment *a)
{
	const struct span *all = arg;

	/* every attachment lies inside the input */
	if (a->has_data && a->data.len &&
	    (a->data.ptr < all->ptr ||
	     a->data.ptr + a->data.len > all->ptr + all->len))
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_office f;
	struct span all = span_make(data, size);

	tnef_walk(all, check_one, &all);
	fuzz_office_init(&f, data, size, FT_TNEF);
	tnef_analyze(&f.ctx, &f.part);
	report_free(&f.report);
	return 0;
}
