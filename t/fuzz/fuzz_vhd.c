/*
 * fuzz_vhd - libFuzzer target for the VHD reader: vhd_open on the input,
 * reads at the disk's start, middle and end through the block table
 * (which must stay inside the input), then fat_analyze on it as a VHD.
 * Seeds in t/fuzz/corpus/vhd.
 */
#include <stdint.h>

#include "../../parser/fat.h"
#include "../../parser/vhd.h"
#include "fuzz_office_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_office f;
	struct disk d;
	const char *why;
	uint8_t buf[4096];

	if (vhd_open(&d, span_make(data, size), &why) == 0) {
		uint64_t at[3] = {0, d.size / 2,
				  d.size > 4096 ? d.size - 4096 : 0};
		for (int i = 0; i < 3; i++)
			(void)disk_read(&d, at[i], buf, sizeof(buf));
		/* nothing past the end */
		if (disk_read(&d, d.size, buf, 1) == 0)
			__builtin_trap();
	}
	fuzz_office_init(&f, data, size, FT_VHD);
	fat_analyze(&f.ctx, &f.part);
	report_free(&f.report);
	return 0;
}
