/*
 * fuzz_xlsb - libFuzzer target for the BIFF12 record walk of an .xlsb's
 * xl/workbook.bin (sheets and defined names, every string read through),
 * then the input as an OOXML package through the office analyzer. Seeds
 * in t/fuzz/corpus/xlsb (made by t/tools/make_xlsb.py --bin).
 */
#include <stdint.h>
#include <string.h>

#include "../../parser/office.h"
#include "../../parser/xlsb.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_sheet(void *arg, const struct xlsb_sheet *sh)
{
	size_t *total = arg;

	*total += strlen(sh->rid) + strlen(sh->name) + sh->state;
	return 0;
}

static int fuzz_name(void *arg, const struct xlsb_name *nm)
{
	size_t *total = arg;

	*total += strlen(nm->name) + (size_t)nm->builtin;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_office f;
	size_t total = 0;
	struct xlsb_sink sink = {&total, fuzz_sheet, fuzz_name};

	xlsb_workbook_each(span_make(data, size), &sink);
	fuzz_office_init(&f, data, size, FT_OOXML);
	office_analyze(&f.ctx, &f.part);
	report_free(&f.report);
	return 0;
}
