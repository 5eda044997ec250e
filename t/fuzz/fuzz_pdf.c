/*
 * fuzz_pdf - libFuzzer target for the PDF analyzer: the input as a PDF
 * through pdf_analyze (tokenizer, object parser, object streams, filters,
 * embedded files dispatched as child parts), then the input as the data
 * of a Flate, ASCIIHex and ASCII85 stream. Seeds in t/fuzz/corpus/pdf.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/pdf.h"
#include "../../parser/pdf_stream.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const filters[] = {"FlateDecode", "AHx", "A85"};
	struct fuzz_office f;

	fuzz_office_init(&f, data, size, FT_PDF);
	f.limits.pdf_ms = 1000;
	pdf_analyze(&f.ctx, &f.part);
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		struct pdf_filters pf = {0};
		uint8_t *out;
		size_t len;
		pf.n = 1;
		strcpy(pf.name[0], filters[i]);
		pdf_stream_decode(&f.ctx, span_make(data, size), &pf, 1 << 20,
				  &out, &len);
		free(out);
	}
	report_free(&f.report);
	return 0;
}
