/*
 * fuzz_ooxml - libFuzzer target for OOXML packages: the input as a zip
 * through the office analyzer (content types, macro sheets, .rels,
 * compound-file members dispatched and analyzed in turn), and as a .rels
 * part through the relationship scan and the entity decoder. Seeds in
 * t/fuzz/corpus/ooxml.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../parser/office.h"
#include "../../parser/ooxml.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_rel(void *arg, const struct ooxml_rel *rel)
{
	char *target = ooxml_unescape(rel->target, NULL);

	free(target);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_office f;

	fuzz_office_init(&f, data, size, FT_OOXML);
	office_analyze(&f.ctx, &f.part);
	ooxml_rels_each(span_make(data, size), fuzz_rel, NULL);
	report_free(&f.report);
	return 0;
}
