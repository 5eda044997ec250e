/*
 * fuzz_rtf - libFuzzer target for RTF objects: the input as an RTF
 * document through the office analyzer (\objdata decoding, OLE1 headers,
 * Package payloads dispatched and analyzed in turn). Seeds in
 * t/fuzz/corpus/rtf.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../parser/office.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_office f;

	fuzz_office_init(&f, data, size, FT_RTF);
	office_analyze(&f.ctx, &f.part);
	report_free(&f.report);
	return 0;
}
