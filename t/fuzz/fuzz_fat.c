/*
 * fuzz_fat - libFuzzer target for the FAT reader: the input identified
 * (filetype_detect) and walked by fat_analyze as a raw disk image, a FAT
 * volume or an MBR/GPT disk, every file scanned as a child part. Seeds in
 * t/fuzz/corpus/fat.
 */
#include <stdint.h>

#include "../../parser/fat.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_office f;

	(void)filetype_detect(span_make(data, size));
	fuzz_office_init(&f, data, size, FT_FAT);
	fat_analyze(&f.ctx, &f.part);
	report_free(&f.report);
	return 0;
}
